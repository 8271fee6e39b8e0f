import { cleanText, parseId } from '@/lib/ds/page-text';
import { headerLabel } from '@/lib/ds/read-dossier-list';
import { dossierRows, dossierTable, emptyDossierList, rowNumberCell, tableHeaders } from '@/lib/ds/selectors';

/** A dossier list page's table as DS shows it: the instructeur's columns, in their order. */
export interface DossierTable {
  /** Column labels, without DS's sort arrow. */
  headers: string[];
  /** One per dossier, in page order; `cells` line up with `headers`. */
  rows: { number: number; cells: string[] }[];
}

/**
 * Headers of DS's own columns, not the instructeur's: the batch-selection checkbox (its label) and
 * the follow/actions buttons. A header without text is no column of data either.
 */
const SKIPPED_HEADERS: ReadonlySet<string> = new Set(['Sélectionner tous les dossiers', 'Actions']);

/**
 * Every column DS shows on one page of a dossier list, with each row's visible texts (the number
 * cell gives just the number, without DS's notification badges). `{ headers: [], rows: [] }` for
 * DS's « Aucun dossier », null when the page shows no list at all.
 */
export function readDossierTable(doc: Document): DossierTable | null {
  if (!doc.querySelector(dossierTable)) {
    return doc.querySelector(emptyDossierList) ? { headers: [], rows: [] } : null;
  }
  const columns: { index: number; label: string }[] = [];
  [...doc.querySelectorAll(tableHeaders)].forEach((th, index) => {
    const label = headerLabel(th);
    if (label && !SKIPPED_HEADERS.has(label)) columns.push({ index, label });
  });

  const rows: DossierTable['rows'] = [];
  for (const row of doc.querySelectorAll(dossierRows)) {
    const number = parseId(row.getAttribute('data-row-key'));
    if (!number) continue;
    const cells = [...row.children];
    rows.push({
      number,
      cells: columns.map(({ index }) => {
        const cell = cells[index];
        return cell?.matches(rowNumberCell) ? String(number) : cleanText(cell);
      }),
    });
  }
  return { headers: columns.map((c) => c.label), rows };
}
