import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ProblemCode } from '@/lib/core/db';
import {
  DsApiClient,
  type DsApiClientOptions,
  type PollInput,
  paginate,
  REQUEST_TIMEOUT_MS,
  retryAtOf,
} from '@/lib/ds/api';
import {
  type ApiProblemCode,
  DemarcheUnauthorizedError,
  DsApiError,
  NetworkForbiddenError,
  RateLimitedError,
  ServerError,
  TokenExpiredError,
  TokenInvalidError,
  TooSlowError,
  UnreachableError,
} from '@/lib/ds/api-errors';
import { BUDGET_PER_MINUTE, type Clock, RequestBudget, realClock } from '@/lib/ds/budget';
import type { DeletedDossierNode, DossierNode } from '@/lib/ds/queries';

const ORIGIN = 'https://demarche.numerique.gouv.fr';
const TOKEN = 'NmU1Y2E4YjAtZjk0Ny00ZDQ2LWE4ZmEtOTk2MjRkOTNmNWQ3O3NlY3JldA';
const SINCE = '2025-01-01T00:00:00Z';
const T0 = Date.parse('2026-03-02T09:00:00Z');

// DS's answers, as app/controllers/api/v2/base_controller.rb, app/graphql/api/v2/schema.rb and
// config/initializers/rack_attack.rb write them (see ../shared/ds/API-AND-RULES.md §1).
const dsError = (message: string, code: string, path?: string[]) => ({
  errors: [{ message, ...(path ? { locations: [{ line: 2, column: 3 }], path } : {}), extensions: { code } }],
  data: null,
});
const TOKEN_EXPIRED = { status: 401, body: dsError('Token expired', 'unauthorized') };
const FORBIDDEN_NETWORK = {
  status: 403,
  body: dsError(
    'Request issued from a forbidden network. Add 203.0.113.0/24 to your allowed adresses in your /profil',
    'forbidden',
  ),
};
const UNKNOWN_TOKEN = {
  status: 403,
  body: dsError('Without a token, only persisted queries are allowed', 'forbidden'),
};
const INTERNAL = {
  status: 500,
  body: {
    errors: [{ message: 'Internal Server Error', extensions: { code: 'internal_server_error', exception_id: 'e1' } }],
    data: null,
  },
};
const BAD_GATEWAY = { status: 502, text: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
const COWBOY =
  "Calme toi, cowboy ! T'enchaines un peu trop les requêtes. Respire un peu réessaie dans un petit moment.\n" +
  "Calm down, cowboy! You're making too many requests. Take a breather and try again soon.\n";
const rateLimited = (retryAfter: string, reset: number) => ({
  status: 429,
  text: COWBOY,
  headers: { 'Retry-After': retryAfter, 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(reset) },
});
const hidden = (alias: string, type = 'Demarche') =>
  dsError(`An object of type ${type} was hidden due to permissions`, 'unauthorized', [alias]);
const GRAPHQL_TIMEOUT = { status: 200, body: dsError('Timeout on Demarche.dossiers', 'timeout', ['d1']) };

type Reply =
  | { status?: number; body?: unknown; text?: string; headers?: Record<string, string> }
  | 'network-error'
  | 'hang';

interface Sent {
  url: string;
  init: RequestInit;
  headers: Headers;
  query: string;
  variables: Record<string, unknown>;
  at: number;
}

function fakeClock(start = T0): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** A fake DS: answers each request with the next reply (or a function of the request). */
function fakeDs(replies: (Reply | ((sent: Sent) => Reply))[], clock: Clock) {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = async (input, init = {}) => {
    const { query, variables } = JSON.parse(String(init.body));
    const request = { url: String(input), init, headers: new Headers(init.headers), query, variables, at: clock.now() };
    sent.push(request);
    const next = replies.shift();
    if (!next) throw new Error('unexpected request');
    const reply = typeof next === 'function' ? next(request) : next;
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    if (reply === 'hang') {
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    const text = reply.text ?? JSON.stringify(reply.body);
    const type = reply.text ? 'text/plain' : 'application/json';
    return new Response(text, { status: reply.status ?? 200, headers: { 'Content-Type': type, ...reply.headers } });
  };
  return { fetch, sent };
}

function setup(replies: (Reply | ((sent: Sent) => Reply))[], options: Partial<DsApiClientOptions> = {}) {
  const clock = fakeClock();
  const ds = fakeDs(replies, options.clock ?? clock);
  const client = new DsApiClient({
    origin: ORIGIN,
    token: TOKEN,
    fetch: ds.fetch,
    clock,
    budget: new RequestBudget(BUDGET_PER_MINUTE, clock),
    random: () => 0.5,
    ...options,
  });
  return { client, clock, sent: ds.sent };
}

const dossier = (number: number, extra: Partial<DossierNode> = {}): DossierNode => ({
  number,
  state: 'accepte',
  archived: false,
  dateDepot: '2025-02-01T10:00:00+01:00',
  datePassageEnConstruction: '2025-02-01T10:00:00+01:00',
  dateTraitement: '2025-03-01T10:00:00+01:00',
  dateDerniereModification: '2025-03-01T10:00:00+01:00',
  dateExpiration: '2026-03-01T10:00:00+01:00',
  usager: { email: `usager${number}@example.org` },
  demandeur: { __typename: 'PersonnePhysique', nom: 'Martin', prenom: 'Jeanne' },
  groupeInstructeur: { label: 'défaut' },
  ...extra,
});
const page = <T>(
  nodes: T[],
  endCursor: string | null = nodes.length ? `c${nodes.length}` : null,
  hasNextPage = false,
) => ({
  pageInfo: { hasNextPage, endCursor },
  nodes,
});
const demarche = (number: number, connections: Record<string, unknown> = {}) => ({
  number,
  title: `Démarche ${number}`,
  state: 'publiee',
  ...connections,
});
const quiet = (number: number) => demarche(number, { dossiers: page([]), pendingDeleted: page([]), deleted: page([]) });
const input = (number: number, after: string | null = null): PollInput => ({
  number,
  updatedSince: SINCE,
  after,
  deletedSince: '2026-03-01T00:00:00Z',
});

async function collect<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of generator) items.push(item);
  return items;
}

