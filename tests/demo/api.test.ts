import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { graphql, start } from './helpers';

interface Page {
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  nodes: Array<{
    number: number;
    state: string;
    dateDepot: string;
    dateDerniereModification: string;
    dateExpiration: string | null;
  }>;
}

const DOSSIERS = `query dossiers($number: Int!, $first: Int, $last: Int, $after: String, $before: String, $state: DossierState,
  $archived: Boolean, $updatedSince: ISO8601DateTime, $createdSince: ISO8601DateTime, $order: Order) {
  demarche(number: $number) {
    dossiers(first: $first, last: $last, after: $after, before: $before, state: $state, archived: $archived,
             updatedSince: $updatedSince, createdSince: $createdSince, order: $order) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { number state dateDepot dateDerniereModification dateExpiration }
    }
  }
}`;

describe('GraphQL API', () => {
  let demo: DemoInstance;
  let demarche: number;
  const dossiers = async (variables: Record<string, unknown>, token?: string | null) => {
    const response = await graphql<{ demarche: { dossiers: Page } }>(
      demo,
      { query: DOSSIERS, variables: { number: demarche, ...variables } },
      token,
    );
    return response;
  };
  const page = async (variables: Record<string, unknown>) => (await dossiers(variables)).body.data!.demarche.dossiers;

  beforeAll(async () => {
    demo = await start({ demarches: 2, dossiers: 500 });
    demarche = demo.demarches[0]!.number;
  });
  afterAll(() => demo.close());
  afterEach(() => {
    demo.faults.clear();
    demo.resetRateLimit();
  });

  const visible = () => demo.admin.dossiers({ demarche }).filter((d) => d.visible);

  describe('pagination', () => {
    it('pages forward by deposit date with first/after, at most 100 per page', async () => {
      const seen: number[] = [];
      let after: string | null = null;
      let previous: Page | null = null;
      do {
        const current: Page = await page({ first: 500, after });
        expect(current.nodes.length).toBeLessThanOrEqual(100);
        expect(current.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...current.nodes.map((n) => n.number));
        after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
        previous = current;
      } while (after);
      expect(previous?.pageInfo.hasNextPage).toBe(false);
      const expected = visible()
        .sort((a, b) => a.deposeAt.localeCompare(b.deposeAt) || a.number - b.number)
        .map((d) => d.number);
      expect(seen).toEqual(expected);
    });

    it('pages backward with last/before and keeps ascending order inside a page', async () => {
      const last = await page({ last: 10 });
      expect(last.nodes).toHaveLength(10);
      expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const before = await page({ last: 10, before: last.pageInfo.startCursor });
      expect(before.pageInfo.hasNextPage).toBe(true);
      const all = visible().sort((a, b) => a.deposeAt.localeCompare(b.deposeAt) || a.number - b.number);
      expect([...before.nodes, ...last.nodes].map((n) => n.number)).toEqual(all.slice(-20).map((d) => d.number));
    });

    it('uses DS’s opaque cursors: base64url of "<UTC timestamp with nanoseconds>;<id>"', async () => {
      const first = await page({ first: 1 });
      const decoded = Buffer.from(first.pageInfo.endCursor!, 'base64url').toString('utf8');
      expect(decoded).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z;\d+$/);
      expect(decoded.endsWith(`;${first.nodes[0]!.number}`)).toBe(true);
    });

    it('supports the deprecated order: DESC', async () => {
      const desc = await page({ first: 5, order: 'DESC' });
      const all = visible().sort((a, b) => b.deposeAt.localeCompare(a.deposeAt) || b.number - a.number);
      expect(desc.nodes.map((n) => n.number)).toEqual(all.slice(0, 5).map((d) => d.number));
      expect(desc.pageInfo.hasNextPage).toBe(true);
    });

    it.each([
      [{ first: 1, last: 1 }, 'Arguments "first" and "last" are exclusive'],
      [{ first: -1 }, 'Argument "first" must be a non-negative integer'],
      [{ after: 'x', before: 'y' }, 'Arguments "before" and "after" are exclusive'],
    ])('rejects %o with a bad_request error', async (variables, message) => {
      const { status, body } = await dossiers(variables);
      expect(status).toBe(200);
      expect(body.errors?.[0]).toMatchObject({ message, extensions: { code: 'bad_request' } });
    });
  });

  describe('filters', () => {
    it('filters on state and archived', async () => {
      const accepted = await page({ state: 'accepte', first: 100 });
      expect(accepted.nodes.length).toBeGreaterThan(0);
      expect(accepted.nodes.every((n) => n.state === 'accepte')).toBe(true);
      const archived = await page({ archived: true, first: 100 });
      const expected = visible().filter((d) => d.archived);
      expect(archived.nodes.map((n) => n.number).sort()).toEqual(expected.map((d) => d.number).sort());
    });

    it('filters createdSince on the deposit date and updatedSince on updated_at, sorted by it', async () => {
      const since = '2025-12-01T00:00:00+01:00';
      const created = await page({ createdSince: since, first: 100 });
      expect(created.nodes.every((n) => n.dateDepot >= '2025-12-01')).toBe(true);
      const updated = await page({ updatedSince: since, first: 100 });
      const expected = visible().filter((d) => d.updatedAt >= new Date(since).toISOString());
      expect(updated.nodes.map((n) => n.number).sort()).toEqual(expected.map((d) => d.number).sort());
      const times = updated.nodes.map((n) => new Date(n.dateDerniereModification).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('answers en instruction and en construction dossiers without dateExpiration, terminé ones with expired_at', async () => {
      for (const state of ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite']) {
        const { nodes } = await page({ first: 100, state });
        expect(nodes.length).toBeGreaterThan(0);
        for (const node of nodes) {
          const summary = demo.admin.dossier(node.number)!;
          // Since June 2026 an en construction dossier never expires, whatever its residual expired_at.
          if (state === 'en_instruction' || state === 'en_construction') expect(node.dateExpiration).toBeNull();
          else expect(new Date(node.dateExpiration!).toISOString()).toBe(summary.expiredAt);
        }
        if (state === 'en_construction') {
          expect(nodes.filter((n) => demo.admin.dossier(n.number)!.expiredAt !== null).length).toBeGreaterThan(0);
        }
      }
    });

    it('answers en construction dossiers with their expired_at under the 2025 rules', async () => {
      const older = await start({ demarches: 2, dossiers: 100, rules: '2025' });
      try {
        const { body } = await graphql<{ demarche: { dossiers: Page } }>(older, {
          query: DOSSIERS,
          variables: { number: demarche, first: 100, state: 'en_construction' },
        });
        const nodes = body.data!.demarche.dossiers.nodes;
        expect(nodes.length).toBeGreaterThan(0);
        for (const node of nodes) {
          const summary = older.admin.dossier(node.number)!;
          expect(node.dateExpiration).not.toBeNull();
          expect(new Date(node.dateExpiration!).toISOString()).toBe(summary.expiredAt);
        }
      } finally {
        await older.close();
      }
    });
  });

  describe('errors and HTTP codes, as DS answers them', () => {
    const QUERY = '{ demarche(number: 104532) { title } }';

    it('401 Token expired', async () => {
      demo.faults.set({ tokenExpired: true });
      const { status, body } = await graphql(demo, { query: QUERY });
      expect(status).toBe(401);
      expect(body).toEqual({
        errors: [{ message: 'Token expired', extensions: { code: 'unauthorized' } }],
        data: null,
      });
    });

    it('401 once a token expires after a given number of answers (mid-sync), until cleared', async () => {
      demo.faults.set({ tokenExpired: { afterRequests: 2 } });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await graphql(demo, { query: QUERY })).status);
      expect(statuses).toEqual([200, 200, 401, 401]);
      demo.faults.clear();
      expect((await graphql(demo, { query: QUERY })).status).toBe(200);
    });

    it('every session ends after a given number of pages, once (signing in again works)', async () => {
      const cookie = demo.admin.sessionCookie();
      const page = () => fetch(`${demo.url}/procedures`, { headers: { cookie }, redirect: 'manual' });
      demo.faults.set({ signedOut: { afterRequests: 1 } });
      expect((await page()).status).toBe(200);
      const after = await page();
      expect(after.status).toBe(302);
      expect(after.headers.get('location')).toBe('/users/sign_in');
      expect(demo.faults.current().signedOut).toBeUndefined();
      const again = demo.admin.sessionCookie();
      expect((await fetch(`${demo.url}/procedures`, { headers: { cookie: again }, redirect: 'manual' })).status).toBe(
        200,
      );
    });

    it('401 for a token past its expiry date on the demo clock', async () => {
      const token = demo.admin.createToken({ expiresAt: new Date(demo.clock.now().getTime() - 1000).toISOString() });
      expect((await graphql(demo, { query: QUERY }, token.bearer)).status).toBe(401);
    });

    it('403 from a forbidden network', async () => {
      demo.faults.set({ forbiddenNetwork: true });
      const { status, body } = await graphql(demo, { query: QUERY });
      expect(status).toBe(403);
      expect(body.errors?.[0]).toEqual({
        message: 'Request issued from a forbidden network. Add 127.0.0.1/32 to your allowed adresses in your /profil',
        extensions: { code: 'forbidden' },
      });
    });

    it('403 without a token unless the query is persisted (an unknown token counts as none)', async () => {
      for (const token of [null, 'not-a-token']) {
        const { status, body } = await graphql(demo, { query: QUERY }, token);
        expect(status).toBe(403);
        expect(body.errors?.[0]?.message).toBe('Without a token, only persisted queries are allowed');
      }
    });

    it('HTTP 200 with an unauthorized error for a démarche outside the token', async () => {
      const [allowed, other] = demo.demarches;
      const token = demo.admin.createToken({ demarches: [allowed!.number] });
      const ok = await graphql(demo, { query: `{ demarche(number: ${allowed!.number}) { title } }` }, token.bearer);
      expect(ok.body.data).toEqual({ demarche: { title: allowed!.title } });
      const denied = await graphql(demo, { query: `{ demarche(number: ${other!.number}) { title } }` }, token.bearer);
      expect(denied.status).toBe(200);
      expect(denied.body.data).toBeNull();
      expect(denied.body.errors?.[0]).toMatchObject({
        message: 'An object of type Demarche was hidden due to permissions',
        extensions: { code: 'unauthorized' },
      });
      const otherDossier = demo.admin.dossiers({ demarche: other!.number }).find((d) => d.visible)!;
      const dossier = await graphql(
        demo,
        { query: `{ dossier(number: ${otherDossier.number}) { number } }` },
        token.bearer,
      );
      expect(dossier.body.errors?.[0]?.message).toBe('An object of type Dossier was hidden due to permissions');
    });

    it('not_found for unknown or hidden records', async () => {
      const missing = await graphql(demo, { query: '{ dossier(number: 1) { number } }' });
      expect(missing.body.errors?.[0]).toMatchObject({
        message: 'Dossier not found',
        extensions: { code: 'not_found' },
      });
      const hidden = demo.admin.dossiers().find((d) => d.inCorbeille)!;
      const inCorbeille = await graphql(demo, { query: `{ dossier(number: ${hidden.number}) { number } }` });
      expect(inCorbeille.body.errors?.[0]?.message).toBe('Dossier not found');
    });

    it('answers slowly on demand', async () => {
      demo.faults.set({ slow: { target: 'graphql', delayMs: 300, count: 1 } });
      const begin = performance.now();
      expect((await graphql(demo, { query: QUERY })).status).toBe(200);
      expect(performance.now() - begin).toBeGreaterThanOrEqual(290);
      expect(demo.faults.current().slow).toBeUndefined();
    });

    it('500 on demand, shaped as DS’s internal_server_error', async () => {
      demo.faults.set({ serverError: { target: 'graphql', count: 1 } });
      const failed = await graphql(demo, { query: QUERY });
      expect(failed.status).toBe(500);
      expect(failed.body.errors?.[0]).toMatchObject({
        message: 'Internal Server Error',
        extensions: { code: 'internal_server_error' },
      });
      expect((await graphql(demo, { query: QUERY })).status).toBe(200);
    });
  });

  describe('rate limit', { timeout: 15_000 }, () => {
    // The throttle counts in fixed one-minute windows: start a burst well inside one.
    const insideAMinute = async () => {
      const second = (Date.now() / 1000) % 60;
      if (second > 55) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    };

    it('answers 429 past the limit per minute and token, with Retry-After and RateLimit-Reset', async () => {
      await insideAMinute();
      demo.faults.set({ rateLimit: 3 });
      const statuses: number[] = [];
      let throttled: Awaited<ReturnType<typeof graphql>> | null = null;
      for (let i = 0; i < 4; i++) {
        const response = await graphql(demo, { query: '{ demarche(number: 104532) { number } }' });
        statuses.push(response.status);
        if (response.status === 429) throttled = response;
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const retryAfter = Number(throttled!.headers.get('retry-after'));
      const reset = Number(throttled!.headers.get('ratelimit-reset'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(throttled!.headers.get('ratelimit-remaining')).toBe('0');
      expect(Math.abs(reset - (Math.floor(Date.now() / 1000) + retryAfter))).toBeLessThanOrEqual(1);
      // Another token has its own budget.
      const other = demo.admin.createToken();
      expect((await graphql(demo, { query: '{ demarche(number: 104532) { number } }' }, other.bearer)).status).toBe(
        200,
      );
    });

    it('allows 400 requests per minute by default', async () => {
      await insideAMinute();
      const statuses = await Promise.all(
        Array.from({ length: 401 }, () => graphql(demo, { query: '{ __typename }' }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    });
  });

  describe('persisted queries (queryId ds-query-v2)', () => {
    it('getDemarche with DS’s include switches', async () => {
      const { body } = await graphql<{ demarche: Record<string, unknown> }>(demo, {
        queryId: 'ds-query-v2',
        operationName: 'getDemarche',
        variables: {
          demarcheNumber: demarche,
          includeDossiers: true,
          first: 2,
          includeDeletedDossiers: true,
          includeService: true,
        },
      });
      expect(body.errors).toBeUndefined();
      const result = body.data!.demarche as {
        number: number;
        dossiers: { nodes: Array<Record<string, unknown>> };
        deletedDossiers: { nodes: unknown[] };
        service: { nom: string };
        pendingDeletedDossiers?: unknown;
        activeRevision?: unknown;
      };
      expect(result.number).toBe(demarche);
      expect(result.dossiers.nodes).toHaveLength(2);
      expect(result.dossiers.nodes[0]).toMatchObject({ __typename: 'Dossier' });
      expect(result.dossiers.nodes[0]).toHaveProperty('champs');
      expect(result.dossiers.nodes[0]).not.toHaveProperty('messages');
      expect(result).not.toHaveProperty('pendingDeletedDossiers');
      expect(result).not.toHaveProperty('activeRevision');
      expect(result.service.nom).toBeTruthy();
    });

    it('getDossier, getDemarcheDescriptor and getGroupeInstructeur', async () => {
      const number = visible()[0]!.number;
      const dossier = await graphql<{ dossier: { number: number; messages: unknown[]; demarche: { title: string } } }>(
        demo,
        {
          queryId: 'ds-query-v2',
          operationName: 'getDossier',
          variables: { dossierNumber: number, includeMessages: true },
        },
      );
      expect(dossier.body.data!.dossier).toMatchObject({ number, demarche: { title: demo.demarches[0]!.title } });
      expect(Array.isArray(dossier.body.data!.dossier.messages)).toBe(true);

      const descriptor = await graphql<{ demarcheDescriptor: { number: number } }>(demo, {
        queryId: 'ds-query-v2',
        operationName: 'getDemarcheDescriptor',
        variables: { demarche: { number: demarche } },
      });
      expect(descriptor.body.data!.demarcheDescriptor.number).toBe(demarche);

      const groupe = await graphql<{ groupeInstructeur: { number: number; dossiers: { nodes: unknown[] } } }>(demo, {
        queryId: 'ds-query-v2',
        operationName: 'getGroupeInstructeur',
        variables: { groupeInstructeurNumber: demo.demarches[0]!.groupeInstructeur, includeDossiers: true, first: 3 },
      });
      expect(groupe.body.data!.groupeInstructeur.dossiers.nodes).toHaveLength(3);
    });

    it('are the only queries allowed without a token, and then see no démarche', async () => {
      const { status, body } = await graphql(
        demo,
        { queryId: 'ds-query-v2', operationName: 'getDemarche', variables: { demarcheNumber: demarche } },
        null,
      );
      expect(status).toBe(200);
      expect(body.errors?.[0]?.extensions?.code).toBe('unauthorized');
    });

    it('rejects an unknown query id', async () => {
      const { status, body } = await graphql(demo, { queryId: 'nope', operationName: 'getDemarche' });
      expect(status).toBe(400);
      expect(body.errors?.[0]).toMatchObject({
        message: 'No query with id "nope"',
        extensions: { code: 'bad_request' },
      });
    });
  });

  describe('content', () => {
    it('returns champs with repetitions and attachments, annotations, messages, avis, traitements, demandeur', async () => {
      const number = visible().find((d) => d.state === 'accepte')!.number;
      const { body } = await graphql<{ dossier: Record<string, unknown> }>(demo, {
        query: `{ dossier(number: ${number}) {
          demandeur { __typename ... on PersonneMorale { siret entreprise { raisonSociale } } ... on PersonnePhysique { nom } }
          champs { __typename label ... on RepetitionChamp { rows { champs { label stringValue } } }
                   ... on PieceJustificativeChamp { files { filename contentType byteSizeBigInt checksum url } } }
          annotations { label stringValue }
          messages { body attachments { filename } }
          avis { question }
          traitements { event dateTraitement }
          groupeInstructeur { number label }
          attestation { filename url }
          pdf { filename url byteSizeBigInt checksum }
          demarche { dureeConservationDossiers }
        } }`,
      });
      expect(body.errors).toBeUndefined();
      const dossier = body.data!.dossier as {
        champs: Array<{
          __typename: string;
          rows?: unknown[];
          files?: Array<{ byteSizeBigInt: string; checksum: string }>;
        }>;
        traitements: Array<{ event: string }>;
        attestation: { filename: string } | null;
        pdf: { byteSizeBigInt: string; checksum: string; url: string };
        demarche: { dureeConservationDossiers: number };
      };
      expect(dossier.champs.some((c) => c.__typename === 'RepetitionChamp' && (c.rows?.length ?? 0) > 0)).toBe(true);
      const files = dossier.champs.flatMap((c) => c.files ?? []);
      expect(files.length).toBeGreaterThan(0);
      expect(files.every((f) => /^\d+$/.test(f.byteSizeBigInt) && f.checksum.length === 24)).toBe(true);
      expect(dossier.traitements.map((t) => t.event)).toEqual(['depose', 'passe_en_instruction', 'accepte']);
      expect(dossier.attestation?.filename).toBe(`attestation-dossier-${number}.pdf`);
      // DS renders the PDF on request: a signed URL of the main host, with placeholder size and checksum.
      expect(dossier.pdf).toMatchObject({ byteSizeBigInt: '0', checksum: '' });
      expect(dossier.pdf.url.startsWith(`${demo.url}/api/v2/dossiers/pdf/`)).toBe(true);
      expect(dossier.demarche.dureeConservationDossiers).toBe(demo.demarches[0]!.dureeConservationMonths);
    });
  });
});
