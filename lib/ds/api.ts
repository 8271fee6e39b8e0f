import {
  DemarcheUnauthorizedError,
  type DsApiError,
  type GraphQLBody,
  type GraphQLErrorEntry,
  RateLimitedError,
  refusedTokenError,
  ServerError,
  TokenInvalidError,
  TooSlowError,
  UnreachableError,
} from './api-errors';
import { budgetFor, type Clock, type RequestBudget, realClock } from './budget';
import { isSecureOrigin } from './instances';
import {
  buildDescribeQuery,
  buildDossierQuery,
  buildPollQuery,
  buildProbeQuery,
  buildScanQuery,
  type DemarcheDescriptorNode,
  type DemarcheSummary,
  type DossierData,
  type DossierNode,
  demarcheAlias,
  demarcheOfAlias,
  type ExportDossierData,
  type ExportDossierNode,
  exportDossierRequest,
  exportDossiersRequest,
  type GraphQLRequest,
  type Page,
  POLL_CONNECTIONS,
  type PollDemarcheResult,
  type PollTarget,
  type ScanData,
  type Variables,
} from './queries';
import { graphqlUrl } from './routes';
import { API_PAGE_SIZE } from './rules';

/**
 * The client of DS's GraphQL API v2 for one instance and its token: bearer auth, a timeout under
 * DS's (and under the 30 s an MV3 service worker gives a fetch), retries with backoff, DS's rate
 * limit honoured and anticipated, and typed errors (lib/ds/api-errors.ts).
 */

/** Client-side timeout: under DS's 30 s and under the 30 s Chrome lets a worker's fetch take. */
export const REQUEST_TIMEOUT_MS = 25_000;
/** Tries per request, for 5xx, DS timeouts, network errors and 429. */
const MAX_ATTEMPTS = 3;
/**
 * Tries of a request that got no answer within the timeout: one more, not two. A query DS cannot
 * answer in 25 s twice in a row is too heavy for it now, and a third wait would keep the user (and
 * the worker) a minute and a half before hearing it.
 */
const MAX_SLOW_ATTEMPTS = 2;
/** Longest wait before a retry; a worker idle for 30 s is killed, so longer waits become errors. */
const MAX_RETRY_WAIT_MS = 20_000;
const BACKOFF_BASE_MS = 1_000;
/** Dossiers one poll request may ask for across its démarches, to stay far from DS's timeout. */
const POLL_DOSSIERS_PER_REQUEST = 500;

export interface DsApiClientOptions {
  /** `https://demarche.numerique.gouv.fr`; plain `http:` only on loopback (the demo instance). */
  origin: string;
  token: string;
  fetch?: typeof fetch;
  /** Milliseconds clock and sleep, injectable so tests don't wait. */
  clock?: Clock;
  /** Shared per origin unless given. */
  budget?: RequestBudget;
  random?: () => number;
  timeoutMs?: number;
  /**
   * Longest wait for DS's `Retry-After` before giving up with {@link RateLimitedError}: 20 s by
   * default, as a service worker idle for 30 s is killed. A page lives as long as its tab and may
   * wait out DS's whole one-minute window.
   */
  maxRetryWaitMs?: number;
  /**
   * Plain HTTP to the demo instance on loopback: by default only demo builds (and tests) allow it;
   * the benchmarks, which run outside any build, say so here.
   */
  loopbackHttp?: boolean;
}

/** A watched démarche as the incremental poll sees it. */
export interface PollInput {
  number: number;
  /**
   * Fixed start of the `updatedSince` walk (it filters and orders by update time): set it once, e.g.
   * to when the first full scan started (the scan covers what came before), and keep it; the
   * cursor carries the progress.
   */
  updatedSince: string;
  /** The last persisted `endCursor` of that walk; null before its first page. */
  after: string | null;
  /** List corbeille moves and purges since then (e.g. the previous poll, minus a margin). */
  deletedSince: string;
}

export interface DeniedDemarche {
  number: number;
  /** `unauthorized`: the token does not cover it; `not_found`: no such démarche (or closed to the API). */
  reason: 'unauthorized' | 'not_found';
}

/** One request's worth of a poll; persist it (cursors included) before asking for the next. */
export interface PollRound {
  /** Only the connections this round asked for are present (the first round asks for all three). */
  demarches: PollDemarcheResult[];
  /** Démarches DS refused; they are left out of later rounds. */
  denied: DeniedDemarche[];
}