async function failure(promise: Promise<unknown>): Promise<DsApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DsApiError);
  return error as DsApiError;
}

describe('DsApiClient transport', () => {
  it('POSTs JSON with the bearer token to its own instance’s /api/v2/graphql only', async () => {
    const { client, sent } = setup([{ body: { data: { __typename: 'Query' } } }]);
    await expect(client.request('query { __typename }')).resolves.toEqual({ __typename: 'Query' });
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request!.url).toBe(`${ORIGIN}/api/v2/graphql`);
    expect(request!.init.method).toBe('POST');
    expect(request!.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(request!.headers.get('Content-Type')).toBe('application/json');
    expect(request!.init).toMatchObject({ redirect: 'error', credentials: 'omit' });
    expect(request!.variables).toEqual({});
    expect(client.requests).toBe(1);
  });

  it.each([
    ['http://demarche.numerique.gouv.fr', /HTTPS only/],
    ['http://192.168.1.10:3000', /HTTPS only/],
    ['ftp://demarche.numerique.gouv.fr', /HTTPS only/],
    [`${ORIGIN}/api/v2/graphql`, /Not an origin/],
    [`${ORIGIN}/?x=1`, /Not an origin/],
  ])('refuses to send the token to %s', (origin, error) => {
    const { fetch, sent } = fakeDs([], fakeClock());
    expect(() => new DsApiClient({ origin, token: TOKEN, fetch })).toThrow(error);
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['https://www.mes-demarches.gov.pf', 'https://www.mes-demarches.gov.pf/api/v2/graphql'],
    ['https://demarche.numerique.gouv.fr/', `${ORIGIN}/api/v2/graphql`],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000/api/v2/graphql'],
    ['http://localhost:8080', 'http://localhost:8080/api/v2/graphql'],
  ])('accepts %s (HTTPS, or the loopback demo instance)', async (origin, url) => {
    const { client, sent } = setup([{ body: { data: { __typename: 'Query' } } }], { origin });
    await client.request('query { __typename }');
    expect(sent[0]!.url).toBe(url);
  });

  it.each(['', '   ', 'abc\ndef', 'jeton avec espaces'])('refuses a malformed token %j', (token) => {
    expect(() => new DsApiClient({ origin: ORIGIN, token })).toThrow(TokenInvalidError);
  });
});

