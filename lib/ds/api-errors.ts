/**
 * What can go wrong with DS's API, as typed errors. Each carries the code the UI turns into French
 * and a fix (`ProblemCode` in lib/core/db.ts includes every `ApiProblemCode`). Messages are built from
 * DS's own texts and never contain the token.
 */

export type ApiProblemCode =
  | 'token-expired'
  | 'token-invalid'
  | 'network-forbidden'
  | 'demarche-unauthorized'
  | 'unreachable'
  | 'too-slow'
  | 'rate-limited'
  | 'server-error';

export class DsApiError extends Error {
  constructor(
    readonly code: ApiProblemCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** HTTP 401 "Token expired". */
export class TokenExpiredError extends DsApiError {
  constructor() {
    super('token-expired', 'DS: the API token has expired');
  }
}

/** A token DS does not know (HTTP 403 "only persisted queries"), revoked, or of an old format. */
export class TokenInvalidError extends DsApiError {
  constructor(reason = 'DS refused the API token') {
    super('token-invalid', reason);
  }
}

/** HTTP 403 from a token restricted to other networks; `range` is the one DS asks to allow. */
export class NetworkForbiddenError extends DsApiError {
  constructor(readonly range: string | undefined) {
    super(
      'network-forbidden',
      `DS refuses this token from this network: add ${range ?? 'this address'} to the token's allowed networks in /profil`,
      range,
    );
  }
}

/** The token cannot read this démarche (DS says "hidden due to permissions" or "not found"). */
export class DemarcheUnauthorizedError extends DsApiError {
  constructor(readonly demarche?: number) {
    super(
      'demarche-unauthorized',
      demarche ? `DS: the token cannot read démarche ${demarche}` : 'DS: the token cannot read this démarche',
      demarche ? String(demarche) : undefined,
    );
  }
}

/** Still HTTP 429 after waiting, or told to wait longer than a service worker may sleep. */
export class RateLimitedError extends DsApiError {
  constructor(readonly retryAt: Date) {
    super('rate-limited', `DS: too many requests, retry after ${retryAt.toISOString()}`, retryAt.toISOString());
  }
}

/** 5xx, DS's GraphQL `timeout`/`internal_server_error` after retries, or an answer that makes no sense. */
export class ServerError extends DsApiError {
  constructor(reason: string) {
    super('server-error', `DS: ${reason}`, reason);
  }
}

/** No answer: network down, DNS, connection refused. */
export class UnreachableError extends DsApiError {
  constructor() {
    super('unreachable', 'DS is unreachable', 'network');
  }
}

/** DS took longer than the client's timeout to answer (DS itself gives up at 30 s). */
export class TooSlowError extends DsApiError {
  constructor() {
    super('too-slow', 'DS did not answer in time', 'timeout');
  }
}

export interface GraphQLErrorEntry {
  message?: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
}

const FORBIDDEN_NETWORK = /forbidden network\. Add (\S+) to your allowed/;

/** DS's answer to a refused token: HTTP 401 or 403, `{ errors: [{ message }], data: null }`. */
export function refusedTokenError(status: 401 | 403, body: GraphQLBody<unknown> | null): DsApiError {
  const message = body?.errors?.[0]?.message ?? '';
  if (status === 401 && message === 'Token expired') return new TokenExpiredError();
  const network = FORBIDDEN_NETWORK.exec(message);
  if (status === 403 && network) return new NetworkForbiddenError(network[1]);
  return new TokenInvalidError();
}
