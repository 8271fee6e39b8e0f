// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/core/db';
import { syncApi } from '@/lib/core/sync/api-sync';
import { storeDemarches } from '@/lib/core/sync/store';
import { DsApiClient } from '@/lib/ds/api';
import { RequestBudget } from '@/lib/ds/budget';
import { type DemoInstance, startDemo } from '../../demo/instance';

/**
 * The API sync against the local DS instance (an independent model of DS, in this process): what it
 * stores, and how many requests it sends.
 */
const NOW = '2026-01-15T10:00:00+01:00';
const DAY = 86_400_000;
let demo: DemoInstance;
let origin: string;

/** Retries back off in test time, not real time. */
const instantSleep = { now: () => Date.now(), sleep: async () => {} };
const client = (token = demo.token, fetcher: typeof fetch = fetch) =>
  // A fresh budget per client: these tests send hundreds of requests on purpose.
  new DsApiClient({ origin, token, fetch: fetcher, budget: new RequestBudget(300), clock: instantSleep });
const sync = (c = client()) => syncApi(origin, c, demo.clock.now());
/** The API writes instants to the second with an offset; the demo's admin view in UTC with milliseconds. */
const instant = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);
const graphqlRequests = () => demo.metrics().requests.graphql ?? 0;

/** A fetch that fails from its `nth` request on, as one cut short by a stopped service worker. */
function failingFrom(nth: number): typeof fetch {
  let sent = 0;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent += 1;
    if (sent >= nth) throw new TypeError('Failed to fetch');
    return fetch(input, init);
  }) as typeof fetch;
}

async function knowDemarches(numbers = demo.demarches.map((d) => d.number)) {
  await storeDemarches(
    origin,
    numbers.map((number) => ({ number, title: `n°${number}` })),
    demo.clock.now().toISOString(),
  );
}

