import type { DossierTable } from '@/lib/ds/read-dossier-table';
import { parisDate } from '@/lib/platform/time';
import type { CountdownView } from '@/lib/view/page-fates';
import type { ChampColumns } from './champ-columns';
import { type CsvCell, toCsv } from './csv';
import { fileNameStamp } from './layout';

/**
 * One CSV of a whole dossier list tab, as the instructeur sees it on DS (their columns, in their
 * order, every page), plus what Archiviste knows of each dossier's fate.
 */

export type FateSourceName = Exclude<CountdownView['source'], ''>;

export interface ListCsvOptions {
  /** Each page of the tab as `readDossierTable` read it, in page order; null pages are skipped. */
  pages: readonly (DossierTable | null)[];
  fates: ReadonlyMap<number, CountdownView>;
  /** One character, `;` for French Excel. */
  separator: string;
  /** The extra columns' headers, in the user's language. */
  labels: { deletionDate: string; daysLeft: string; source: string; savedAt: string };
  sourceNames: Record<FateSourceName, string>;
  /** API mode: the dossiers' champs, after Archiviste's columns; a dossier the API did not return gets empty cells. */
  champs?: ChampColumns;
}

/** `YYYY-MM-DD` → `DD/MM/YYYY`; anything else (`none`, empty) → empty. */
function frenchDate(isoDay: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** An ISO instant → its Paris day as `DD/MM/YYYY`, or empty. */
function parisFrenchDate(iso: string): string {
  const date = new Date(iso);
  return iso && !Number.isNaN(date.getTime()) ? frenchDate(parisDate(date)) : '';
}

function fateCells(fate: CountdownView | undefined, sourceNames: ListCsvOptions['sourceNames']): CsvCell[] {
  if (!fate) return ['', '', '', ''];
  return [
    frenchDate(fate.expiresAt),
    fate.daysLeft ?? '',
    fate.source ? sourceNames[fate.source] : '',
    parisFrenchDate(fate.savedAt),
  ];
}

/**
 * The tab's CSV: the first non-empty page's columns (a later page with other columns is aligned by
 * header name, its unknown columns left out), then « Date de suppression », « Jours restants »,
 * « Source », « Sauvegardé le », then the champs when the API gave them; a row per dossier in page
 * order, a dossier seen twice (the list moved while it was read) keeping its first row.
 */
export function listCsv(options: ListCsvOptions): string {
  const pages = options.pages.filter((page): page is DossierTable => page !== null);
  const headers = pages.find((page) => page.headers.length > 0)?.headers ?? [];
  const champHeaders = options.champs?.headers ?? [];
  const champCells = new Map(options.champs?.cells);
  const noChamps = champHeaders.map(() => '');
  const seen = new Set<number>();
  const rows: CsvCell[][] = [];
  for (const page of pages) {
    const from = headers.map((header) => page.headers.indexOf(header));
    for (const row of page.rows) {
      if (seen.has(row.number)) continue;
      seen.add(row.number);
      const cells = from.map((index) => (index >= 0 ? (row.cells[index] ?? '') : ''));
      rows.push([
        ...cells,
        ...fateCells(options.fates.get(row.number), options.sourceNames),
        ...(champCells.get(row.number) ?? noChamps),
      ]);
    }
  }
  const { labels } = options;
  return toCsv(
    [...headers, labels.deletionDate, labels.daysLeft, labels.source, labels.savedAt, ...champHeaders],
    rows,
    { separator: options.separator },
  );
}

/** DS's own export name for a démarche without a path: `dossiers_procedure-<n>_<YYYY-MM-DD_HH-MM>.csv`, Paris time. */
export function listCsvName(demarche: number, at: Date): string {
  if (!Number.isSafeInteger(demarche) || demarche <= 0) throw new RangeError(`Not a démarche number: ${demarche}`);
  const [day, month, year, hour, minute] = fileNameStamp(at).split('-');
  return `dossiers_procedure-${demarche}_${year}-${month}-${day}_${hour}-${minute}.csv`;
}
