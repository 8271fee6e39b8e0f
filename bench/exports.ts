import type { Window } from 'happy-dom';
import { listChampsRequest, readTabChamps } from '@/lib/ds/list-champs';
import { dossierListUrl } from '@/lib/ds/routes';
import { exportDossierZip } from '@/lib/export/api-export';
import { champColumns } from '@/lib/export/champ-columns';
import { listCsv } from '@/lib/export/list-csv';
import { type ExportPlan, planDossierExport } from '@/lib/export/plan';
import { readListTab } from '@/lib/export/run-list-export';
import type { DemoInstance } from '../demo/instance';
import { type Benchmark, check, interleave, median, type Row, single, timed } from './harness';
import { apiClient, NOW, pageWindow, sessionFetch, startBenchDemo } from './support';

/**
 * The exports: a dossier's ZIP in API mode against downloading its files plainly, and a whole
 * list tab's CSV against fetching the same list pages.
 */

const ZIP_RUNS = { warmup: 2, runs: 9 };
const CSV_RUNS = { warmup: 1, runs: 5 };
/** The dossier the ZIP is made of: 20 attachments (the demo draws 1 to ~10), 16 MiB in all. */
const ZIP_ATTACHMENTS = 20;
const ZIP_ATTACHMENT_KB = 16 * 1024;
const FILE_CONCURRENCY = 4;
const TAB_TARGET = 1_000;

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

/** A new en instruction dossier with exactly `ZIP_ATTACHMENTS` attachments, and its plan. */
async function dossierWithAttachments(demo: DemoInstance): Promise<ExportPlan> {
  const { number } = demo.admin.addDossier({
    demarche: demo.demarches[0]!.number,
    state: 'en_instruction',
    attachments: ZIP_ATTACHMENTS,
    attachmentKb: ZIP_ATTACHMENT_KB,
  });
  const node = await apiClient(demo).exportDossier(number);
  check(node !== null, `dossier ${number} not visible through the API`);
  return planDossierExport(node!, Date.now());
}

/** Every file of the API answer fetched `FILE_CONCURRENCY` at a time, bytes read and dropped. */
async function plainDownload(demo: DemoInstance, number: number): Promise<{ bytes: number; files: number }> {
  const node = await apiClient(demo).exportDossier(number);
  check(node !== null, `dossier ${number} vanished`);
  const files = planDossierExport(node!, Date.now()).files;
  const urls = files.map((f) => f.url);
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const response = await fetch(file.url);
      check(response.ok, `${file.url}: HTTP ${response.status}`);
      const size = (await response.arrayBuffer()).byteLength;
      if (file.size !== null) check(size === file.size, `${file.path}: ${size} bytes instead of ${file.size}`);
      bytes += size;
    }
  };
  await Promise.all(Array.from({ length: FILE_CONCURRENCY }, worker));
  return { bytes, files: urls.length };
}

