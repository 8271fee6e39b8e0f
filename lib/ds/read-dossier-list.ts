import type { DossierNews, PageDemarche, PageDossier, PageReport } from '@/lib/ds/model';
import {
  badgeDays,
  cleanText,
  demarcheTitle,
  ownText,
  parisDayAfter,
  parseDsDateTime,
  parseId,
  parseNews,
  parseState,
  shownText,
} from '@/lib/ds/page-text';
import { baseReport } from '@/lib/ds/read-common';
import { isDossierList, routeOf } from '@/lib/ds/routes';
import { rulesShownBy } from '@/lib/ds/rules';
import {
  cellStateBadge,
  currentPage,
  demarcheHeading,
  dossierRows,
  dossierTable,
  emptyDossierList,
  expirantTab,
  listTabs,
  pageLinks,
  rowBadges,
  rowNewsBadges,
  rowNumberSpan,
  tableHeaders,
} from '@/lib/ds/selectors';

/** Header labels (`procedure_presentation` locale) of the columns Archiviste reads. */
export const COLUMNS = { state: 'État du dossier', label: 'Demandeur', expiry: 'Date d’expiration' } as const;

/** A header's label without DS's sort arrow, with typewriter apostrophes made typographic. */
export function headerLabel(th: Element): string {
  return cleanText(th)
    .replace(/ [↑↓]$/, '')
    .replaceAll("'", '’');
}

/** Each column's index among a row's cells, found by header text: instructeurs pick and order columns. */
function columnIndexes(doc: Document): Record<keyof typeof COLUMNS, number> {
  const labels = [...doc.querySelectorAll(tableHeaders)].map(headerLabel);
  return {
    state: labels.indexOf(COLUMNS.state),
    label: labels.indexOf(COLUMNS.label),
    expiry: labels.indexOf(COLUMNS.expiry),
  };
}

type Expiry = Pick<PageDossier, 'expiresAt' | 'expirySource'>;

/** The row's expiry: the "Date d’expiration" column when shown (exact), else DS's "Expire dans N J." (day). */
function rowExpiry(row: Element, cell: Element | undefined, now: Date): Expiry {
  const exact = cell && parseDsDateTime(cleanText(cell));
  if (exact) return { expiresAt: exact.toISOString(), expirySource: 'column' };
  for (const badge of row.querySelectorAll(rowBadges)) {
    const expire = badgeDays(cleanText(badge), 'Expire');
    if (expire !== undefined) return { expiresAt: parisDayAfter(now, expire).toISOString(), expirySource: 'badge' };
  }
  return {};
}

/** "Suppression dans N J.": the Paris day DS purges the dossier from its corbeille. */
function purgeDay(row: Element, now: Date): Date | undefined {
  for (const badge of row.querySelectorAll(rowBadges)) {
    const days = badgeDays(cleanText(badge), 'Suppression');
    if (days !== undefined) return parisDayAfter(now, days);
  }
  return undefined;
}

/** DS's news badges on the row (« Message », « Dossier modifié », …), in its order, each once. */
function rowNews(row: Element): DossierNews[] {
  const news = [...row.querySelectorAll(rowNewsBadges)].map((badge) => parseNews(cleanText(badge)));
  return [...new Set(news.filter((kind): kind is DossierNews => kind !== undefined))];
}

/** Which page of how many: Kaminari's links, or a single page when DS renders no pagination. */
function pagination(doc: Document, url: string, routePage: number): { page: number; pageCount: number } {
  const current = parseId(cleanText(doc.querySelector(currentPage)));
  if (!current) return { page: routePage, pageCount: 1 };
  const linked = [...doc.querySelectorAll(pageLinks)].map((link) => {
    const page = new URL(link.getAttribute('href') ?? '', url).searchParams.get('page');
    return page === null ? 1 : (parseId(page) ?? 1);
  });
  return { page: current, pageCount: Math.max(current, ...linked) };
}

/**
 * A démarche's dossier list, one tab and page of it. `list` is given only when every row was read
 * and the page really is a list (a table, or DS's "Aucun dossier"), so the background may take
 * dossiers missing from it as gone from that tab.
 */
export function readDossierList(doc: Document, url: string, now: Date): PageReport {
  const route = routeOf(url);
  if (!isDossierList(route)) throw new TypeError(`Not a dossier list: ${url}`);
  const demarche = route.procedure;
  const report = baseReport(doc, url, now);

  const heading = doc.querySelector(demarcheHeading);
  if (heading) {
    const tabsShown = doc.querySelector(listTabs) !== null;
    const entry: PageDemarche = {
      number: demarche,
      title: shownText(demarcheTitle(ownText(heading), demarche)),
      ...(tabsShown && { expiresWhenTermine: doc.querySelector(expirantTab) !== null }),
    };
    report.demarches.push(entry);
  }

  const columns = columnIndexes(doc);
  let complete = true;
  for (const row of doc.querySelectorAll(dossierRows)) {
    const number = parseId(row.getAttribute('data-row-key'));
    if (!number) {
      complete = false;
      continue;
    }
    const cells = [...row.children];
    const state = parseState(cleanText(cells[columns.state]?.querySelector(cellStateBadge)));
    const label = columns.label >= 0 ? shownText(cleanText(cells[columns.label])) : '';
    const purge = purgeDay(row, now);
    const news = rowNews(row);
    const inCorbeille =
      route.statut === 'supprimes' || row.querySelector(rowNumberSpan) !== null || purge !== undefined;
    report.dossiers.push({
      number,
      demarche,
      ...(state && { state }),
      ...rowExpiry(row, cells[columns.expiry], now),
      // Without DS's purge badge, a corbeille dossier was trashed by an instructeur: no purge is due.
      ...(inCorbeille && { inCorbeille, purgeAt: purge ? purge.toISOString() : null }),
      ...(label && { label }),
      ...(news.length > 0 && { news }),
    });
  }

  // Since June 2026 the `expirant` tab leaves en construction dossiers out: one there proves the older rules.
  if (route.statut === 'expirant' && report.dossiers.some((d) => d.state === 'en_construction')) {
    report.rules = rulesShownBy('expirant-tab');
  }

  const isList = doc.querySelector(dossierTable) !== null || doc.querySelector(emptyDossierList) !== null;
  if (complete && isList) {
    report.list = { demarche, statut: route.statut, ...pagination(doc, url, route.page) };
  }
  return report;
}