describe('typed errors', () => {
  it('401 Token expired → token-expired, not retried', async () => {
    const { client, sent } = setup([TOKEN_EXPIRED]);
    const error = await failure(client.testToken([104532]));
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(error.code).toBe('token-expired');
    expect(sent).toHaveLength(1);
  });

  it('403 forbidden network → network-forbidden with the address range to add', async () => {
    const { client } = setup([FORBIDDEN_NETWORK]);
    const error = await failure(client.testToken([]));
    expect(error).toBeInstanceOf(NetworkForbiddenError);
    expect(error).toMatchObject({ code: 'network-forbidden', detail: '203.0.113.0/24', range: '203.0.113.0/24' });
    expect(error.message).toContain('203.0.113.0/24');
  });

  it('reads an IPv6 range too', async () => {
    const message =
      'Request issued from a forbidden network. Add 2001:db8::1/128 to your allowed adresses in your /profil';
    const { client } = setup([{ status: 403, body: dsError(message, 'forbidden') }]);
    expect(await failure(client.testToken([]))).toMatchObject({ code: 'network-forbidden', detail: '2001:db8::1/128' });
  });

  it.each([
    ['an unknown token (403, persisted queries only)', UNKNOWN_TOKEN],
    ['another 401', { status: 401, body: dsError('Unauthorized', 'unauthorized') }],
    ['an old-format token', { status: 200, body: dsError('Pour effectuer cette opération…', 'deprecated_token') }],
  ])('%s → token-invalid', async (_case, reply) => {
    const { client, sent } = setup([reply]);
    expect(await failure(client.testToken([]))).toMatchObject({ code: 'token-invalid' });
    expect(sent).toHaveLength(1);
  });

  it('any other GraphQL error at the root is fatal: server-error, not retried', async () => {
    const { client, sent } = setup([
      { status: 200, body: dsError('Cannot return null for non-nullable field Dossier.demandeur', 'invalid_null') },
    ]);
    const error = await failure(client.scanPage(104532, null));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.detail).toBe('Cannot return null for non-nullable field Dossier.demandeur');
    expect(sent).toHaveLength(1);
  });

  it('a 400 (query DS cannot parse) is fatal', async () => {
    const { client, sent } = setup([
      { status: 400, body: dsError('Parse error on "}" (RCURLY)', 'graphql_parse_failed') },
    ]);
    expect(await failure(client.request('query {'))).toMatchObject({ code: 'server-error' });
    expect(sent).toHaveLength(1);
  });

  it('every API problem code is one the UI knows', () => {
    expectTypeOf<ApiProblemCode>().toExtend<ProblemCode>();
    const codes: ProblemCode[] = [
      new TokenExpiredError().code,
      new TokenInvalidError().code,
      new NetworkForbiddenError('1.2.3.4/32').code,
      new DemarcheUnauthorizedError(1).code,
      new RateLimitedError(new Date(T0)).code,
      new ServerError('x').code,
      new UnreachableError().code,
      new TooSlowError().code,
    ];
    expect(new Set(codes).size).toBe(8);
  });
});

