import { syncApi } from '@/lib/core/sync/api-sync';
import type { DemoInstance } from '../demo/instance';
import { type Benchmark, check, interleave, median, type Row, single, timed } from './harness';
import { apiClient, freshCounters, plainPager, resetDb, startCalibrated, waitingFetch, watch } from './support';

/**
 * The first API sync of a new user: every watched démarche walked from the start, each page stored
 * before the next is asked for. The baseline is the plain pager: the fewest requests and the least
 * work any client needs to see the same dossiers.
 */

const RUNS = { warmup: 1, runs: 5 };

async function firstSync(demo: DemoInstance) {
  await resetDb();
  await watch(demo);
  freshCounters(demo);
  const network = waitingFetch();
  const client = apiClient(demo, network.fetch);
  const { ms, value } = await timed(() => syncApi(demo.url, client, demo.clock.now()));
  const served = demo.metrics().requests.graphql ?? 0;
  check(served === client.requests, `client counted ${client.requests} requests, the demo served ${served}`);
  check(value.unauthorized.length === 0, `unauthorized: ${value.unauthorized.join(', ')}`);
  return { ms, ownMs: ms - network.waitMs(), requests: client.requests, dossiers: value.dossiers };
}

async function pager(demo: DemoInstance) {
  freshCounters(demo);
  const network = waitingFetch();
  const { ms, value } = await timed(() =>
    plainPager(
      demo,
      demo.demarches.map((d) => d.number),
      network.fetch,
    ),
  );
  check(demo.metrics().requests.graphql === value.requests, 'the pager and the demo disagree on requests');
  return { ms, ownMs: ms - network.waitMs(), ...value };
}

async function measure(label: string, total: number, demarches: number): Promise<Row[]> {
  const demo = await startCalibrated(total, demarches);
  try {
    const samples = await interleave(
      RUNS,
      () => firstSync(demo),
      () => pager(demo),
    );
    const stored = single(
      samples.measured.map((s) => s.dossiers),
      'stored dossiers',
    );
    const listed = single(
      samples.baseline.map((s) => s.dossiers),
      'listed dossiers',
    );
    check(stored === listed, `synced ${stored} dossiers, the API lists ${listed}`);
    const name = `First API sync, ${label} (${listed.toLocaleString('en-US')} listed)`;
    return [
      {
        case: name,
        measure: 'requests',
        unit: 'requests',
        archiviste: single(
          samples.measured.map((s) => s.requests),
          'sync requests',
        ),
        baseline: single(
          samples.baseline.map((s) => s.requests),
          'pager requests',
        ),
      },
      {
        case: name,
        measure: 'wall time',
        unit: 'ms',
        archiviste: median(samples.measured.map((s) => s.ms)),
        baseline: median(samples.baseline.map((s) => s.ms)),
      },
      {
        case: name,
        measure: 'client time (not waiting for DS)',
        unit: 'ms',
        archiviste: median(samples.measured.map((s) => s.ownMs)),
        baseline: median(samples.baseline.map((s) => s.ownMs)),
      },
    ];
  } finally {
    await demo.close();
  }
}

export const apiSync: Benchmark = {
  name: 'api-sync',
  title: 'First API sync',
  run: async () => ({
    rows: [...(await measure('1 démarche', 10_000, 1)), ...(await measure('5 démarches × ~2,000', 10_000, 5))],
    notes: [
      'First API sync — baseline: a plain `fetch` loop paging each démarche with `first: 100` and the same fields, storing nothing (the minimum for one démarche at a time). Requests are counted by the client and by the demo instance, which must agree. Wall times include the demo server’s work (same process); client time is the wall time minus the time spent waiting for responses: storage on fake-indexeddb for Archiviste, JSON parsing for the pager.',
    ],
  }),
};
