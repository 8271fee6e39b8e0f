import { cpus, platform, totalmem } from 'node:os';

/**
 * Measuring and reporting: every figure sits beside a baseline measured in the same process, on the
 * same data, and their ratio. Timings are medians of interleaved runs after warm-up runs, so a
 * drifting machine slows the measured code and its baseline alike.
 */

export type Unit = 'requests' | 'files' | 'ms' | 'µs' | 's' | 'MB' | 'kB';

export interface Row {
  /** The situation measured, e.g. "First API sync, 1 démarche × 10,000 dossiers". */
  case: string;
  /** What was counted or timed, e.g. "requests", "wall time". */
  measure: string;
  unit: Unit;
  /**
   * Null where this benchmark measures only the baseline (another tool's run, e.g. DS's own
   * command-line client); Archiviste's figure for the same case comes from another benchmark.
   */
  archiviste: number | null;
  /** Null where no baseline applies (the ratio column then says why or stays empty). */
  baseline: number | null;
  /** Replaces the computed ratio, e.g. "gzip 11.6 kB (0.34)" for bundle sizes. */
  ratio?: string;
}

export interface Result {
  rows: Row[];
  /** What each baseline is, and anything a reader needs to read the rows right. */
  notes: string[];
  /** Budgets exceeded: the run prints its table, then fails. */
  failures?: string[];
}

export interface Benchmark {
  name: string;
  title: string;
  run: () => Promise<Result>;
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Collects garbage now (the benchmarks run with `--expose-gc`), so that the next timed section
 * does not pay for what its setup left behind.
 */
export function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Milliseconds `fn` took, with its result; garbage left by the setup is collected first. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  settle();
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export interface Runs {
  warmup: number;
  runs: number;
}

/**
 * Runs the measured code and its baseline alternately (`warmup` discarded rounds, then `runs`
 * recorded ones) and returns every recorded sample of each.
 */
export async function interleave<A, B>(
  { warmup, runs }: Runs,
  measured: () => Promise<A>,
  baseline: () => Promise<B>,
): Promise<{ measured: A[]; baseline: B[] }> {
  const samples = { measured: [] as A[], baseline: [] as B[] };
  for (let round = 0; round < warmup + runs; round++) {
    const a = await measured();
    const b = await baseline();
    if (round >= warmup) {
      samples.measured.push(a);
      samples.baseline.push(b);
    }
  }
  return samples;
}

/** Every sample agrees on this count (requests are deterministic); anything else is a bug. */
export function single<T>(values: readonly T[], what: string): T {
  const distinct = [...new Set(values)];
  if (distinct.length !== 1) throw new Error(`${what} varied between runs: ${distinct.join(', ')}`);
  return distinct[0]!;
}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export function machine(): string {
  const cores = cpus();
  const model = cores[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const memory = Math.round(totalmem() / 2 ** 30);
  return `${cores.length} cores (${model}), ${memory} GB RAM, ${platform()}, Node ${process.version}`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const hundredths = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const fine = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });

function figure(value: number | null, unit: Unit): string {
  if (value === null) return '—';
  if (unit === 'requests' || unit === 'files') return integer.format(value);
  const digits = Math.abs(value) >= 100 ? integer : Math.abs(value) >= 1 ? decimal : fine;
  return `${digits.format(value)} ${unit}`;
}

function ratio(row: Row): string {
  if (row.ratio !== undefined) return row.ratio;
  if (row.archiviste === null || row.baseline === null) return '';
  if (row.baseline === 0) return row.archiviste === 0 ? '1' : '∞';
  const r = row.archiviste / row.baseline;
  return `${r >= 10 ? integer.format(r) : r >= 0.1 ? hundredths.format(r) : fine.format(r)}×`;
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| Case | Measure | Archiviste | Baseline | Ratio |',
    '|---|---|--:|--:|--:|',
    ...rows.map(
      (row) =>
        `| ${row.case} | ${row.measure} | ${figure(row.archiviste, row.unit)} | ${figure(row.baseline, row.unit)} | ${ratio(row)} |`,
    ),
  ];
  return lines.join('\n');
}
