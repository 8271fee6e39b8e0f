import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { EXPORT_BATCH_SIZE } from '@/lib/ds/queries';
import { planDossierExport } from '@/lib/export/plan';
import type { DemoInstance } from '../demo/instance';
import { alignExtensionClock, logIn } from '../tests/e2e/demo';
import { demarchesKnown } from '../tests/e2e/expiry';
import { type BenchBrowser, buildDemoExtension, EXTENSION_OUT_DIR, launch } from './chromium';
import { type Benchmark, check, type Row } from './harness';
import { apiClient, startBenchDemo } from './support';

/**
 * Issue 11's goals for the bulk archive, in headless Chromium with the demo build: a whole démarche
 * archived from the export page through the API (parts streamed into files through the File System
 * Access API, here the page's private file system, which needs no folder dialog), against a plain
 * concurrent fetch of the same files in the same page, bytes read and dropped; and the browser's
 * memory while each runs, at two sizes, to show it stays flat.
 */

const ATTACHMENT_KB = 200;
/** The two sizes: about 200 MB and 2 GB of attachments. `BULK_SIZES=300` for a quick look. */
const SIZES = (process.env.BULK_SIZES ?? '1000,10000').split(',').map(Number);
/** Downloads in flight: Archiviste's default, and the baseline's. */
const CONCURRENCY = 4;
const SAMPLE_EVERY_MS = 250;
/** After the page's garbage collection, the time the browser takes to give the pages back. */
const KEPT_SETTLE_MS = 2_000;
const MB = 2 ** 20;
const GOAL_RATIO = 0.85;
const GOAL_MEMORY_MB = 100;

type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

async function send<T>(page: Page, kind: string, payload: object): Promise<T> {
  const reply = (await page.evaluate(
    ([archiviste, body]) => chrome.runtime.sendMessage({ archiviste, payload: body }),
    [kind, payload] as const,
  )) as Reply<T>;
  if (!reply.ok) throw new Error(`${kind}: ${reply.error}`);
  return reply.value;
}

/**
 * Proportional set size of every process of the browser (found by its profile folder on their
 * command line), by process type: what the browser takes, shared pages counted once. Linux only.
 */
function browserPss(userDataDir: string): Map<string, number> {
  const byRole = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes(userDataDir)) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const role = processRole(cmdline);
      byRole.set(role, (byRole.get(role) ?? 0) + Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) / 1024);
    } catch {
      // the process ended meanwhile
    }
  }
  return byRole;
}

const totalOf = (byRole: Map<string, number>) => [...byRole.values()].reduce((sum, mb) => sum + mb, 0);

/** A browser process's role, from its command line: `browser`, `renderer`, `gpu-process`, or a utility's service. */
function processRole(cmdline: string): string {
  const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
  if (!type) return 'browser';
  if (type !== 'utility') return type;
  return /--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1]?.replace(/\.mojom\..*$/, '') ?? 'utility';
}

/** CPU seconds used so far by the browser's processes, by role, and by this process (the demo server). */
function cpuSeconds(userDataDir: string): Map<string, number> {
  const tick = 100; // USER_HZ on Linux
  const byRole = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes(userDataDir)) continue;
      const role = processRole(cmdline);
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
        const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
        const seconds = (Number(fields[11]) + Number(fields[12])) / tick;
        const key = process.env.BULK_THREADS ? `${role}/${comm}` : role;
        byRole.set(key, (byRole.get(key) ?? 0) + seconds);
      }
    } catch {
      // the process ended meanwhile
    }
  }
  const own = process.cpuUsage();
  byRole.set('demo server (node)', (own.user + own.system) / 1e6);
  return byRole;
}

type CpuByRole = Record<string, number>;

function cpuSince(before: Map<string, number>, after: Map<string, number>): CpuByRole {
  return Object.fromEntries([...after].map(([role, s]) => [role, s - (before.get(role) ?? 0)]));
}

/** `renderer +80 MB, browser +20 MB`: each process type's part of a peak, heaviest first. */
function byRole(mb: Record<string, number>): string {
  return Object.entries(mb)
    .filter(([, value]) => Math.abs(value) >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([role, value]) => `${role} ${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)} MB`)
    .join(', ');
}

const cpuTotal = (cpu: CpuByRole) => Object.values(cpu).reduce((sum, s) => sum + s, 0);