async function zipRows(): Promise<{ rows: Row[]; notes: string[] }> {
  const demo = await startBenchDemo({ demarches: 3, dossiers: 30 });
  try {
    const plan = await dossierWithAttachments(demo);
    const number = plan.dossier.number;
    const files = plan.files.length;
    // The attachments, plus the dossier PDF the API lists (rendered on request).
    check(files === ZIP_ATTACHMENTS + 1, `dossier ${number} has ${files} files to fetch`);
    demo.resetRateLimit();
    const samples = await interleave(
      ZIP_RUNS,
      () =>
        timed(async () => {
          const zip = exportDossierZip(apiClient(demo), number, { concurrency: FILE_CONCURRENCY });
          const { stream, result } = await zip;
          const zipBytes = await drain(stream);
          const done = await result;
          check(done.complete, `dossier ${number}'s ZIP is ${done.summary}`);
          return { zipBytes, fileBytes: done.bytes };
        }),
      () =>
        timed(async () => {
          demo.resetRateLimit();
          return plainDownload(demo, number);
        }),
    );
    const archiviste = median(samples.measured.map((s) => s.ms));
    const baseline = median(samples.baseline.map((s) => s.ms));
    // The dossier PDF is rendered on request: its size varies a little from one run to the next.
    const zipBytes = median(samples.measured.map((s) => s.value.zipBytes));
    const downloaded = median(samples.baseline.map((s) => s.value.bytes));
    const mbPerS = downloaded / 2 ** 20 / (archiviste / 1000);
    const label = `Dossier ZIP, ${ZIP_ATTACHMENTS} attachments + its PDF (${(downloaded / 2 ** 20).toFixed(1)} MB), API mode`;
    return {
      rows: [
        {
          case: label,
          measure: 'wall time',
          unit: 'ms',
          archiviste,
          baseline,
          ratio: `${(archiviste / baseline).toFixed(2)}× (${mbPerS.toFixed(0)} MB/s)`,
        },
      ],
      notes: [
        `Dossier ZIP — \`exportDossierZip\` (API request, download of every file 4 at a time, size and MD5 checks, ZIP with dossier.json, transcript and inventaire.csv) timed until its stream is read to the end; baseline: the same API request, then a plain \`fetch\` of the same file URLs, 4 at a time, bytes read and dropped. The dossier is made by the demo's admin (\`addDossier({ attachments: ${ZIP_ATTACHMENTS}, attachmentKb: ${ZIP_ATTACHMENT_KB} })\`, as \`POST /__demo/dossiers\`): ${ZIP_ATTACHMENTS} attachments sharing ${(ZIP_ATTACHMENT_KB / 1024).toFixed(0)} MiB unevenly, plus the dossier PDF DS renders on request (${files} files). MB/s: the dossier’s file bytes over Archiviste’s time (its ZIP: ${(zipBytes / 2 ** 20).toFixed(1)} MB). Median of ${ZIP_RUNS.runs} interleaved runs.`,
      ],
    };
  } finally {
    await demo.close();
  }
}

/** happy-dom as `DOMParser`, a window per document (closed afterwards), as in the browser's offscreen document. */
function installDomParser(): { close: () => Promise<void>; restore: () => void } {
  const global = globalThis as { DOMParser?: unknown };
  const previous = global.DOMParser;
  const open: Window[] = [];
  global.DOMParser = class {
    parseFromString(html: string, type: string): Document {
      const window = pageWindow('about:blank');
      open.push(window);
      return new window.DOMParser().parseFromString(html, type as 'text/html') as unknown as Document;
    }
  };
  return {
    close: async () => {
      await Promise.all(open.splice(0).map((w) => w.happyDOM.close()));
    },
    restore: () => {
      global.DOMParser = previous;
    },
  };
}

const CSV_OPTIONS = {
  fates: new Map(),
  separator: ';',
  labels: {
    deletionDate: 'Date de suppression',
    daysLeft: 'Jours restants',
    source: 'Source',
    savedAt: 'Sauvegardé le',
  },
  sourceNames: { api: 'API', page: 'Page', estimate: 'Estimation' },
};

/**
 * The same tab's champs in API mode (`readTabChamps` then `champColumns`) against the same GraphQL
 * pages fetched plainly with the same document, bodies parsed and dropped.
 */
