/**
 * `npm run bench` runs every benchmark and prints one Markdown table (for the README's
 * "Performances" section); `npm run bench -- poll dexie` runs only those. Not part of `npm test`.
 * Exits non-zero when a benchmark fails a check (requests counted twice that disagree, the
 * content-script size budget…).
 */
// Before anything loads Dexie, which picks its IndexedDB when it loads.
import 'fake-indexeddb/auto';
import './extension-globals';
import { type Benchmark, machine, markdownTable, type Result } from './harness';

const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  'api-sync': async () => (await import('./api-sync')).apiSync,
  poll: async () => (await import('./poll')).noChangePoll,
  'session-sync': async () => (await import('./session-sync')).sessionSync,
  dexie: async () => (await import('./dexie')).dexieWrites,
  'read-page': async () => (await import('./read-page')).readPageCost,
  memory: async () => (await import('./memory')).peakMemory,
  bundle: async () => (await import('./bundle')).bundleSizes,
  annotate: async () => (await import('./annotate')).pageAnnotation,
  exports: async () => (await import('./exports')).exportsBench,
  'bulk-archive': async () => (await import('./bulk-archive')).bulkArchiveBench,
  'ds-api-client': async () => (await import('./ds-api-client')).dsApiClient,
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHMARKS);
  const results: Result[] = [];
  let failed = false;
  for (const name of names) {
    const benchmark = await BENCHMARKS[name]!();
    const start = performance.now();
    console.error(`… ${benchmark.title}`);
    try {
      results.push(await benchmark.run());
      console.error(`  done in ${((performance.now() - start) / 1000).toFixed(0)} s`);
    } catch (error) {
      failed = true;
      console.error(`✗ ${benchmark.title}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`Machine: ${machine()}.\n`);
  console.log(markdownTable(results.flatMap((r) => r.rows)));
  console.log(`\n${results.flatMap((r) => r.notes.map((note) => `- ${note}`)).join('\n')}`);
  for (const failure of results.flatMap((r) => r.failures ?? [])) {
    failed = true;
    console.error(`✗ ${failure}`);
  }
  // Open handles (happy-dom, undici keep-alive) must not keep a finished run alive.
  process.exit(failed ? 1 : 0);
}

await main();
