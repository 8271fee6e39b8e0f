import { coalesced, defineFatesFeature, type FatesFeatureContext, placeCountdown } from '@/lib/content/fates';
import { observe } from '@/lib/content/observe';
import { parseId } from '@/lib/ds/page-text';
import { dossierHeaderProblem, listRowsProblem } from '@/lib/ds/recognise';
import {
  dossierRows,
  dossierStateBadge,
  dossierTable,
  emptyDossierList,
  headerTop,
  rowNumberCell,
} from '@/lib/ds/selectors';

/**
 * A deletion countdown on every dossier row of every list tab, and in the dossier page's header:
 * « Supprimé dans 23 j », « N’expire pas », « Corbeille : purge le 12/12 », coloured by urgency,
 * with the exact date, its source and the archive state in its tooltip. One badge per row and per
 * header whatever DS re-renders (the list body, `#header-top`), redrawn when the background's data
 * changes. DS's own controls are never moved: the badge goes under DS's notification badges.
 */

/** The container of Archiviste's badge in a row's number cell, made once. */
function rowSlot(cell: Element): Element {
  const existing = cell.querySelector(':scope > div[data-archiviste-slot="countdown"]');
  if (existing) return existing;
  const slot = cell.ownerDocument.createElement('div');
  slot.className = 'fr-mt-1v';
  slot.dataset.archivisteSlot = 'countdown';
  cell.append(slot);
  return slot;
}

/** The container in the dossier header, right after DS's state badge group. */
function headerSlot(header: Element): Element | null {
  const existing = header.querySelector('div[data-archiviste-slot="countdown"]');
  if (existing) return existing;
  const group = header.querySelector(dossierStateBadge)?.parentElement;
  if (!group) return null;
  const slot = header.ownerDocument.createElement('div');
  slot.className = 'fr-mb-1w';
  slot.dataset.archivisteSlot = 'countdown';
  group.after(slot);
  return slot;
}

/** Returns false when the page is not one DS would render (the feature then stays off). */
export function showCountdowns({ document, route, signal, fates }: FatesFeatureContext): boolean {
  if (route.kind === 'dossier-list') {
    if (!document.querySelector(dossierTable) && !document.querySelector(emptyDossierList)) return false;
    const update = coalesced(async () => {
      const rows = [...document.querySelectorAll(dossierRows)];
      const numbered = rows.flatMap((row) => {
        const number = parseId(row.getAttribute('data-row-key'));
        const cell = row.querySelector(rowNumberCell);
        return number && cell ? [{ number, cell }] : [];
      });
      if (numbered.length === 0) return;
      const { dossiers } = await fates.ask({ dossiers: numbered.map((r) => r.number), demarches: [] });
      const views = new Map(dossiers.map((view) => [view.number, view]));
      for (const { number, cell } of numbered) {
        const view = views.get(number);
        if (view && cell.isConnected) placeCountdown(rowSlot(cell), view);
      }
    }, signal);
    observe(dossierRows, update, { signal, root: document });
    fates.onChange(update);
    return true;
  }
  if (route.kind === 'dossier') {
    if (!document.querySelector(headerTop)) return false;
    const number = route.dossier;
    const update = coalesced(async () => {
      const header = document.querySelector(headerTop);
      const slot = header && headerSlot(header);
      if (!slot) return;
      const { dossiers } = await fates.ask({ dossiers: [number], demarches: [] });
      const view = dossiers.find((d) => d.number === number);
      if (view && slot.isConnected) placeCountdown(slot, view);
    }, signal);
    observe(headerTop, update, { signal, root: document });
    fates.onChange(update);
    return true;
  }
  return false;
}

export const countdownBadgesFeature = defineFatesFeature(
  'countdown-badges',
  (route) => route.kind === 'dossier-list' || route.kind === 'dossier',
  // The rows and their number cells, or the header and its state badges: where the badges go.
  ({ document, route }) => (route.kind === 'dossier' ? dossierHeaderProblem(document) : listRowsProblem(document)),
  showCountdowns,
);

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures/104532/tous
https://demarche.numerique.gouv.fr/procedures/104532/expirant
https://demarche.numerique.gouv.fr/procedures/104532/tous/dossiers/2351204
*/
