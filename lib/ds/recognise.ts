import { COLUMNS, headerLabel } from '@/lib/ds/read-dossier-list';
import { type Route, routeOf } from '@/lib/ds/routes';
import {
  dossierRows,
  dossierStateBadge,
  dossierTable,
  emptyDossierList,
  headerTop,
  listTabLinks,
  listTabsNav,
  procedureList,
  rowNumberCell,
  tableHeaders,
} from '@/lib/ds/selectors';

/**
 * Whether a DS page still has the markup Archiviste reads. Each check answers why not, in a few
 * English words for the console and for a bug report, or null when the page is one it knows. What
 * DS legitimately renders stays recognised: an empty tab has DS's « Aucun dossier » and no table.
 */

/** DS shows these columns whatever the instructeur picks (ColumnTableHeaderComponent): found by text. */
const FIXED_COLUMNS = ['N° dossier', COLUMNS.state] as const;

/** A page value quoted in a reason stays short (reasons travel to the background and the popup). */
const quote = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** The dossier rows of a list: DS's table, each row with its number cell, or DS's « Aucun dossier ». */
export function listRowsProblem(doc: Document): string | null {
  if (!doc.querySelector(dossierTable)) return doc.querySelector(emptyDossierList) ? null : 'dossier table not found';
  for (const row of doc.querySelectorAll(dossierRows)) {
    if (!row.querySelector(rowNumberCell)) return 'row number cell not found';
  }
  return null;
}

/** The rows, and the columns DS always shows, by their header text. */
export function listColumnsProblem(doc: Document): string | null {
  const rows = listRowsProblem(doc);
  if (rows || !doc.querySelector(dossierTable)) return rows;
  const labels = new Set([...doc.querySelectorAll(tableHeaders)].map(headerLabel));
  const missing = FIXED_COLUMNS.filter((label) => !labels.has(label));
  return missing.length > 0 ? `columns not found: ${missing.join(', ')}` : null;
}

/** The statut tabs of a démarche's list, each one a tab of that démarche that Archiviste knows. */
export function listTabsProblem(doc: Document, route: Extract<Route, { kind: 'dossier-list' }>): string | null {
  if (!doc.querySelector(listTabsNav)) return 'statut tabs not found';
  for (const link of doc.querySelectorAll(listTabLinks)) {
    const href = link.getAttribute('href') ?? '';
    const target = URL.canParse(href, route.origin) ? routeOf(new URL(href, route.origin)) : null;
    if (target?.kind !== 'dossier-list' || target.procedure !== route.procedure) return `unknown tab ${quote(href)}`;
  }
  return null;
}

/** A dossier page's header and its state badge. */
export function dossierHeaderProblem(doc: Document): string | null {
  if (!doc.querySelector(headerTop)) return 'dossier header not found';
  return doc.querySelector(dossierStateBadge) ? null : 'state badge not found';
}

/** The démarche cards' list of /procedures. */
export function procedureListProblem(doc: Document): string | null {
  return doc.querySelector(procedureList) ? null : 'procedure list not found';
}

/**
 * What the background reads of a page it fetched itself (token-less sync, list exports): a list's
 * rows, fixed columns and statut tabs (a dossier missing from a tab it reads is taken as gone), a
 * dossier page's header. Other pages are not checked: what /procedures shows only adds démarches
 * (a card missing from it changes nothing stored), and a print page's messages are read or missing.
 */
export function fetchedPageProblem(doc: Document, url: string): string | null {
  const route = routeOf(url);
  switch (route.kind) {
    case 'dossier-list':
      return listColumnsProblem(doc) ?? listTabsProblem(doc, route);
    case 'dossier':
      return dossierHeaderProblem(doc);
    default:
      return null;
  }
}
