import { refuseUnknownMarkup } from '@/lib/core/sync/parse-page';
import { readDossierList } from '@/lib/ds/read-dossier-list';
import { type DossierTable, readDossierTable } from '@/lib/ds/read-dossier-table';
import { readListFilters } from '@/lib/ds/read-list-filters';
import { dossierListUrl, type Statut } from '@/lib/ds/routes';
import type { CountdownView } from '@/lib/view/page-fates';
import { type ListCsvOptions, listCsv } from './list-csv';
import type { SchedulePdfInput, SchedulePdfTexts } from './schedule-pdf';
import { fetchDossierPdf } from './session-export';

/**
 * A whole tab of a démarche's dossier list, every page of it, read with the user's session (GET
 * only, one page after the other as a user would), for the list exports (CSV, échéancier). Runs
 * where a DOMParser exists: Chrome's offscreen document, Firefox's background page.
 */

export interface ListTabRequest {
  origin: string;
  demarche: number;
  statut: Statut;
}

export interface ListTab {
  /** The démarche's title as the list shows it. */
  title: string;
  pages: DossierTable[];
  /** The instructeur's filters DS applied to the tab (« État du dossier : En construction »), from its first page. */
  filters: string[];
  /** Requests sent to DS (one per page). */
  requests: number;
}

/** DS lists 100 dossiers a page; a tab of 100,000 dossiers is far beyond any démarche. */
const MAX_PAGES = 1_000;

export class ListUnavailableError extends Error {
  constructor(
    readonly code: 'logged-out' | 'unreachable',
    readonly detail?: string,
  ) {
    super(code);
    this.name = 'ListUnavailableError';
  }
}

export async function readListTab(
  request: ListTabRequest,
  options: { fetch?: typeof fetch; now?: Date } = {},
): Promise<ListTab> {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? new Date();
  const pages: DossierTable[] = [];
  let title = '';
  let filters: string[] | null = null;
  let pageCount = 1;
  let requests = 0;
  for (let page = 1; page <= pageCount && page <= MAX_PAGES; page += 1) {
    const url = dossierListUrl(request.origin, request.demarche, request.statut, page);
    requests += 1;
    let response: Response;
    try {
      response = await fetchFn(url, { credentials: 'include', headers: { accept: 'text/html' } });
    } catch {
      throw new ListUnavailableError('unreachable', new URL(url).origin);
    }
    const landed = new URL(response.url || url);
    if (landed.origin !== request.origin || landed.pathname.startsWith('/users/sign_in')) {
      throw new ListUnavailableError('logged-out');
    }
    if (!response.ok) throw new ListUnavailableError('unreachable', String(response.status));
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    refuseUnknownMarkup(doc, url, `reading the list of démarche ${request.demarche}`);
    const table = readDossierTable(doc);
    if (!table) throw new ListUnavailableError('unreachable', 'page');
    pages.push(table);
    const report = readDossierList(doc, url, now);
    title ||= report.demarches[0]?.title ?? '';
    filters ??= readListFilters(doc);
    pageCount = report.list?.pageCount ?? 1;
  }
  return { title, pages, filters: filters ?? [], requests };
}

/**
 * The échéancier's input as it crosses an extension message (JSON): the date as ISO text, the page
 * footer as a template with `{n}` and `{of}`.
 */
export type SchedulePdfMessage = Omit<SchedulePdfInput, 'generatedAt' | 'texts'> & {
  generatedAt: string;
  texts: Omit<SchedulePdfTexts, 'page'> & { page: string };
};

/**
 * What the background asks to be made: a tab's spreadsheet or schedule, everything in it already
 * worded and serialisable, or DS's own PDF of one dossier.
 */
export type ExportFileSpec =
  | { format: 'csv'; name: string; csv: Omit<ListCsvOptions, 'fates'> & { fates: [number, CountdownView][] } }
  | { format: 'pdf'; name: string; pdf: SchedulePdfMessage }
  | { format: 'dossier-pdf'; name: string; origin: string; demarche: number; dossier: number };

/** The file's bytes; jsPDF is loaded only when a schedule is asked for. */
export async function buildExportFile(spec: ExportFileSpec): Promise<Blob> {
  if (spec.format === 'dossier-pdf') {
    return new Blob([(await fetchDossierPdf(spec)) as BlobPart], { type: 'application/pdf' });
  }
  if (spec.format === 'csv') {
    const text = listCsv({ ...spec.csv, fates: new Map(spec.csv.fates) });
    return new Blob([text], { type: 'text/csv;charset=utf-8' });
  }
  const { buildSchedulePdf } = await import('./schedule-pdf');
  const { generatedAt, texts, ...rest } = spec.pdf;
  const pdf = buildSchedulePdf({
    ...rest,
    generatedAt: new Date(generatedAt),
    texts: { ...texts, page: (n, of) => texts.page.replace('{n}', String(n)).replace('{of}', String(of)) },
  });
  return new Blob([pdf as BlobPart], { type: 'application/pdf' });
}
