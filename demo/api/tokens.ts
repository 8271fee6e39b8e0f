/**
 * API tokens as DS issues them (`APIToken`, `BearerToken`): the bearer string is
 * `urlsafe_base64("<token uuid>;<secret>")`, sent as `Authorization: Bearer <token>` (Rails'
 * `authenticate_with_http_token` also accepts the legacy `Bearer token="…"` / `Token token=…` forms).
 * A token may be limited to some démarches, and may expire.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Random } from '../random';

export interface ApiToken {
  /** The `api_tokens.id` uuid. */
  id: string;
  /** What clients send after `Bearer `. */
  bearer: string;
  /** Démarches the token may read; null for all of its administrateur's. */
  demarches: readonly number[] | null;
  expiresAt: Date | null;
}

/** `BearerToken#to_string`: Ruby's `urlsafe_encode64`, padding included. */
function bearerString(id: string, secret: string): string {
  return Buffer.from(`${id};${secret}`).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[random.int(0, 3)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A new token in DS's format (`has_secure_token` secret: 24 base58 characters). */
export function generateToken(
  random: Random,
  demarches: readonly number[] | null = null,
  expiresAt: Date | null = null,
): ApiToken {
  const id = uuid(random);
  const secret = Array.from({ length: 24 }, () => BASE58[random.int(0, BASE58.length - 1)]).join('');
  return { id, bearer: bearerString(id, secret), demarches, expiresAt };
}

/** The token string of an `Authorization` header, as `token_and_options` extracts it. */
function tokenFromHeader(header: string | undefined): string | null {
  const match = /^(?:Bearer|Token)\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!match) return null;
  const rest = match[1]!.trim();
  const legacy = /^token="?([^",]+)"?/.exec(rest);
  return legacy ? legacy[1]! : rest;
}

export class TokenRegistry {
  private readonly tokens: ApiToken[] = [];

  add(token: ApiToken): ApiToken {
    this.tokens.push(token);
    return token;
  }

  /** `APIToken.authenticate`: null for an unknown or malformed token (DS then treats the call as anonymous). */
  authenticate(header: string | undefined): ApiToken | null {
    const presented = tokenFromHeader(header);
    if (!presented) return null;
    const given = Buffer.from(presented);
    return (
      this.tokens.find((t) => {
        const expected = Buffer.from(t.bearer);
        return expected.length === given.length && timingSafeEqual(expected, given);
      }) ?? null
    );
  }
}