/** `renderer +5.1 s, browser +1.6 s, …`: where the archive's CPU beyond the baseline's went, heaviest first. */
function cpuExtra(archive: CpuByRole, plain: CpuByRole): string {
  return Object.entries(archive)
    .map(([role, s]) => [role, s - (plain[role] ?? 0)] as const)
    .filter(([, extra]) => Math.abs(extra) >= 0.1)
    .sort((a, b) => b[1] - a[1])
    .map(([role, extra]) => `${role} ${extra >= 0 ? '+' : '−'}${Math.abs(extra).toFixed(1)} s`)
    .join(', ');
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** `BULK_PROFILE=1`: the export page's main thread, sampled while `run` goes; its 30 heaviest functions (self time). */
async function profiled<T>(cdp: CDPSession, label: string, run: () => Promise<T>): Promise<T> {
  if (!process.env.BULK_PROFILE) return run();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const value = await run();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const selfById = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const byFunction = new Map<string, number>();
  for (const { id, callFrame: f } of profile.nodes) {
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (selfById.get(id) ?? 0));
  }
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30);
  console.error(`${label}, main thread:${top.map(([key, us]) => `\n  ${(us / 1000).toFixed(0)} ms  ${key}`).join('')}`);
  return value;
}

/** The page's JavaScript heap in use, through the DevTools protocol. */
async function jsHeapMb(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / MB;
}

/** Samples memory while `run` goes; answers the peaks above what was used before it. */
async function withMemory<T>(
  browser: BenchBrowser,
  cdp: CDPSession,
  run: () => Promise<T>,
): Promise<{
  value: T;
  ms: number;
  pssPeakMb: number;
  /** At the peak, each process type's PSS above its start. */
  pssPeak: Record<string, number>;
  /** PSS above the start once the run is over and the page's garbage collected. */
  pssKeptMb: number;
  heapPeakMb: number;
  cpu: CpuByRole;
}> {
  await cdp.send('HeapProfiler.collectGarbage');
  const pssBefore = browserPss(browser.userDataDir);
  const heapBefore = await jsHeapMb(cdp);
  let pss = pssBefore;
  let heap = heapBefore;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const sample = browserPss(browser.userDataDir);
      if (totalOf(sample) > totalOf(pss)) pss = sample;
      heap = Math.max(heap, await jsHeapMb(cdp).catch(() => heap));
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();
  const cpuBefore = cpuSeconds(browser.userDataDir);
  const start = performance.now();
  try {
    const value = await run();
    const ms = performance.now() - start;
    const cpu = cpuSince(cpuBefore, cpuSeconds(browser.userDataDir));
    // What stays once the run is over and the page's garbage collected: held, not merely not yet freed.
    await cdp.send('HeapProfiler.collectGarbage');
    await new Promise((resolve) => setTimeout(resolve, KEPT_SETTLE_MS));
    const pssKeptMb = totalOf(browserPss(browser.userDataDir)) - totalOf(pssBefore);
    const pssPeak = Object.fromEntries([...pss].map(([role, mb]) => [role, mb - (pssBefore.get(role) ?? 0)]));
    return {
      value,
      ms,
      pssPeakMb: totalOf(pss) - totalOf(pssBefore),
      pssPeak,
      pssKeptMb,
      heapPeakMb: heap - heapBefore,
      cpu,
    };
  } finally {
    sampling = false;
    await sampler;
  }
}

/** Every file URL the archive fetches (attachments and dossier PDFs), signed now by the demo. */
async function fileUrls(demo: DemoInstance, dossiers: number[]): Promise<string[]> {
  const client = apiClient(demo);
  const urls: string[] = [];
  for (let i = 0; i < dossiers.length; i += EXPORT_BATCH_SIZE) {
    const nodes = await client.exportDossiers(dossiers.slice(i, i + EXPORT_BATCH_SIZE));
    for (const node of nodes.values()) urls.push(...planDossierExport(node, Date.now()).files.map((f) => f.url));
  }
  return urls;
}

/**
 * The baseline, in the export page: `CONCURRENCY` fetches at a time, each body read to its end and
 * dropped. A string: a function would reach the page as tsx compiled it, calling helpers the page
 * does not have.
 */
const PLAIN_FETCH = `async (list, concurrency) => {
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < list.length) {
      const response = await fetch(list[next++], { credentials: 'omit', cache: 'no-store' });
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bytes;
}`;

function plainFetch(page: Page, urls: string[]): Promise<number> {
  return page.evaluate(`(${PLAIN_FETCH})(${JSON.stringify(urls)}, ${CONCURRENCY})`) as Promise<number>;
}

interface Job {
  refs: { dossier: number }[];
  parts: { dossiers: number[]; failed: number[]; bytes: number; missingFiles: number }[];
  state: string;
}

