/**
 * Cookie sessions and CSRF tokens as DS (Rails + Devise) hands them out: a `_DS_session` cookie
 * (HttpOnly, SameSite=Lax), one secret token per session, and a freshly masked copy of it in every
 * rendered page and form (`meta[name=csrf-token]`, `authenticity_token`), which POSTs must send back.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookies } from './server';

export const SESSION_COOKIE = '_DS_session';

export interface Session {
  id: string;
  /** The signed-in user's e-mail, or null before sign-in. */
  email: string | null;
  csrfSecret: Buffer;
  /** Where to go after signing in (Devise's `user_return_to`). */
  returnTo: string | null;
  /** Shown once on the next rendered page. */
  flash: { notice?: string; alert?: string };
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  find(req: IncomingMessage): Session | undefined {
    const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return id ? this.sessions.get(id) : undefined;
  }

  /** The request's session, or a new one announced with `Set-Cookie`. */
  ensure(req: IncomingMessage, res: ServerResponse): Session {
    const existing = this.find(req);
    if (existing) return existing;
    const session: Session = {
      id: randomBytes(24).toString('hex'),
      email: null,
      csrfSecret: randomBytes(32),
      returnTo: null,
      flash: {},
    };
    this.sessions.set(session.id, session);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${session.id}; path=/; HttpOnly; SameSite=Lax`);
    return session;
  }

  /** A logged-in session for `email`, for tests that skip the sign-in form. Returns the cookie value. */
  open(email: string): Session {
    const session: Session = {
      id: randomBytes(24).toString('hex'),
      email,
      csrfSecret: randomBytes(32),
      returnTo: null,
      flash: {},
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Devise signs in on a fresh session id (fixation protection), keeping nothing but the flash. */
  signIn(old: Session, email: string, res: ServerResponse): Session {
    this.sessions.delete(old.id);
    const session = this.open(email);
    session.flash = old.flash;
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${session.id}; path=/; HttpOnly; SameSite=Lax`);
    return session;
  }

  /** Every session ends (DS's session timeout): their cookies no longer sign anyone in. */
  endAll(): void {
    this.sessions.clear();
  }

  signOut(session: Session, res: ServerResponse): void {
    this.sessions.delete(session.id);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=; path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  }
}

/** Rails' `masked_authenticity_token`: a one-time pad followed by the secret XOR the pad. */
export function maskedToken(session: Session): string {
  const pad = randomBytes(32);
  const masked = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) masked[i] = pad[i]! ^ session.csrfSecret[i]!;
  return Buffer.concat([pad, masked]).toString('base64url');
}

/** Accepts a masked token (or the raw secret, as Rails does) from a form field or `X-CSRF-Token`. */
export function isValidToken(session: Session | undefined, token: string | null | undefined): boolean {
  if (!session || !token) return false;
  const bytes = Buffer.from(token, 'base64url');
  let secret: Buffer;
  if (bytes.length === 64) {
    secret = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) secret[i] = bytes[i]! ^ bytes[i + 32]!;
  } else if (bytes.length === 32) {
    secret = bytes;
  } else {
    return false;
  }
  return timingSafeEqual(secret, session.csrfSecret);
}