interface Denial {
  alias: string;
  reason: DeniedDemarche['reason'];
}

type Attempt<T> = { body: GraphQLBody<T> } | { retry: DsApiError; waitMs?: number };

/** The token travels only over HTTPS, except to the demo instance on loopback. */
function checkedOrigin(origin: string, loopbackHttp?: boolean): string {
  const url = new URL(origin);
  if (!isSecureOrigin(url, loopbackHttp))
    throw new RangeError(`Refusing to send an API token to ${url.origin}: HTTPS only`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new RangeError(`Not an origin: ${url.origin}${url.pathname}`);
  }
  return url.origin;
}

/** When DS says to come back: `Retry-After` (seconds or HTTP date), else `RateLimit-Reset` (epoch seconds). */
export function retryAtOf(headers: Headers, now: number): number | null {
  const retryAfter = headers.get('Retry-After')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return now + Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return date;
  }
  const reset = headers.get('RateLimit-Reset')?.trim();
  return reset && /^\d+$/.test(reset) ? Number(reset) * 1000 : null;
}

/** Follows `pageInfo.endCursor` while `hasNextPage`, from `after`. */
export async function* paginate<T>(
  fetchPage: (after: string | null) => Promise<Page<T>>,
  after: string | null = null,
): AsyncGenerator<Page<T>> {
  for (let cursor = after; ; ) {
    const page = await fetchPage(cursor);
    yield page;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    cursor = page.pageInfo.endCursor;
  }
}

const isDenial = (e: GraphQLErrorEntry) =>
  (e.extensions?.code === 'unauthorized' || e.extensions?.code === 'not_found') &&
  e.path?.length === 1 &&
  typeof e.path[0] === 'string';
const isTransient = (e: GraphQLErrorEntry) =>
  e.extensions?.code === 'timeout' || e.extensions?.code === 'internal_server_error';

export class DsApiClient {
  readonly origin: string;
  /** Private field: never serialised, logged or shown with the client. */
  readonly #token: string;
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #budget: RequestBudget;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #maxRetryWaitMs: number;
  #requests = 0;

  constructor(options: DsApiClientOptions) {
    this.origin = checkedOrigin(options.origin, options.loopbackHttp);
    const token = options.token.trim();
    // Base64url in practice; anything else could not be a header value (nor a DS token).
    if (!/^[\x21-\x7e]+$/.test(token)) throw new TokenInvalidError('The API token is empty or malformed');
    this.#token = token;
    this.#url = graphqlUrl(this.origin);
    const fetchFn = options.fetch ?? fetch;
    // Called unbound: a browser's fetch throws "Illegal invocation" with another `this`.
    this.#fetch = (input, init) => fetchFn(input, init);
    this.#clock = options.clock ?? realClock;
    this.#budget = options.budget ?? budgetFor(this.origin);
    this.#random = options.random ?? Math.random;
    this.#timeoutMs = Math.min(options.timeoutMs ?? REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? MAX_RETRY_WAIT_MS;
  }

  /** HTTP requests sent so far, retries included. */
  get requests(): number {
    return this.#requests;
  }

  /** Any document; every GraphQL error is fatal (a refused démarche included). */
  async request<T>(query: string, variables: Variables = {}): Promise<T> {
    const { data, denials } = await this.#execute<T>({ query, variables });
    if (denials.length) throw new DemarcheUnauthorizedError(demarcheOfAlias(denials[0]!.alias) ?? undefined);
    return data!;
  }

