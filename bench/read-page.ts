import { readPage } from '@/lib/ds/read-page';
import { dossierListUrl } from '@/lib/ds/routes';
import { dossierRows } from '@/lib/ds/selectors';
import type { DemoInstance } from '../demo/instance';
import { type Benchmark, check, interleave, median, type Row, timed } from './harness';
import { NOW, pageWindow, sessionFetch, startBenchDemo } from './support';

/**
 * What the content script spends per row reading a DS dossier list (it reads the page once, then
 * after each live update), against the least any reader does: finding the same rows and their
 * numbers. Each reading gets a freshly built happy-dom document, as after a live update: happy-dom
 * caches selector results until the document changes.
 */

const RUNS = { warmup: 5, runs: 40 };
const ROWS = 100;

/** Times `read` on a fresh document of the page (building it is not timed). */
async function onFreshDocument(html: string, url: string, read: (doc: Document) => number): Promise<number> {
  const window = pageWindow(url);
  window.document.write(html);
  try {
    const doc = window.document as unknown as Document;
    const { ms, value } = await timed(async () => read(doc));
    check(value === ROWS, `read ${value} rows instead of ${ROWS}`);
    return ms;
  } finally {
    await window.happyDOM.close();
  }
}

async function perRow(demo: DemoInstance, demarche: number, label: string): Promise<Row> {
  const url = dossierListUrl(demo.url, demarche, 'tous');
  const html = await (await sessionFetch(demo)(url)).text();
  const now = new Date(NOW);
  const samples = await interleave(
    RUNS,
    () => onFreshDocument(html, url, (doc) => readPage(doc, url, now)?.dossiers.length ?? 0),
    () =>
      onFreshDocument(html, url, (doc) => {
        let numbers = 0;
        for (const row of doc.querySelectorAll(dossierRows)) if (row.getAttribute('data-row-key')) numbers++;
        return numbers;
      }),
  );
  return {
    case: `Read a dossier list page of ${ROWS} rows, ${label}`,
    measure: 'time per row',
    unit: 'µs',
    archiviste: (median(samples.measured) * 1000) / ROWS,
    baseline: (median(samples.baseline) * 1000) / ROWS,
  };
}

export const readPageCost: Benchmark = {
  name: 'read-page',
  title: 'Page reading cost per row',
  run: async () => {
    const demo = await startBenchDemo({ demarches: 2, dossiers: 600 });
    try {
      const [withColumn, withoutColumn] = demo.demarches;
      check(
        withColumn!.showsExpirationColumn && !withoutColumn!.showsExpirationColumn,
        'the demo’s first two démarches no longer differ on the "Date d’expiration" column',
      );
      return {
        rows: [
          await perRow(demo, withColumn!.number, 'with the "Date d’expiration" column'),
          await perRow(demo, withoutColumn!.number, 'badges only'),
        ],
        notes: [
          'Page reading — `readPage` (what the content script runs on each reading) in happy-dom; baseline: `querySelectorAll` over the same rows, reading each row’s number. happy-dom is slower than a browser: read the ratio.',
        ],
      };
    } finally {
      await demo.close();
    }
  },
};
