/**
 * Faults on demand, for tests of the extension's error handling: server errors, slow answers,
 * truncated downloads, wrong checksums, an expired or network-filtered token, sessions ended, a lower
 * rate limit.
 * Each counted fault hits the next `count` matching requests and then clears itself; without a count
 * it stays until cleared.
 */
import type { RouteKind } from './server';

/** Which requests a fault hits. */
export type FaultTarget = 'graphql' | 'pages' | 'downloads' | 'files' | 'all';

export interface FaultSettings {
  /** Answer 500 (a DS-shaped `internal_server_error` on the API, an error page elsewhere). */
  serverError?: { target: FaultTarget; count?: number; url?: string };
  /** Delay answers (default 31 s, beyond DS's 30 s timeout and most clients' patience). */
  slow?: { target: FaultTarget; delayMs?: number; count?: number; url?: string };
  /**
   * Cut file bodies (attachments by default) halfway through, then drop the connection. With `url`,
   * only requests whose path and query contain it (one file: its name), as for the faults above.
   */
  truncate?: { target?: FaultTarget; count?: number; url?: string };
  /** The API reports checksums that do not match the files' bytes. */
  wrongChecksum?: boolean;
  /**
   * Every API token is expired: HTTP 401 `Token expired`. With `afterRequests`, tokens expire once
   * that many more API requests were answered (a token whose date passes in the middle of a sync).
   */
  tokenExpired?: boolean | { afterRequests: number };
  /**
   * DS ends every signed-in session once that many more pages were answered (Devise's timeout, or a
   * sign-out in another tab): later pages send their visitor to the sign-in page.
   */
  signedOut?: { afterRequests: number };
  /** The token has a network filter that excludes the caller: HTTP 403. */
  forbiddenNetwork?: boolean;
  /** API requests per minute and token before HTTP 429 (DS: 400). */
  rateLimit?: number;
}

const DEFAULT_SLOW_MS = 31_000;

function targetOf(kind: RouteKind): FaultTarget | null {
  if (kind === 'graphql') return 'graphql';
  if (kind === 'file') return 'files';
  if (kind.startsWith('download:')) return 'downloads';
  if (kind.startsWith('page:') || kind === 'action') return 'pages';
  return null;
}

const hits = (target: FaultTarget | undefined, kind: RouteKind, fallback: FaultTarget) => {
  const actual = targetOf(kind);
  const wanted = target ?? fallback;
  return actual !== null && (wanted === 'all' || wanted === actual);
};

export class Faults {
  private settings: FaultSettings = {};

  /** Merges `changes` into the current faults (`undefined` values remove a fault). */
  set(changes: FaultSettings): void {
    this.settings = { ...this.settings, ...changes };
    for (const key of Object.keys(this.settings) as Array<keyof FaultSettings>) {
      if (this.settings[key] === undefined) delete this.settings[key];
    }
  }

  clear(): void {
    this.settings = {};
  }

  current(): FaultSettings {
    return structuredClone(this.settings);
  }

  /** Consumes one use of a counted fault if it applies to this request. */
  private take(
    name: 'serverError' | 'slow' | 'truncate',
    kind: RouteKind,
    fallback: FaultTarget,
    url: string,
  ): boolean {
    const fault = this.settings[name];
    if (!fault || !hits(fault.target, kind, fallback)) return false;
    if (fault.url !== undefined && !url.includes(fault.url)) return false;
    if (fault.count !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) delete this.settings[name];
    }
    return true;
  }

  /** `url`: the request's path and query (a fault with `url` hits only requests containing it). */
  delayFor(kind: RouteKind, url: string): number {
    const delay = this.settings.slow?.delayMs ?? DEFAULT_SLOW_MS;
    return this.take('slow', kind, 'all', url) ? delay : 0;
  }

  serverErrorFor(kind: RouteKind, url: string): boolean {
    return this.take('serverError', kind, 'all', url);
  }

  truncates(kind: RouteKind, url: string): boolean {
    return this.take('truncate', kind, 'files', url);
  }

  get wrongChecksum(): boolean {
    return this.settings.wrongChecksum === true;
  }

  /** Whether this API request finds its token expired (counts down `afterRequests`, then stays on). */
  tokenExpiredFor(): boolean {
    const fault = this.settings.tokenExpired;
    if (typeof fault !== 'object') return fault === true;
    if (fault.afterRequests <= 0) return true;
    fault.afterRequests -= 1;
    return false;
  }

  /** Whether every session ends before this request is answered (once: signing in again works). */
  signsOut(kind: RouteKind): boolean {
    const fault = this.settings.signedOut;
    if (!fault || !hits('pages', kind, 'pages')) return false;
    if (fault.afterRequests > 0) {
      fault.afterRequests -= 1;
      return false;
    }
    delete this.settings.signedOut;
    return true;
  }

  get forbiddenNetwork(): boolean {
    return this.settings.forbiddenNetwork === true;
  }

  get rateLimit(): number | undefined {
    return this.settings.rateLimit;
  }
}
