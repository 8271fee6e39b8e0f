import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Benchmark, median, type Row } from './harness';
import type { MemorySample } from './memory-probe';
import { calibrate } from './support';

/**
 * Peak memory of the first API sync of 10,000 dossiers against the plain pager reading the same
 * dossiers, each run in a fresh process (`memory-probe.ts`), alternately. The demo server lives in
 * that process too: it weighs the same in both, and only what a run adds is counted.
 */

const RUNS = 3;
const run = promisify(execFile);

async function probe(mode: 'sync' | 'pager', dossiers: number): Promise<MemorySample> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/memory-probe.ts', mode, String(dossiers)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as MemorySample;
}

export const peakMemory: Benchmark = {
  name: 'memory',
  title: 'Peak memory',
  run: async () => {
    const dossiers = await calibrate(10_000, 1);
    const sync: MemorySample[] = [];
    const pager: MemorySample[] = [];
    for (let i = 0; i < RUNS; i++) {
      sync.push(await probe('sync', dossiers));
      pager.push(await probe('pager', dossiers));
    }
    const row = (measure: string, pick: (s: MemorySample) => number): Row => ({
      case: 'First API sync, 1 démarche × 10,000 dossiers',
      measure,
      unit: 'MB',
      archiviste: median(sync.map(pick)),
      baseline: median(pager.map(pick)),
    });
    return {
      rows: [
        row('peak RSS increase', (s) => s.rssPeakMb),
        row('peak JS heap increase', (s) => s.heapPeakMb),
        row('JS heap kept after the run', (s) => s.heapRetainedMb),
      ],
      notes: [
        'Peak memory — baseline: the plain pager over the same dossiers; each run in a fresh Node process with the demo server inside it, medians of 3. fake-indexeddb keeps the database in the JS heap, so Archiviste’s kept heap is mostly the stored dossiers, which a browser keeps on disk.',
      ],
    };
  },
};