async function champsRows(demo: DemoInstance, tab: { number: number; dossiers: number }, label: string) {
  const numbers = demo.admin.dossiers({ demarche: tab.number, statut: 'tous' }).map((d) => d.number);
  const plainWalk = async () => {
    let requests = 0;
    for (let after: string | null = null, more = true; more; requests++) {
      const response = await fetch(`${demo.url}/api/v2/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(listChampsRequest(tab.number, { state: null, archived: false }, after, after === null)),
      });
      const { data } = (await response.json()) as {
        data: { demarche: { dossiers: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
      };
      ({ hasNextPage: more, endCursor: after } = data.demarche.dossiers.pageInfo);
    }
    return requests;
  };
  demo.resetRateLimit();
  const samples = await interleave(
    CSV_RUNS,
    () =>
      timed(async () => {
        const champs = await readTabChamps(apiClient(demo), {
          demarche: tab.number,
          statut: 'tous',
          dossiers: numbers,
        });
        const columns = champColumns(champs);
        check(
          columns.cells.length === numbers.length,
          `champs of ${columns.cells.length} dossiers of ${numbers.length}`,
        );
        return { requests: champs.requests, columns: columns.headers.length };
      }),
    () => timed(plainWalk),
  );
  const requests = single(
    samples.measured.map((s) => s.value.requests),
    'champs requests',
  );
  const pages = single(
    samples.baseline.map((s) => s.value),
    'plain GraphQL pages',
  );
  check(requests === Math.ceil(numbers.length / 100), `${requests} requests for ${numbers.length} dossiers`);
  const columns = samples.measured[0]!.value.columns;
  const champsLabel = `${label}: its champs, API mode`;
  return {
    rows: [
      { case: champsLabel, measure: 'extra requests', unit: 'requests', archiviste: requests, baseline: pages },
      {
        case: champsLabel,
        measure: 'wall time',
        unit: 'ms',
        archiviste: median(samples.measured.map((s) => s.ms)),
        baseline: median(samples.baseline.map((s) => s.ms)),
      },
    ] satisfies Row[],
    notes: [
      `List CSV champs — \`readTabChamps\` (the tab's dossiers walked through \`demarche.dossiers\`, 100 a GraphQL request, through the API client's budget and retries) then \`champColumns\` (${columns} columns: the form's champs, repetitions block by block); baseline: the same GraphQL document's pages fetched plainly one after the other, bodies parsed and dropped. These requests come on top of the list pages. Median of ${CSV_RUNS.runs} interleaved runs.`,
    ],
  };
}

async function csvRows(): Promise<{ rows: Row[]; notes: string[] }> {
  const demo = await startBenchDemo({ demarches: 3, dossiers: 3_300 });
  const dom = installDomParser();
  try {
    const counts = demo.demarches.map((d) => ({
      number: d.number,
      dossiers: demo.admin.dossiers({ demarche: d.number, statut: 'tous' }).length,
    }));
    const tab = counts.reduce((a, b) =>
      Math.abs(b.dossiers - TAB_TARGET) < Math.abs(a.dossiers - TAB_TARGET) ? b : a,
    );
    check(
      Math.abs(tab.dossiers - TAB_TARGET) <= TAB_TARGET * 0.2,
      `no démarche has about ${TAB_TARGET} dossiers in « tous »: ${JSON.stringify(counts)}`,
    );
    const fetcher = sessionFetch(demo);
    const now = new Date(NOW);
    const pages = Math.ceil(tab.dossiers / 100);
    const samples = await interleave(
      CSV_RUNS,
      () =>
        timed(async () => {
          const list = await readListTab(
            { origin: demo.url, demarche: tab.number, statut: 'tous' },
            { fetch: fetcher, now },
          );
          const csv = listCsv({ ...CSV_OPTIONS, pages: list.pages });
          await dom.close();
          const rows = list.pages.reduce((sum, page) => sum + page.rows.length, 0);
          check(rows === tab.dossiers, `CSV of ${rows} dossiers instead of ${tab.dossiers}`);
          check(csv.length > 0, 'empty CSV');
          return list.requests;
        }),
      () =>
        timed(async () => {
          for (let page = 1; page <= pages; page++) {
            const response = await fetcher(dossierListUrl(demo.url, tab.number, 'tous', page));
            check(response.ok, `page ${page}: HTTP ${response.status}`);
            await response.arrayBuffer();
          }
          return pages;
        }),
    );
    const requests = single(
      samples.measured.map((s) => s.value),
      'list page requests',
    );
    check(requests === pages, `Archiviste sent ${requests} requests for ${pages} pages`);
    const label = `CSV of a ${tab.dossiers.toLocaleString('en-US')}-dossier « tous » tab`;
    const champs = await champsRows(demo, tab, label);
    return {
      rows: [
        { case: label, measure: 'requests', unit: 'requests', archiviste: requests, baseline: pages },
        {
          case: label,
          measure: 'wall time',
          unit: 'ms',
          archiviste: median(samples.measured.map((s) => s.ms)),
          baseline: median(samples.baseline.map((s) => s.ms)),
        },
        ...champs.rows,
      ],
      notes: [
        `List CSV — \`readListTab\` (every page of the tab, one after the other, with the session cookie) then \`listCsv\` (no fates known); baseline: the same ${pages} list pages fetched one after the other with the same cookie, bodies read and dropped. Archiviste's time includes parsing each page with happy-dom (a window per page), far slower than a browser's DOMParser: read the ratio as an upper bound. Median of ${CSV_RUNS.runs} interleaved runs.`,
        ...champs.notes,
      ],
    };
  } finally {
    dom.restore();
    await demo.close();
  }
}

export const exportsBench: Benchmark = {
  name: 'exports',
  title: 'Exports',
  run: async () => {
    const zip = await zipRows();
    const csv = await csvRows();
    return { rows: [...zip.rows, ...csv.rows], notes: [...zip.notes, ...csv.notes] };
  },
};
