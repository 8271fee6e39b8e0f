import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench` is not part of the test run, so nothing else would notice a benchmark that no
 * longer loads (it broke once: the core it measures reached WXT's `#imports`, which only WXT's
 * build resolves). Loads every benchmark module as `npm run bench` does (Node with tsx), and finds
 * each benchmark `bench/run.ts` lists.
 */
const SCRIPTS = new Set(['run.ts', 'memory-probe.ts', 'extension-globals.ts']);

describe('benchmarks', () => {
  it('load under the bench runner (Node + tsx), every one run.ts lists', () => {
    const modules = readdirSync('bench').filter((name) => name.endsWith('.ts') && !SCRIPTS.has(name));
    const loader = `
      import 'fake-indexeddb/auto';
      import './bench/extension-globals.ts';
      const names = [];
      for (const file of ${JSON.stringify(modules)}) {
        const exported = await import('./bench/' + file);
        for (const value of Object.values(exported))
          if (value && typeof value === 'object' && typeof value.run === 'function') names.push(value.name);
      }
      console.log(JSON.stringify(names));`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', loader], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const found = JSON.parse(output.trim().split('\n').at(-1)!) as string[];
    const listed = [...readFileSync('bench/run.ts', 'utf8').matchAll(/^ {2}'?([\w-]+)'?: async \(\) =>/gm)].map(
      (m) => m[1],
    );
    expect(listed.length).toBeGreaterThan(5);
    expect(new Set(found)).toEqual(new Set(listed));
  }, 150_000);
});
