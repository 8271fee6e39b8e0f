import { db } from '@/lib/core/db';
import type { Observation } from '@/lib/core/sync/merge';
import { syncSession } from '@/lib/core/sync/session';
import { storeObservations } from '@/lib/core/sync/store';
import { proceduresUrl } from '@/lib/ds/routes';
import { mapPool } from '@/lib/platform/pool';
import { addDays } from '@/lib/platform/time';
import type { DemoInstance } from '../demo/instance';
import { type Benchmark, check, interleave, median, type Row, single, timed } from './harness';
import { freshCounters, happyDomParser, resetDb, sessionFetch, startCalibrated, watch } from './support';

/**
 * Token-less first sync of one démarche of about 1,000 dossiers, from the instructeur's pages: the
 * démarches page, every page of three list tabs, then the dossier pages of dossiers whose date the
 * lists did not give (at most 200 a run, 2 at a time). Without the "Date d’expiration" column only
 * DS's badges (last 14 days) give dates, so most dossiers need their page. The baseline fetches the
 * same URLs the same way and reads nothing.
 */

const RUNS = { warmup: 1, runs: 3 };
const LEAD_TIME_DAYS = 30;
const DOSSIERS = 1_000;
/** The tabs a token-less sync reads; together they list every dossier an instructeur sees. */
const TABS = ['tous', 'archives', 'supprimes'] as const;
/** Dossiers known from their pages a week ago, for the cost of choosing which pages to read again. */
const KNOWN = 10_000;
const PLANNING_RUNS = { warmup: 1, runs: 5 };

interface SyncSample {
  ms: number;
  /** Spent by happy-dom building DOM trees (a browser's `DOMParser` is far faster). */
  domMs: number;
  requests: number;
  urls: string[];
  dossiers: number;
}

async function sync(demo: DemoInstance, demarche: number): Promise<SyncSample> {
  await resetDb();
  await watch(demo, [demarche]);
  return resync(demo);
}

/** A sync over what is stored (a first sync when the database holds only the watched démarche). */
async function resync(demo: DemoInstance): Promise<SyncSample> {
  freshCounters(demo);
  const urls: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    urls.push(String(input));
    return fetch(input, init);
  };
  const parser = happyDomParser();
  const { ms, value } = await timed(() =>
    syncSession(demo.url, {
      parse: parser.parse,
      now: demo.clock.now(),
      leadTimeDays: LEAD_TIME_DAYS,
      fetcher: sessionFetch(demo, fetcher),
    }),
  );
  const served = demo.metrics().requests.total;
  check(served === value.requests, `the sync counted ${value.requests} requests, the demo served ${served}`);
  return {
    ms,
    domMs: parser.domMs(),
    requests: value.requests,
    urls,
    dossiers: value.dossiers,
  };
}

/** The same pages as a sync fetched: lists one after the other, dossier pages two at a time. */
async function fetchOnly(demo: DemoInstance, urls: readonly string[]) {
  const fetcher = sessionFetch(demo);
  const get = async (url: string) => {
    const response = await fetcher(url, { headers: { accept: 'text/html' } });
    check(response.ok, `${url}: HTTP ${response.status}`);
    await response.text();
  };
  const dossierPages = urls.filter((url) => url.includes('/dossiers/'));
  freshCounters(demo);
  const { ms } = await timed(async () => {
    for (const url of urls.filter((u) => !dossierPages.includes(u))) await get(url);
    await mapPool(dossierPages, 2, get);
  });
  return { ms, requests: demo.metrics().requests.total };
}

async function measure(demo: DemoInstance, demarche: number, label: string): Promise<Row[]> {
  // The baseline fetches what the sync just before it fetched.
  let lastUrls: string[] = [];
  const samples = await interleave(
    RUNS,
    async () => {
      const sample = await sync(demo, demarche);
      lastUrls = sample.urls;
      return sample;
    },
    () => fetchOnly(demo, lastUrls),
  );
  const second = await resync(demo);
  const name = `Token-less first sync, 1 démarche, ${label} (${single(
    samples.measured.map((s) => s.dossiers),
    'dossiers',
  ).toLocaleString('en-US')} dossiers)`;
  const requests = single(
    samples.measured.map((s) => s.requests),
    'sync requests',
  );
  const dossierPages = single(
    samples.measured.map((s) => s.urls.filter((u) => u.includes('/dossiers/')).length),
    'dossier pages',
  );
  return [
    {
      case: name,
      measure: `requests (${requests - dossierPages} lists, ${dossierPages} dossier pages)`,
      unit: 'requests',
      archiviste: requests,
      baseline: single(
        samples.baseline.map((s) => s.requests),
        'fetch-only requests',
      ),
    },
    {
      case: name,
      measure: 'wall time, happy-dom parsing excluded',
      unit: 'ms',
      archiviste: median(samples.measured.map((s) => s.ms - s.domMs)),
      baseline: median(samples.baseline.map((s) => s.ms)),
    },
    {
      case: name.replace('first sync', 'second sync'),
      measure: 'requests',
      unit: 'requests',
      archiviste: second.requests,
      baseline: requests,
    },
  ];
}