interface Measured {
  ms: number;
  pssPeakMb: number;
  pssKeptMb: number;
  pssPeak: Record<string, number>;
  heapPeakMb: number;
  cpu: CpuByRole;
}

interface SizeResult {
  dossiers: number;
  archive: Measured & { bytes: number; parts: number };
  plain: Measured & { bytes: number; files: number };
  apiRequests: number;
}

async function measure(extensionDir: string, size: number): Promise<SizeResult> {
  const demo = await startBenchDemo({ demarches: 1, dossiers: size, attachmentKb: ATTACHMENT_KB });
  const browser = await launch(extensionDir);
  try {
    await alignExtensionClock(browser.context, demo);
    const page = await browser.context.newPage();
    const extensionId = new URL(
      (browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'))).url(),
    ).host;
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await send(page, 'save-token', { origin: demo.url, token: demo.token });
    // The extension learns the user's démarches from DS's pages (DS's API cannot list a token's).
    const ds = await browser.context.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(page, demo);
    await ds.close();
    const [synced] = await send<{ results: { problem: unknown }[] }>(page, 'sync-now', {}).then((r) => r.results);
    check(synced?.problem === null, `sync: ${JSON.stringify(synced?.problem)}`);

    const { jobId } = await send<{ jobId: number }>(page, 'archive-start', {
      kind: 'demarche',
      origin: demo.url,
      demarche: demo.demarches[0]!.number,
    });
    // The background opened the export page on its own; the benchmark drives its own.
    for (let tries = 0; tries < 50; tries++) {
      const opened = browser.context.pages().find((p) => p.url().endsWith(`/archive.html?job=${jobId}`));
      if (opened) {
        await opened.close();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const job = async () => (await send<{ job: Job }>(page, 'archive-job', { id: jobId })).job;
    const refs = (await job()).refs.map((r) => r.dossier);
    await page.goto(`chrome-extension://${extensionId}/archive.html?job=${jobId}&target=opfs`);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');

    demo.resetRateLimit();
    // The files the archive can have: DS's API does not give dossiers in its corbeille.
    const given = new Set(
      demo.admin
        .dossiers()
        .filter((d) => d.visible && !d.inCorbeille)
        .map((d) => d.number),
    );
    const urls = await fileUrls(
      demo,
      refs.filter((n) => given.has(n)),
    );
    const plain = await withMemory(browser, cdp, () => profiled(cdp, 'plain fetch', () => plainFetch(page, urls)));

    demo.resetMetrics();
    demo.resetRateLimit();
    const archive = await withMemory(browser, cdp, () =>
      profiled(cdp, 'archive', async () => {
        await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
        // The page says so once the last part is recorded (watching it asks nothing of the background).
        await page
          .getByRole('status')
          .filter({ hasText: /dossiers sauvegardés/ })
          .waitFor({ timeout: 0 });
        return job();
      }),
    );
    const done = archive.value;
    const missing = done.parts.reduce((sum, p) => sum + p.missingFiles, 0);
    check(missing === 0, `${missing} files missing from the archive`);
    const written = done.parts.flatMap((p) => p.dossiers);
    check(written.length === refs.length && new Set(written).size === refs.length, 'a dossier missing or twice');
    return {
      dossiers: refs.length,
      archive: {
        ms: archive.ms,
        bytes: done.parts.reduce((sum, p) => sum + p.bytes, 0),
        pssPeakMb: archive.pssPeakMb,
        pssPeak: archive.pssPeak,
        pssKeptMb: archive.pssKeptMb,
        heapPeakMb: archive.heapPeakMb,
        parts: done.parts.length,
        cpu: archive.cpu,
      },
      plain: { ...plain, bytes: plain.value, files: urls.length },
      apiRequests: demo.metrics().requests.graphql ?? 0,
    };
  } finally {
    await browser.close();
    await demo.close();
  }
}

export const bulkArchiveBench: Benchmark = {
  name: 'bulk-archive',
  title: `Bulk archive of a démarche in Chromium (${SIZES.join(', ')} dossiers × ${ATTACHMENT_KB} KB)`,
  async run() {
    const extensionDir = await buildDemoExtension();
    const results: SizeResult[] = [];
    for (const size of SIZES) results.push(await measure(extensionDir, size));
    const rows: Row[] = [];
    const failures: string[] = [];
    for (const r of results) {
      const label = `Bulk archive, ${r.dossiers.toLocaleString('en-US')} dossiers (${(r.plain.bytes / MB).toFixed(0)} MB, ${r.plain.files.toLocaleString('en-US')} files), API mode`;
      const archiveRate = r.archive.bytes / r.archive.ms;
      const plainRate = r.plain.bytes / r.plain.ms;
      const throughput = archiveRate / plainRate;
      rows.push(
        {
          case: label,
          measure: 'wall time',
          unit: 'ms',
          archiviste: r.archive.ms,
          baseline: r.plain.ms,
          ratio: `throughput ${throughput.toFixed(2)} (${(archiveRate / 1024).toFixed(0)} vs ${(plainRate / 1024).toFixed(0)} MB/s)`,
        },
        {
          case: label,
          measure: "CPU time, the browser's processes and the demo server",
          unit: 's',
          archiviste: cpuTotal(r.archive.cpu),
          baseline: cpuTotal(r.plain.cpu),
          ratio: `${(cpuTotal(r.archive.cpu) / cpuTotal(r.plain.cpu)).toFixed(2)}× (${cpuExtra(r.archive.cpu, r.plain.cpu)})`,
        },
        {
          case: label,
          measure: 'peak extra memory, browser (PSS)',
          unit: 'MB',
          archiviste: r.archive.pssPeakMb,
          baseline: r.plain.pssPeakMb,
          ratio: `${(r.archive.pssPeakMb / r.plain.pssPeakMb).toFixed(2)}× (at the peaks: ${byRole(r.archive.pssPeak)}; baseline ${byRole(r.plain.pssPeak)})`,
        },
        {
          case: label,
          measure: 'extra memory kept after the run and a garbage collection, browser (PSS)',
          unit: 'MB',
          archiviste: r.archive.pssKeptMb,
          baseline: r.plain.pssKeptMb,
        },
        {
          case: label,
          measure: 'peak extra JS heap, export page (CDP)',
          unit: 'MB',
          archiviste: r.archive.heapPeakMb,
          baseline: r.plain.heapPeakMb,
        },
        {
          case: label,
          measure: 'API requests',
          unit: 'requests',
          archiviste: r.apiRequests,
          baseline: Math.ceil(r.dossiers / EXPORT_BATCH_SIZE),
          ratio: `${r.archive.parts} parts`,
        },
      );
      if (throughput < GOAL_RATIO) failures.push(`${label}: throughput ${throughput.toFixed(2)} < ${GOAL_RATIO}`);
      if (r.archive.pssPeakMb >= GOAL_MEMORY_MB) {
        failures.push(`${label}: peak extra memory ${r.archive.pssPeakMb.toFixed(0)} MB ≥ ${GOAL_MEMORY_MB} MB`);
      }
    }
    return {
      rows,
      failures,
      notes: [
        `Bulk archive — the demo build (\`${EXTENSION_OUT_DIR}\`) in headless Chromium, a fresh profile per size, a one-démarche demo instance of N dossiers with ${ATTACHMENT_KB} KB of attachments each; after a token is saved and the first API sync, an archive of the whole démarche is started (\`archive-start\`), and its export page writes the parts (1,000 dossiers each) into the page's private file system — the File System Access API's own writable streams, without the folder dialog a headless browser cannot answer. Timed from the click to the last part recorded. Baseline: in the same export page, just before, a plain \`fetch\` of every file the archive fetches (attachments and dossier PDFs, URLs signed by the demo's API), ${CONCURRENCY} at a time, each body read to its end and dropped. Throughput: file bytes per second, Archiviste's over the baseline's (goal ≥ ${GOAL_RATIO}). Memory: the highest proportional set size of all the browser's processes (found by their profile folder) above what they used just before, sampled every ${SAMPLE_EVERY_MS} ms, and the export page's JS heap through the DevTools protocol (\`Performance.getMetrics\`), after a forced garbage collection (goal < ${GOAL_MEMORY_MB} MB, and the same at both sizes); kept: the browser's PSS above the start once the run is over, the page's garbage collected and ${KEPT_SETTLE_MS / 1000} s given to the browser. API requests: GraphQL requests during the archive against the minimum of one per ${EXPORT_BATCH_SIZE} dossiers. CPU time: user and system time of every thread of the browser's processes (from \`/proc\`, by process type) and of this Node process, which serves the demo instance (and samples memory) — the two share this machine's cores, so the throughput is roughly the baseline's CPU over the archive's; the ratio column names where the archive's extra went (\`BULK_THREADS=1\` splits it by thread, \`BULK_PROFILE=1\` prints the export page's heaviest functions).`,
      ],
    };
  },
};
