import { coalesced, defineFatesFeature, type FatesFeatureContext } from '@/lib/content/fates';
import { observe } from '@/lib/content/observe';
import { procedureListProblem } from '@/lib/ds/recognise';
import { procedureCardLink, procedureCards, procedureList, procedureStats } from '@/lib/ds/selectors';
import type { DemarcheBannerView } from '@/lib/view/page-fates';

/**
 * On DS's « Démarches » page, a warning badge on the card of each démarche with dossiers to save
 * before DS deletes them: « 9 à sauvegarder d’ici 30 j », linking to the démarche's list (where the
 * banner tells more). Under the card's title, above DS's counters, at every screen width (DS draws
 * the title twice, once for large screens and once for small ones). Gone when nothing is at risk.
 */

const PROCEDURE_HREF = /^\/procedures\/(\d+)\/?$/;

/** The démarche number of a card, from its title link `/procedures/<n>`. */
export function cardNumber(card: Element): number | undefined {
  for (const link of card.querySelectorAll(procedureCardLink)) {
    const match = PROCEDURE_HREF.exec(link.getAttribute('href') ?? '');
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** The card's badge, made, updated or removed so that there is exactly one when something is at risk. */
export function placeSummary(card: Element, number: number, view: DemarcheBannerView | undefined): void {
  const existing = [...card.querySelectorAll<HTMLAnchorElement>('a[data-archiviste-summary]')];
  if (!view || view.atRisk <= 0) {
    for (const badge of existing) badge.remove();
    return;
  }
  const [kept, ...strays] = existing;
  for (const stray of strays) stray.remove();
  const href = `/procedures/${number}`;
  let badge = kept;
  if (!badge) {
    badge = card.ownerDocument.createElement('a');
    badge.className = 'fr-badge fr-badge--sm fr-badge--warning fr-ml-1w fr-mb-2w';
    const stats = card.querySelector(procedureStats);
    if (stats) stats.before(badge);
    else card.append(badge);
  }
  // Touched only when different: DS's morphs and our refreshes stay cheap, and no mutation loops.
  if (badge.dataset.archivisteSummary !== String(number)) badge.dataset.archivisteSummary = String(number);
  if (badge.getAttribute('href') !== href) badge.setAttribute('href', href);
  if (badge.textContent !== view.cardText) badge.textContent = view.cardText;
  if (badge.title !== view.text) badge.title = view.text;
}

/** Returns false when the page has no démarche list DS would render (the feature then stays off). */
export function showSummaries({ document, route, signal, fates }: FatesFeatureContext): boolean {
  if (route.kind !== 'procedures' || !document.querySelector(procedureList)) return false;
  const update = coalesced(async () => {
    const cards = [...document.querySelectorAll(procedureCards)].flatMap((card) => {
      const number = cardNumber(card);
      return number ? [{ card, number }] : [];
    });
    if (cards.length === 0) return;
    const { demarches } = await fates.ask({ dossiers: [], demarches: [...new Set(cards.map((c) => c.number))] });
    const views = new Map(demarches.map((view) => [view.number, view]));
    for (const { card, number } of cards) {
      if (card.isConnected) placeSummary(card, number, views.get(number));
    }
  }, signal);
  // Cards already there, then each card DS inserts or replaces later.
  observe(procedureCards, update, { signal, root: document });
  fates.onChange(update);
  return true;
}

export const proceduresSummaryFeature = defineFatesFeature(
  'procedures-summary',
  (route) => route.kind === 'procedures',
  ({ document }) => procedureListProblem(document),
  showSummaries,
);

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures
https://demarche.numerique.gouv.fr/procedures?statut=archivees
*/