  /**
   * The incremental poll of the watched démarches: one aliased request per round; later rounds ask
   * only for the connections that have more pages. Persist each round before pulling the next.
   */
  async *poll(inputs: readonly PollInput[]): AsyncGenerator<PollRound> {
    let targets: PollTarget[] = inputs.map((i) => ({
      number: i.number,
      dossiers: { since: i.updatedSince, after: i.after },
      pendingDeleted: { since: i.deletedSince, after: null },
      deleted: { since: i.deletedSince, after: null },
    }));
    while (targets.length) {
      const first = Math.max(1, Math.min(API_PAGE_SIZE, Math.floor(POLL_DOSSIERS_PER_REQUEST / targets.length)));
      const { results, denied } = await this.#aliased<PollTarget, PollDemarcheResult>(targets, (remaining) =>
        buildPollQuery(remaining, first),
      );
      yield { demarches: [...results.values()], denied };
      targets = targets.flatMap((target) => {
        const result = results.get(target.number);
        const next: PollTarget = { number: target.number };
        for (const key of POLL_CONNECTIONS) {
          const window = target[key];
          const { hasNextPage, endCursor } = result?.[key]?.pageInfo ?? {};
          if (window && hasNextPage && endCursor) next[key] = { since: window.since, after: endCursor };
        }
        return POLL_CONNECTIONS.some((key) => next[key]) ? [next] : [];
      });
    }
  }

  /** One page of the full scan of a démarche (the daily `dateExpiration` refresh). */
  async scanPage(demarche: number, after: string | null): Promise<ScanData['demarche']> {
    const { data, denials } = await this.#execute<ScanData>(buildScanQuery(demarche, after));
    if (denials.length) throw new DemarcheUnauthorizedError(demarche);
    return data!.demarche;
  }

  /** The full scan, page by page, resumable from a persisted cursor. */
  scan(demarche: number, after: string | null = null): AsyncGenerator<Page<DossierNode>> {
    return paginate(async (cursor) => (await this.scanPage(demarche, cursor)).dossiers, after);
  }

  /** One dossier; null when DS no longer shows it (corbeille after expiry, purged, or unknown). */
  async dossier(number: number): Promise<DossierData['dossier'] | null> {
    const { data, denials } = await this.#execute<DossierData>(buildDossierQuery(number));
    if (denials.some((d) => d.reason === 'unauthorized')) throw new DemarcheUnauthorizedError();
    return denials.length ? null : data!.dossier;
  }

  /**
   * Everything about one dossier for its export, with its files' signed URLs (valid one hour: call
   * again for fresh ones). Null when DS no longer shows it.
   */
  async exportDossier(number: number): Promise<ExportDossierNode | null> {
    const { data, denials } = await this.#execute<ExportDossierData>(exportDossierRequest(number));
    if (denials.some((d) => d.reason === 'unauthorized')) throw new DemarcheUnauthorizedError();
    return denials.length ? null : data!.dossier;
  }

  /**
   * {@link exportDossier} for a batch of dossiers (at most `EXPORT_BATCH_SIZE`) in one request: the
   * dossiers DS no longer shows are absent from the map.
   */
  async exportDossiers(numbers: readonly number[]): Promise<Map<number, ExportDossierNode>> {
    if (!numbers.length) return new Map();
    const { results, denied } = await this.#aliased<{ number: number }, ExportDossierNode>(
      numbers.map((number) => ({ number })),
      (items) => exportDossiersRequest(items.map((i) => i.number)),
    );
    if (denied.some((d) => d.reason === 'unauthorized')) throw new DemarcheUnauthorizedError();
    return results;
  }

  /** Title, state and retention (`dureeConservationDossiers`) of démarches, in one request. */
  async describeDemarches(
    numbers: readonly number[],
  ): Promise<{ demarches: DemarcheDescriptorNode[]; denied: DeniedDemarche[] }> {
    if (!numbers.length) return { demarches: [], denied: [] };
    const { results, denied } = await this.#aliased<{ number: number }, DemarcheDescriptorNode>(
      numbers.map((number) => ({ number })),
      (items) => buildDescribeQuery(items.map((i) => i.number)),
    );
    return { demarches: [...results.values()], denied };
  }

  /**
   * Which of these démarches the token reads; DS cannot list a token's démarches, so these are the
   * ones the user knows (e.g. seen on /procedures). Token-level refusals throw (expired, network…).
   */
  async testToken(numbers: readonly number[]): Promise<{ readable: DemarcheSummary[]; denied: DeniedDemarche[] }> {
    const { results, denied } = await this.#aliased<{ number: number }, DemarcheSummary>(
      numbers.map((number) => ({ number })),
      (items) => buildProbeQuery(items.map((i) => i.number)),
    );
    return { readable: [...results.values()], denied };
  }

  /**
   * Sends a document with one aliased field per item. DS's `demarche` field is non-null, so one
   * refused démarche voids the whole `data`: then the others are asked again without it (partial
   * data, when DS gives it, is kept as is). Results come in the items' order.
   */
  async #aliased<I extends { number: number }, R>(
    items: readonly I[],
    build: (items: readonly I[]) => GraphQLRequest,
  ): Promise<{ results: Map<number, R>; denied: DeniedDemarche[] }> {
    const denied: DeniedDemarche[] = [];
    for (let remaining = items; ; ) {
      const { data, denials } = await this.#execute<Record<string, R | null>>(build(remaining));
      const refused = new Map(denials.map((d) => [demarcheOfAlias(d.alias), d.reason]));
      if ([...refused.keys()].some((n) => !remaining.some((item) => item.number === n))) {
        throw new ServerError('an error on a field Archiviste did not ask for');
      }
      for (const [number, reason] of refused) denied.push({ number: number!, reason });
      remaining = remaining.filter((item) => !refused.has(item.number));
      if (data || !remaining.length) {
        const results = new Map<number, R>();
        for (const { number } of remaining) {
          const alias = demarcheAlias(number);
          const result = data?.[alias];
          if (result == null) throw new ServerError(`no answer for ${alias}`);
          results.set(number, result);
        }
        return { results, denied };
      }
    }
  }

  /**
   * One document through the retry loop. Resolves with DS's data and the refused root fields (when
   * there are none, `data` is set); any other GraphQL error throws, as DS's docs advise.
   */
  async #execute<T>(request: GraphQLRequest): Promise<{ data: T | null; denials: Denial[] }> {
    const body = await this.#send<T>(request);
    const errors = body.errors ?? [];
    const fatal = errors.find((e) => !isDenial(e));
    if (fatal) {
      if (fatal.extensions?.code === 'deprecated_token') throw new TokenInvalidError();
      throw new ServerError(fatal.message ?? fatal.extensions?.code ?? 'unknown GraphQL error');
    }
    const denials = errors.map((e) => ({
      alias: e.path![0] as string,
      reason: e.extensions!.code as Denial['reason'],
    }));
    if (!denials.length && !body.data) throw new ServerError('no data');
    return { data: body.data ?? null, denials };
  }

  async #send<T>(request: GraphQLRequest): Promise<GraphQLBody<T>> {
    for (let attempt = 1; ; attempt++) {
      await this.#budget.take();
      this.#requests++;
      const outcome = await this.#attempt<T>(request);
      if ('body' in outcome) return outcome.body;
      const wait = outcome.waitMs ?? BACKOFF_BASE_MS * 2 ** (attempt - 1) * (1 + this.#random());
      const maxAttempts = outcome.retry instanceof TooSlowError ? MAX_SLOW_ATTEMPTS : MAX_ATTEMPTS;
      if (attempt >= maxAttempts || wait > this.#maxRetryWaitMs) throw outcome.retry;
      await this.#clock.sleep(wait);
    }
  }

  async #attempt<T>(request: GraphQLRequest): Promise<Attempt<T>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.#url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.#token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify(request),
        signal: controller.signal,
        // The token goes to this URL only: no redirect may carry it elsewhere, no cookie joins it.
        redirect: 'error',
        credentials: 'omit',
        cache: 'no-store',
      });
      text = await response.text();
    } catch {
      return { retry: controller.signal.aborted ? new TooSlowError() : new UnreachableError() };
    } finally {
      clearTimeout(timer);
    }
    return this.#classify<T>(response, text);
  }

  #classify<T>(response: Response, text: string): Attempt<T> {
    const { status } = response;
    const body = parseJson<GraphQLBody<T>>(text);
    if (status === 401 || status === 403) throw refusedTokenError(status, body);
    const now = this.#clock.now();
    const retryAt = retryAtOf(response.headers, now);
    const waitMs = retryAt === null ? undefined : Math.max(0, retryAt - now);
    // Without a header, back off; DS counts per minute, so a minute is the safe hint to reschedule.
    if (status === 429) return { retry: new RateLimitedError(new Date(retryAt ?? now + 60_000)), waitMs };
    if (status >= 500 || status === 408) return { retry: new ServerError(`HTTP ${status}`), waitMs };
    if (status < 200 || status >= 300 || !body || typeof body !== 'object') {
      throw new ServerError(body?.errors?.[0]?.message ?? `HTTP ${status}`);
    }
    const transient = body.errors?.find(isTransient);
    if (transient) return { retry: new ServerError(transient.message ?? transient.extensions!.code!) };
    return { body };
  }
}

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