/**
 * A later token-less sync of a démarche whose 10,000 dossiers were read from their pages a week
 * ago: every date is stale, so all of them compete for the 200 dossier pages of the run. DS is
 * stubbed (the démarches page, then 404s) so that only choosing the pages is timed; the baseline is
 * the least that choice needs, reading the same rows from the database.
 */
async function planning(demo: DemoInstance, demarche: number): Promise<Row> {
  const now = demo.clock.now();
  const procedures = await (await sessionFetch(demo)(proceduresUrl(demo.url))).text();
  const stub: typeof fetch = async (input) => {
    const url = String(input);
    const response =
      url === proceduresUrl(demo.url) ? new Response(procedures) : new Response('Not found', { status: 404 });
    Object.defineProperty(response, 'url', { value: url });
    return response;
  };
  await resetDb();
  await watch(demo, [demarche]);
  const weekAgo = addDays(now, -8).toISOString();
  const known = Array.from(
    { length: KNOWN },
    (_, i): Observation => ({
      number: 5_000_000 + i,
      demarche,
      state: i % 3 ? 'accepte' : 'en_construction',
      expiresAt: addDays(now, 20 + (i % 300)).toISOString(),
      expirySource: 'page',
    }),
  );
  await storeObservations(demo.url, known, weekAgo);
  const parser = happyDomParser();
  const samples = await interleave(
    PLANNING_RUNS,
    async () => {
      parser.reset();
      const { ms } = await timed(() =>
        syncSession(demo.url, { parse: parser.parse, now, leadTimeDays: LEAD_TIME_DAYS, fetcher: stub }),
      );
      return ms - parser.domMs();
    },
    async () => (await timed(() => db.dossiers.where('[origin+demarche]').equals([demo.url, demarche]).toArray())).ms,
  );
  return {
    case: `Token-less sync, choosing dossier pages among ${KNOWN.toLocaleString('en-US')} stale dates`,
    measure: 'time, DS stubbed, happy-dom parsing excluded',
    unit: 'ms',
    archiviste: median(samples.measured),
    baseline: median(samples.baseline),
  };
}

export const sessionSync: Benchmark = {
  name: 'session-sync',
  title: 'Token-less sync',
  run: async () => {
    const listed = (demo: DemoInstance) =>
      TABS.reduce(
        (sum, statut) => sum + demo.admin.dossiers({ demarche: demo.demarches[0]!.number, statut }).length,
        0,
      );
    const demo = await startCalibrated(2 * DOSSIERS, 2, (d) => 2 * listed(d));
    try {
      const [withColumn, withoutColumn] = demo.demarches;
      check(
        withColumn!.showsExpirationColumn && !withoutColumn!.showsExpirationColumn,
        'the demo’s first two démarches no longer differ on the "Date d’expiration" column',
      );
      return {
        rows: [
          ...(await measure(demo, withColumn!.number, 'with the "Date d’expiration" column')),
          ...(await measure(demo, withoutColumn!.number, 'without it')),
          await planning(demo, withoutColumn!.number),
        ],
        notes: [
          'Token-less sync — baseline: the same URLs fetched with the session cookie (lists in order, dossier pages 2 at a time) without reading or storing anything; for the second sync, the first sync’s requests. Pages are parsed by happy-dom, far slower than a browser’s `DOMParser`, so its DOM building time is left out: the difference with the baseline is Archiviste reading the pages, storing and choosing the dossier pages (the demo server runs in the same process for both). Choosing dossier pages — baseline: reading the same stored rows with one Dexie query.',
        ],
      };
    } finally {
      await demo.close();
    }
  },
};
