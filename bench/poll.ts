import { db } from '@/lib/core/db';
import { syncApi } from '@/lib/core/sync/api-sync';
import { buildPollQuery } from '@/lib/ds/queries';
import { addDays } from '@/lib/platform/time';
import type { DemoInstance } from '../demo/instance';
import { type Benchmark, check, interleave, median, single, timed } from './harness';
import { apiClient, freshCounters, postGraphql, resetDb, startCalibrated, watch } from './support';

/**
 * The periodic poll once the first sync is done and nothing changed on DS: the case that runs all
 * day long. The baseline asks the same question one démarche at a time, as a client without
 * aliases would.
 */

const RUNS = { warmup: 2, runs: 10 };

async function poll(demo: DemoInstance) {
  freshCounters(demo);
  const client = apiClient(demo);
  const { ms, value } = await timed(() => syncApi(demo.url, client, demo.clock.now()));
  const served = demo.metrics().requests.graphql ?? 0;
  check(served === client.requests, `client counted ${client.requests} requests, the demo served ${served}`);
  check(value.dossiers === 0, `a no-change poll stored ${value.dossiers} dossiers`);
  return { ms, requests: client.requests };
}

/** Each démarche's share of the poll, sent on its own, from the same persisted cursors. */
async function perDemarche(demo: DemoInstance) {
  const states = await db.syncState.where('[origin+demarche]').between([demo.url, 0], [demo.url, Infinity]).toArray();
  freshCounters(demo);
  const { ms } = await timed(async () => {
    for (const state of states) {
      const deletedSince = addDays(new Date(state.lastPollAt!), -1).toISOString();
      await postGraphql(
        demo,
        buildPollQuery([
          {
            number: state.demarche,
            dossiers: { since: state.updatedSince!, after: state.cursor },
            pendingDeleted: { since: deletedSince, after: null },
            deleted: { since: deletedSince, after: null },
          },
        ]),
      );
    }
  });
  return { ms, requests: demo.metrics().requests.graphql ?? 0 };
}

export const noChangePoll: Benchmark = {
  name: 'poll',
  title: 'No-change poll',
  run: async () => {
    const demo = await startCalibrated(10_000, 5);
    try {
      await resetDb();
      await watch(demo);
      await syncApi(demo.url, apiClient(demo), demo.clock.now());
      const samples = await interleave(
        RUNS,
        () => poll(demo),
        () => perDemarche(demo),
      );
      const name = 'No-change poll, 5 watched démarches (10,000 dossiers)';
      return {
        rows: [
          {
            case: name,
            measure: 'requests',
            unit: 'requests',
            archiviste: single(
              samples.measured.map((s) => s.requests),
              'poll requests',
            ),
            baseline: single(
              samples.baseline.map((s) => s.requests),
              'per-démarche requests',
            ),
          },
          {
            case: name,
            measure: 'wall time',
            unit: 'ms',
            archiviste: median(samples.measured.map((s) => s.ms)),
            baseline: median(samples.baseline.map((s) => s.ms)),
          },
        ],
        notes: [
          'No-change poll — baseline: the same question (changes since the stored cursor, corbeille and purges since the last poll) sent once per démarche, as plain `fetch` calls.',
        ],
      };
    } finally {
      await demo.close();
    }
  },
};