describe('retries', () => {
  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    const { client, clock, sent } = setup([BAD_GATEWAY, INTERNAL, { body: { data: { __typename: 'Query' } } }]);
    await expect(client.request('query { __typename }')).resolves.toEqual({ __typename: 'Query' });
    expect(sent).toHaveLength(3);
    // base 1 s × 2^(attempt−1) × (1 + random), random = 0.5
    expect(clock.slept).toEqual([1500, 3000]);
  });

  it('gives up after 3 attempts with server-error', async () => {
    const { client, sent } = setup([INTERNAL, BAD_GATEWAY, { status: 503, text: 'Service Unavailable' }]);
    expect(await failure(client.request('query { __typename }'))).toMatchObject({
      code: 'server-error',
      detail: 'HTTP 503',
    });
    expect(sent).toHaveLength(3);
  });

  it("retries DS's own GraphQL timeout, then succeeds", async () => {
    const { client, sent } = setup([GRAPHQL_TIMEOUT, { body: { data: { d1: quiet(1) } } }]);
    const rounds = await collect(client.poll([input(1)]));
    expect(rounds).toHaveLength(1);
    expect(sent).toHaveLength(2);
  });

  it('retries after a network error, then reports unreachable', async () => {
    const ok = setup(['network-error', { body: { data: { __typename: 'Query' } } }]);
    await expect(ok.client.request('query { __typename }')).resolves.toEqual({ __typename: 'Query' });
    const down = setup(['network-error', 'network-error', 'network-error']);
    expect(await failure(down.client.request('query { __typename }'))).toMatchObject({
      code: 'unreachable',
      detail: 'network',
    });
    expect(down.sent).toHaveLength(3);
  });

  it('aborts a request that takes too long, retries, then succeeds', async () => {
    const { client, sent } = setup(['hang', { body: { data: { __typename: 'Query' } } }], { timeoutMs: 20 });
    await expect(client.request('query { __typename }')).resolves.toEqual({ __typename: 'Query' });
    expect(sent).toHaveLength(2);
    expect(sent[0]!.init.signal?.aborted).toBe(true);
  });

  it('reports "too-slow" after 2 unanswered attempts, not 3 (each costs the whole timeout)', async () => {
    const { client, sent } = setup(['hang', 'hang', { body: { data: { __typename: 'Query' } } }], { timeoutMs: 10 });
    const error = await failure(client.request('query { __typename }'));
    expect(error).toBeInstanceOf(TooSlowError);
    expect(error).toMatchObject({ code: 'too-slow', detail: 'timeout' });
    expect(sent).toHaveLength(2);
  });

  it('aborts after 25 s at most, whatever the caller asks (DS and Chrome both stop at 30 s)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { client, sent } = setup(['hang', { body: { data: { __typename: 'Query' } } }], { timeoutMs: 60_000 });
      const pending = client.request('query { __typename }');
      await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1);
      expect(sent[0]!.init.signal!.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await expect(pending).resolves.toEqual({ __typename: 'Query' });
      expect(sent[0]!.init.signal!.aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('rate limit (429)', () => {
  it('waits for Retry-After, then succeeds', async () => {
    const { client, clock, sent } = setup([
      rateLimited('17', T0 / 1000 + 17),
      { body: { data: { __typename: 'Query' } } },
    ]);
    await client.request('query { __typename }');
    expect(clock.slept).toEqual([17_000]);
    expect(sent[1]!.at - sent[0]!.at).toBe(17_000);
  });

  it('accepts Retry-After as an HTTP date, and RateLimit-Reset alone', async () => {
    const date = setup([
      { status: 429, text: COWBOY, headers: { 'Retry-After': new Date(T0 + 9_000).toUTCString() } },
      { body: { data: { __typename: 'Query' } } },
    ]);
    await date.client.request('query { __typename }');
    expect(date.clock.slept).toEqual([9_000]);
    const reset = setup([
      { status: 429, text: COWBOY, headers: { 'RateLimit-Reset': String(T0 / 1000 + 12) } },
      { body: { data: { __typename: 'Query' } } },
    ]);
    await reset.client.request('query { __typename }');
    expect(reset.clock.slept).toEqual([12_000]);
  });

  it('reports rate-limited when still limited after waiting', async () => {
    const { client, sent } = setup([
      rateLimited('5', T0 / 1000 + 5),
      rateLimited('5', T0 / 1000 + 10),
      rateLimited('5', T0 / 1000 + 15),
    ]);
    const error = await failure(client.request('query { __typename }'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.detail).toBe(new Date(T0 + 15_000).toISOString());
    expect(sent).toHaveLength(3);
  });

  it('does not sleep longer than a service worker lives: reports when to come back instead', async () => {
    const { client, clock, sent } = setup([rateLimited('45', T0 / 1000 + 45)]);
    const error = await failure(client.request('query { __typename }'));
    expect(error).toMatchObject({ code: 'rate-limited', retryAt: new Date(T0 + 45_000) });
    expect(clock.slept).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('waits out DS’s whole minute where the caller may (a page, not a service worker)', async () => {
    const { client, clock } = setup([rateLimited('45', T0 / 1000 + 45), { body: { data: { __typename: 'Query' } } }], {
      maxRetryWaitMs: 65_000,
    });
    await client.request('query { __typename }');
    expect(clock.slept).toEqual([45_000]);
  });

  it.each([
    [{ 'Retry-After': '30' }, T0 + 30_000],
    [{ 'Retry-After': 'Mon, 02 Mar 2026 09:01:00 GMT' }, T0 + 60_000],
    [{ 'RateLimit-Reset': String(T0 / 1000 + 42) }, T0 + 42_000],
    [{ 'Retry-After': 'soon' }, null],
    [{}, null],
  ])('retryAtOf(%j)', (headers, expected) => {
    expect(retryAtOf(new Headers(headers), T0)).toBe(expected);
  });
});

describe('budget', () => {
  it('spreads 450 concurrent requests over more than a minute, never over 300 (DS allows 400) in any minute', async () => {
    // Concurrent sleepers need a real timeline: Vitest's fake timers drive realClock.
    vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const replies = Array.from({ length: 450 }, () => ({ body: { data: { __typename: 'Query' } } }));
      const { client, sent } = setup(replies, { clock: realClock, budget: new RequestBudget(BUDGET_PER_MINUTE) });
      const all = Promise.all(Array.from({ length: 450 }, () => client.request('query { __typename }')));
      await vi.runAllTimersAsync();
      await all;
      expect(sent).toHaveLength(450);
      const times = sent.map((s) => s.at).sort((a, b) => a - b);
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length));
      expect(busiest).toBe(BUDGET_PER_MINUTE);
      expect(busiest).toBeLessThan(400);
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(60_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not wait while under the limit', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget(3, clock);
    for (let i = 0; i < 3; i++) await budget.take();
    expect(clock.slept).toEqual([]);
    await budget.take();
    expect(clock.slept).toEqual([60_000]);
  });

  it('refuses a budget at or above DS’s limit', () => {
    expect(() => new RequestBudget(400)).toThrow(RangeError);
  });
});

describe('poll', () => {
  it('costs one request for 5 watched démarches when nothing changed', async () => {
    const numbers = [1, 2, 3, 4, 5];
    const { client, sent } = setup([{ body: { data: Object.fromEntries(numbers.map((n) => [`d${n}`, quiet(n)])) } }]);
    const rounds = await collect(client.poll(numbers.map((n) => input(n, `cursor-${n}`))));
    expect(sent).toHaveLength(1);
    expect(rounds).toHaveLength(1);
    expect(
      rounds[0]!.demarches.map((d) => [d.number, d.dossiers?.nodes.length, d.dossiers?.pageInfo.endCursor]),
    ).toEqual(numbers.map((n) => [n, 0, null]));
    expect(sent[0]!.variables).toMatchObject({ d3_dossiersAfter: 'cursor-3', d3_dossiersSince: SINCE, first: 100 });
  });

  it('returns changed, trashed and purged dossiers, with their cursors', async () => {
    const trashed: DeletedDossierNode = {
      number: 12,
      state: 'accepte',
      reason: 'instructeur_request',
      dateSupression: '2026-03-01T12:00:00+01:00',
    };
    const purged: DeletedDossierNode = {
      number: 13,
      state: 'en_construction',
      reason: 'expired',
      dateSupression: '2026-03-02T02:00:00+01:00',
    };
    const { client } = setup([
      {
        body: {
          data: {
            d1: demarche(1, {
              dossiers: page([dossier(11)], 'k11'),
              pendingDeleted: page([trashed]),
              deleted: page([purged]),
            }),
          },
        },
      },
    ]);
    const [round] = await collect(client.poll([input(1)]));
    expect(round!.demarches[0]).toMatchObject({
      number: 1,
      title: 'Démarche 1',
      dossiers: {
        nodes: [{ number: 11, dateExpiration: '2026-03-01T10:00:00+01:00' }],
        pageInfo: { endCursor: 'k11' },
      },
      pendingDeleted: { nodes: [trashed] },
      deleted: { nodes: [{ number: 13, reason: 'expired' }] },
    });
  });

  it('keeps asking, démarche by démarche and connection by connection, while pages remain', async () => {
    const { client, sent } = setup([
      {
        body: {
          data: {
            d1: demarche(1, {
              dossiers: page([dossier(1)], 'a1', true),
              pendingDeleted: page([]),
              deleted: page([], 'z1', true),
            }),
            d2: quiet(2),
          },
        },
      },
      { body: { data: { d1: demarche(1, { dossiers: page([dossier(2)], 'a2'), deleted: page([]) }) } } },
    ]);
    const rounds = await collect(client.poll([input(1), input(2)]));
    expect(rounds).toHaveLength(2);
    expect(sent[1]!.variables).toEqual({
      first: 100,
      d1_number: 1,
      d1_dossiersSince: SINCE,
      d1_dossiersAfter: 'a1',
      d1_deletedSince: '2026-03-01T00:00:00Z',
      d1_deletedAfter: 'z1',
    });
    expect(sent[1]!.query).not.toContain('d2:');
    expect(sent[1]!.query).not.toContain('pendingDeletedDossiers(');
    expect(rounds[1]!.demarches.map((d) => d.dossiers?.pageInfo.endCursor)).toEqual(['a2']);
  });

  it('asks smaller pages when many démarches share a request', async () => {
    const numbers = Array.from({ length: 10 }, (_, i) => i + 1);
    const { client, sent } = setup([{ body: { data: Object.fromEntries(numbers.map((n) => [`d${n}`, quiet(n)])) } }]);
    await collect(client.poll(numbers.map((n) => input(n))));
    expect(sent[0]!.variables.first).toBe(50);
  });

  it('drops a démarche the token cannot read and asks again for the others (DS voids all data)', async () => {
    const { client, sent } = setup([{ body: hidden('d2') }, { body: { data: { d1: quiet(1), d3: quiet(3) } } }]);
    const rounds = await collect(client.poll([input(1), input(2), input(3)]));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.query).not.toMatch(/\bd2:/);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]!.denied).toEqual([{ number: 2, reason: 'unauthorized' }]);
    expect(rounds[0]!.demarches.map((d) => d.number)).toEqual([1, 3]);
  });

  it('keeps partial data as is when DS sends it', async () => {
    const { client, sent } = setup([{ body: { data: { d1: quiet(1), d2: null }, errors: hidden('d2').errors } }]);
    const [round] = await collect(client.poll([input(1), input(2)]));
    expect(sent).toHaveLength(1);
    expect(round!.demarches.map((d) => d.number)).toEqual([1]);
    expect(round!.denied).toEqual([{ number: 2, reason: 'unauthorized' }]);
  });

  it('refuses an answer that leaves a démarche out without saying why', async () => {
    const { client } = setup([{ body: { data: { d1: quiet(1), d2: null } } }]);
    expect(await failure(collect(client.poll([input(1), input(2)])))).toMatchObject({
      code: 'server-error',
      detail: 'no answer for d2',
    });
  });

  it('reports a démarche DS does not know as not_found', async () => {
    const { client } = setup([{ body: dsError('Demarche not found', 'not_found', ['d9']) }]);
    const [round] = await collect(client.poll([input(9)]));
    expect(round).toEqual({ demarches: [], denied: [{ number: 9, reason: 'not_found' }] });
  });

  it('first sync of 10,000 dossiers in one démarche: 100 requests', async () => {
    const total = 10_000;
    const serve = (sent: Sent): Reply => {
      const after = sent.variables.d1_dossiersAfter as string | null;
      const from = after ? Number(after) : 0;
      const count = Math.min(sent.variables.first as number, total - from);
      const nodes = Array.from({ length: count }, (_, i) => dossier(from + i + 1));
      const connections: Record<string, unknown> = {
        dossiers: page(nodes, String(from + count), from + count < total),
      };
      if ('d1_deletedSince' in sent.variables)
        Object.assign(connections, { pendingDeleted: page([]), deleted: page([]) });
      return { body: { data: { d1: demarche(1, connections) } } };
    };
    const { client, sent } = setup(Array.from({ length: 100 }, () => serve));
    let seen = 0;
    for await (const round of client.poll([input(1)])) seen += round.demarches[0]!.dossiers!.nodes.length;
    expect(seen).toBe(total);
    expect(sent).toHaveLength(100);
    expect(client.requests).toBe(100);
  });
});

describe('scan, dossier, descriptors, token test', () => {
  it('scans a démarche by pages of 100, following endCursor, resumable from a cursor', async () => {
    const { client, sent } = setup([
      { body: { data: { demarche: demarche(1, { dossiers: page([dossier(1)], 'p2', true) }) } } },
      { body: { data: { demarche: demarche(1, { dossiers: page([dossier(2)], 'p3', true) }) } } },
      { body: { data: { demarche: demarche(1, { dossiers: page([dossier(3)], 'p3', false) }) } } },
    ]);
    const pages = await collect(client.scan(1, 'p1'));
    expect(pages.flatMap((p) => p.nodes.map((n) => n.number))).toEqual([1, 2, 3]);
    expect(sent.map((s) => s.variables.after)).toEqual(['p1', 'p2', 'p3']);
    expect(sent.every((s) => s.variables.first === 100 && s.variables.number === 1)).toBe(true);
  });

  it('scan of a démarche the token cannot read → demarche-unauthorized with its number', async () => {
    const { client } = setup([{ body: hidden('demarche') }]);
    expect(await failure(client.scanPage(104532, null))).toMatchObject({
      code: 'demarche-unauthorized',
      detail: '104532',
    });
  });

  it('paginate stops on the last page or a missing cursor', async () => {
    const calls: (string | null)[] = [];
    const pages = await collect(
      paginate(async (after) => {
        calls.push(after);
        return page([after], after === 'x' ? null : 'x', true);
      }),
    );
    expect(pages).toHaveLength(2);
    expect(calls).toEqual([null, 'x']);
  });

  it('reads one dossier; null once DS no longer shows it; refused when its démarche is not covered', async () => {
    const found = { ...dossier(42), demarche: { number: 7 } };
    const { client } = setup([
      { body: { data: { dossier: found } } },
      { body: dsError('Dossier not found', 'not_found', ['dossier']) },
      { body: hidden('dossier', 'Dossier') },
    ]);
    await expect(client.dossier(42)).resolves.toEqual(found);
    await expect(client.dossier(43)).resolves.toBeNull();
    expect(await failure(client.dossier(44))).toBeInstanceOf(DemarcheUnauthorizedError);
  });

  it('describes démarches in one request; a refused descriptor does not void the others', async () => {
    const descriptor = { number: 1, title: 'Démarche 1', state: 'publiee', dureeConservationDossiers: 12 };
    const { client, sent } = setup([
      { body: { data: { d1: descriptor, d2: null }, errors: hidden('d2', 'DemarcheDescriptor').errors } },
    ]);
    await expect(client.describeDemarches([1, 2])).resolves.toEqual({
      demarches: [descriptor],
      denied: [{ number: 2, reason: 'unauthorized' }],
    });
    expect(sent).toHaveLength(1);
    await expect(client.describeDemarches([])).resolves.toEqual({ demarches: [], denied: [] });
    expect(sent).toHaveLength(1);
  });

  it('tests a token on the démarches the user knows: readable ones and refused ones', async () => {
    const { client, sent } = setup([
      {
        body: {
          errors: [...hidden('d2').errors, ...dsError('Demarche not found', 'not_found', ['d4']).errors],
          data: null,
        },
      },
      { body: { data: { d1: demarche(1), d3: demarche(3) } } },
    ]);
    await expect(client.testToken([1, 2, 3, 4])).resolves.toEqual({
      readable: [demarche(1), demarche(3)],
      denied: [
        { number: 2, reason: 'unauthorized' },
        { number: 4, reason: 'not_found' },
      ],
    });
    expect(sent).toHaveLength(2);
  });

  it('tests a token with no known démarche through __typename', async () => {
    const { client, sent } = setup([{ body: { data: { __typename: 'Query' } } }]);
    await expect(client.testToken([])).resolves.toEqual({ readable: [], denied: [] });
    expect(sent[0]!.query).toContain('__typename');
  });

  it('a refused démarche in a plain request is fatal', async () => {
    const { client } = setup([{ body: hidden('d5') }]);
    expect(await failure(client.request('query { d5: demarche(number: 5) { number } }'))).toMatchObject({
      code: 'demarche-unauthorized',
      detail: '5',
    });
  });
});

describe('the token stays secret', () => {
  it('appears in no error, message or serialisation', async () => {
    const scenarios: Reply[][] = [
      [TOKEN_EXPIRED],
      [FORBIDDEN_NETWORK],
      [UNKNOWN_TOKEN],
      [INTERNAL, INTERNAL, INTERNAL],
      ['network-error', 'network-error', 'network-error'],
      [rateLimited('45', T0 / 1000 + 45)],
      [{ body: hidden('d1') }],
      [{ status: 400, body: dsError('Parse error', 'graphql_parse_failed') }],
    ];
    for (const replies of scenarios) {
      const { client } = setup(replies);
      const error = await failure(client.scanPage(1, null));
      const rendered = [String(error), error.message, error.detail, error.stack, JSON.stringify(error)].join('\n');
      expect(rendered).not.toContain(TOKEN);
      expect(JSON.stringify(client)).not.toContain(TOKEN);
      expect(Object.values(client).join()).not.toContain(TOKEN);
    }
    expect(() => new DsApiClient({ origin: 'http://example.org', token: TOKEN })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(TOKEN) }),
    );
  });
});