describe('syncApi against the demo instance', () => {
  beforeEach(async () => {
    demo = await startDemo({ port: 0, now: NOW, dossiers: 450 });
    origin = demo.url;
    await db.delete();
    await db.open();
  });
  afterEach(async () => {
    await demo.close();
  });

  it('lists every visible dossier on the first sync, in one request per 100 dossiers, with DS’s dates', async () => {
    await knowDemarches();
    const visible = demo.admin.dossiers().filter((d) => d.visible);
    const perDemarche = demo.demarches.map((d) => visible.filter((v) => v.demarche === d.number).length);
    demo.resetMetrics();
    const result = await sync();
    // One descriptor request, then poll rounds: the longest démarche needs ceil(n / 100) pages.
    const rounds = Math.max(1, ...perDemarche.map((n) => Math.ceil(n / 100)));
    expect(result.requests).toBe(1 + rounds);
    expect(graphqlRequests()).toBe(result.requests);
    expect(result.unauthorized).toEqual([]);

    const all = await db.dossiers.toArray();
    const stored = all.filter((d) => !d.corbeilleSince);
    expect(stored).toHaveLength(visible.length);
    // The rest is DS's corbeille (pendingDeletedDossiers), with the purge DS has in store for each.
    for (const trashed of all.filter((d) => d.corbeilleSince)) {
      const summary = demo.admin.dossier(trashed.number)!;
      expect(summary.visible).toBe(false);
      expect(summary.hiddenByAdministrationAt ?? summary.hiddenByUserAt).toBeTruthy();
      // Deleted by its usager: purged 14 days later; trashed by an instructeur only: kept.
      expect(trashed.purgeAt === null).toBe(summary.hiddenByUserAt === null);
    }
    for (const dossier of visible) {
      const row = stored.find((s) => s.number === dossier.number);
      expect(instant(row?.expiresAt)).toBe(instant(dossier.dateExpiration));
      expect(row?.expirySource).toBe('api');
    }
    for (const demarche of demo.demarches) {
      expect((await db.demarches.get([origin, demarche.number]))?.retentionMonths).toBe(
        demarche.dureeConservationMonths,
      );
    }
  });

  it('costs one request when nothing changed, and sees a new dossier on the next poll', async () => {
    await knowDemarches();
    await sync();
    demo.resetMetrics();
    expect((await sync()).requests).toBe(1);

    const [first] = demo.demarches;
    const added = demo.admin.addDossier({
      demarche: first!.number,
      state: 'accepte',
      expiresAt: new Date(demo.clock.now().getTime() + 20 * DAY).toISOString(),
    });
    const after = await sync();
    expect(after.requests).toBe(1);
    expect(instant((await db.dossiers.get([origin, added.number]))?.expiresAt)).toBe(instant(added.dateExpiration));
  });

  it('catches DS’s D-14 notice (a new date, same updated_at) with the daily full scan', async () => {
    await knowDemarches();
    await sync();
    // The next dossier to reach its notice: DS resets its date to notice + 14 days.
    const candidate = demo.admin
      .dossiers()
      .filter((d) => d.visible && d.dateExpiration && !d.noticeSentAt && d.daysLeft !== null && d.daysLeft > 14)
      .sort((a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0))[0]!;
    demo.clock.advance((candidate.daysLeft! - 13) * DAY);
    const moved = demo.admin.dossier(candidate.number)!;
    expect(moved.noticeSentAt).not.toBeNull();
    expect(moved.updatedAt).toBe(candidate.updatedAt);

    await sync(); // more than a day later: poll + full scans
    const row = await db.dossiers.get([origin, candidate.number]);
    expect(instant(row?.expiresAt)).toBe(instant(moved.dateExpiration));
    expect(instant(row?.expiresAt)).not.toBe(instant(candidate.dateExpiration));
  });

  it('notices dossiers gone to the corbeille (full scan) and purged (deletedDossiers)', async () => {
    await knowDemarches();
    await sync();
    const visible = demo.admin.dossiers().filter((d) => d.visible && d.state !== 'en_instruction');
    const [toCorbeille, toPurge] = [visible[0]!, visible[1]!];
    demo.admin.vanish(toCorbeille.number, 'corbeille');
    demo.admin.vanish(toPurge.number, 'deleted');
    demo.clock.advance(DAY + 60_000);
    await sync();
    expect((await db.dossiers.get([origin, toCorbeille.number]))?.corbeilleSince).toBeTruthy();
    const purged = await db.dossiers.get([origin, toPurge.number]);
    expect(purged?.deletedAt).toBeTruthy();
  });

  it('syncs the démarches a scoped token reads and reports the others', async () => {
    await knowDemarches();
    const [readable, ...others] = demo.demarches.map((d) => d.number);
    const scoped = demo.admin.createToken({ demarches: [readable!] });
    const result = await sync(client(scoped.bearer));
    expect(result.unauthorized.sort()).toEqual([...others].sort());
    const demarchesStored = new Set((await db.dossiers.toArray()).map((d) => d.demarche));
    expect([...demarchesStored]).toEqual([readable]);
  });

  it('resumes from its persisted cursor after an interruption', async () => {
    await knowDemarches();
    // The service worker is stopped during the second poll round (after a descriptor request and a round).
    const dying = failingFrom(3);
    await expect(sync(client(demo.token, dying))).rejects.toBeTruthy();
    const cursors = (await db.syncState.toArray()).map((s) => s.cursor);
    expect(cursors.some((c) => c !== null)).toBe(true);

    demo.resetMetrics();
    const resumed = await sync();
    const visible = demo.admin.dossiers().filter((d) => d.visible).length;
    expect((await db.dossiers.toArray()).filter((d) => !d.corbeilleSince)).toHaveLength(visible);
    // One round from the cursor; starting over would take two rounds (a démarche has over 100 dossiers).
    expect(resumed.requests).toBe(1);
  });

  it('resumes an interrupted daily full scan at its saved page, and still finds what vanished', async () => {
    await knowDemarches();
    await sync();
    // Démarches are walked in number order.
    const first = Math.min(...demo.demarches.map((d) => d.number));
    const gone = demo.admin.dossiers().find((d) => d.visible && d.demarche === first && d.state !== 'en_instruction')!;
    demo.admin.vanish(gone.number, 'corbeille');
    demo.clock.advance(DAY + 60_000);
    // The token dies after the poll and the first page of the first démarche's scan (150 dossiers: 2 pages).
    const dying = failingFrom(3);
    await expect(sync(client(demo.token, dying))).rejects.toBeTruthy();
    expect((await db.syncState.get([origin, first]))?.scanCursor).toEqual(expect.any(String));

    demo.resetMetrics();
    const resumed = await sync();
    // The poll, the first scan's second page, two pages for each other démarche: 6, not 7.
    expect(resumed.requests).toBe(6);
    expect((await db.syncState.get([origin, first]))?.scanCursor).toBeNull();
    expect((await db.dossiers.get([origin, gone.number]))?.corbeilleSince).toBeTruthy();
    const visible = new Set(
      demo.admin
        .dossiers()
        .filter((d) => d.visible)
        .map((d) => d.number),
    );
    const marked = (await db.dossiers.toArray()).filter((d) => d.corbeilleSince && visible.has(d.number));
    expect(marked).toEqual([]);
  });
});
