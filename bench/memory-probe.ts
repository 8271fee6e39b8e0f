/**
 * One measurement of `bench/memory.ts`, alone in a fresh process so that nothing measured before
 * skews it: `memory-probe.ts <sync|pager> <generated dossiers>` starts a one-démarche demo, then
 * prints the memory the first API sync (or the plain pager) took, as JSON.
 */
// Before anything loads Dexie, which picks its IndexedDB when it loads.
import 'fake-indexeddb/auto';
import { syncApi } from '@/lib/core/sync/api-sync';
import { settle } from './harness';
import { apiClient, plainPager, resetDb, startBenchDemo, watch } from './support';

export interface MemorySample {
  /** Highest resident set size during the run, above the resident size before it. */
  rssPeakMb: number;
  /** Highest JS heap in use during the run (garbage included), above the heap before it. */
  heapPeakMb: number;
  /** JS heap still in use after the run and a garbage collection, above the heap before it. */
  heapRetainedMb: number;
}

const SAMPLE_EVERY_MS = 5;
const MB = 2 ** 20;

async function probe(mode: string, dossiers: number): Promise<MemorySample> {
  const demo = await startBenchDemo({ demarches: 1, dossiers });
  try {
    await resetDb();
    await watch(demo);
    const run =
      mode === 'sync'
        ? () => syncApi(demo.url, apiClient(demo), demo.clock.now())
        : () =>
            plainPager(
              demo,
              demo.demarches.map((d) => d.number),
            );
    settle();
    const before = process.memoryUsage();
    let rss = before.rss;
    let heap = before.heapUsed;
    const sample = () => {
      const now = process.memoryUsage();
      rss = Math.max(rss, now.rss);
      heap = Math.max(heap, now.heapUsed);
    };
    const timer = setInterval(sample, SAMPLE_EVERY_MS);
    await run();
    clearInterval(timer);
    sample();
    settle();
    return {
      rssPeakMb: (rss - before.rss) / MB,
      heapPeakMb: (heap - before.heapUsed) / MB,
      heapRetainedMb: (process.memoryUsage().heapUsed - before.heapUsed) / MB,
    };
  } finally {
    await demo.close();
  }
}

const [mode = '', dossiers = ''] = process.argv.slice(2);
if (!['sync', 'pager'].includes(mode) || !/^\d+$/.test(dossiers)) {
  console.error('usage: memory-probe.ts <sync|pager> <generated dossiers>');
  process.exit(2);
}
process.stdout.write(JSON.stringify(await probe(mode, Number(dossiers))));
process.exit(0);
