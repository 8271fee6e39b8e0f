import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cardNumber,
  proceduresSummaryFeature,
  showSummaries,
} from '@/entrypoints/ds.content/features/procedures-summary';
import type { FatesSource } from '@/lib/content/fates';
import { runFeatures } from '@/lib/content/feature';
import { routeOf } from '@/lib/ds/routes';
import { procedureCards, procedureStats } from '@/lib/ds/selectors';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';
import { bannerView, openPage } from './page-fixtures';

/** The background, faked: `atRisk` per démarche (0 when not listed), as the background would send it. */
function fakeFates(atRisk: Record<number, number>) {
  const listeners: (() => void)[] = [];
  const state = { atRisk, cardText: undefined as string | undefined };
  const ask = vi.fn<FatesSource['ask']>(async (request) => ({
    dossiers: [],
    demarches: request.demarches.map((number) => {
      const atRisk = state.atRisk[number] ?? 0;
      return bannerView(number, {
        threatened: atRisk + 3,
        atRisk,
        cardText: state.cardText ?? `${atRisk} à sauvegarder d’ici 30 j`,
      });
    }),
  }));
  const source: FatesSource = { ask, onChange: (refresh) => listeners.push(refresh) };
  return {
    source,
    ask,
    state,
    change: () => {
      for (const refresh of listeners) refresh();
    },
  };
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
async function settle(): Promise<void> {
  await Promise.resolve();
  await nextFrame();
  await nextFrame();
}

const cards = () => [...document.querySelectorAll(procedureCards)];
function card(number: number): Element {
  const found = cards().find((element) => cardNumber(element) === number);
  if (!found) throw new Error(`no card ${number}`);
  return found;
}
const badgesIn = (element: Element | Document) => [
  ...element.querySelectorAll<HTMLAnchorElement>('[data-archiviste-summary]'),
];
/** Which démarches have a badge, and how many each. */
function badgeCounts(): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const element of cards()) {
    const found = badgesIn(element).length;
    if (found > 0) counts[cardNumber(element)!] = found;
  }
  return counts;
}

let controller: AbortController;
let fates: ReturnType<typeof fakeFates>;
async function start(name: PageName, atRisk: Record<number, number>): Promise<boolean> {
  openPage(name);
  fates = fakeFates(atRisk);
  const shown = showSummaries({
    document,
    route: routeOf(PAGES[name].url),
    signal: controller.signal,
    fates: fates.source,
  });
  await settle();
  return shown;
}

describe('procedures-summary feature', () => {
  beforeEach(() => {
    controller = new AbortController();
  });
  afterEach(() => {
    controller.abort();
    vi.restoreAllMocks();
  });

  it('runs on « Démarches » only', () => {
    expect(proceduresSummaryFeature.include(routeOf(PAGES.procedures.url))).toBe(true);
    expect(
      proceduresSummaryFeature.include(routeOf('https://demarche.numerique.gouv.fr/procedures?statut=archivees')),
    ).toBe(true);
    for (const name of ['dossierList', 'dossierEnInstruction', 'signIn'] as const) {
      expect(proceduresSummaryFeature.include(routeOf(PAGES[name].url)), name).toBe(false);
    }
  });

  it('reads each card’s démarche number from its title link', () => {
    openPage('procedures');
    expect(cards().map(cardNumber)).toEqual([104532, 98211, 87654, 110987]);
  });

  it('badges the cards with dossiers at risk, and only those, asking once for all cards', async () => {
    expect(await start('procedures', { 104532: 9, 98211: 0, 87654: 2 })).toBe(true);
    expect(fates.ask).toHaveBeenCalledTimes(1);
    expect(fates.ask).toHaveBeenCalledWith({ dossiers: [], demarches: [104532, 98211, 87654, 110987] });
    expect(badgeCounts()).toEqual({ 104532: 1, 87654: 1 });

    const [badge] = badgesIn(card(104532));
    expect(badge!.tagName).toBe('A');
    expect(badge!.getAttribute('href')).toBe('/procedures/104532');
    expect(badge!.dataset.archivisteSummary).toBe('104532');
    expect(badge!.textContent).toBe('9 à sauvegarder d’ici 30 j');
    expect([...badge!.classList]).toEqual(expect.arrayContaining(['fr-badge', 'fr-badge--sm', 'fr-badge--warning']));
    expect(badge!.title).toBe('12 dossiers supprimés d’ici 30 jours, dont 9 non sauvegardés — le premier le 04/12');
    // Under the title (seen at every screen width), right above DS's counters.
    expect(badge!.nextElementSibling).toBe(card(104532).querySelector(procedureStats));
    expect(badgesIn(card(87654))[0]!.getAttribute('href')).toBe('/procedures/87654');
  });

  it('works while DS’s counters are still loading', async () => {
    await start('proceduresLoading', { 110987: 4 });
    expect(badgeCounts()).toEqual({ 110987: 1 });
  });

  it('keeps one badge per card over several refreshes, and asks once per burst', async () => {
    await start('procedures', { 104532: 9, 87654: 2 });
    const first = badgesIn(card(104532))[0];
    fates.change();
    fates.change();
    fates.change();
    await settle();
    expect(fates.ask).toHaveBeenCalledTimes(2);
    fates.state.atRisk = { 104532: 7, 87654: 2 };
    fates.change();
    await settle();
    expect(badgeCounts()).toEqual({ 104532: 1, 87654: 1 });
    // Updated in place.
    expect(badgesIn(card(104532))[0]).toBe(first);
    expect(first!.textContent).toBe('7 à sauvegarder d’ici 30 j');
  });

  it('badges a card DS replaces, once', async () => {
    await start('procedures', { 104532: 9, 87654: 2 });
    // DS renders the card anew (without Archiviste's badge)...
    const fresh = fixtureDocument('procedures').querySelectorAll(procedureCards)[0]!;
    card(104532).replaceWith(document.importNode(fresh, true));
    await settle();
    expect(badgeCounts()).toEqual({ 104532: 1, 87654: 1 });
    // ...or a morph copies it with the badge.
    card(87654).replaceWith(card(87654).cloneNode(true));
    await settle();
    expect(badgeCounts()).toEqual({ 104532: 1, 87654: 1 });
    // A new card appended to the list.
    const added = fixtureDocument('procedures').querySelectorAll(procedureCards)[2]!;
    card(87654).remove();
    document.querySelector('ul.procedure-list')!.append(document.importNode(added, true));
    await settle();
    expect(badgeCounts()).toEqual({ 104532: 1, 87654: 1 });
  });

  it('removes the badge when nothing is at risk any more', async () => {
    await start('procedures', { 104532: 9, 87654: 2 });
    fates.state.atRisk = { 87654: 2 };
    fates.change();
    await settle();
    expect(badgeCounts()).toEqual({ 87654: 1 });
    fates.state.atRisk = {};
    fates.change();
    await settle();
    expect(badgesIn(document)).toHaveLength(0);
  });

  it('keeps what the background sends as text', async () => {
    openPage('procedures');
    fates = fakeFates({ 104532: 9 });
    fates.state.cardText = '<img src=x onerror="window.pwned=1">';
    showSummaries({ document, route: routeOf(PAGES.procedures.url), signal: controller.signal, fates: fates.source });
    await settle();
    const [badge] = badgesIn(card(104532));
    expect(badge!.textContent).toBe('<img src=x onerror="window.pwned=1">');
    expect(badge!.querySelector('img')).toBeNull();
  });

  it('stops when the content script is invalidated', async () => {
    await start('procedures', { 104532: 9 });
    controller.abort();
    fates.change();
    await settle();
    expect(fates.ask).toHaveBeenCalledTimes(1);
  });

  it('stays off, with one warning, on a page without DS’s démarche list', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    openPage('dossierList');
    const outcomes = await runFeatures([proceduresSummaryFeature], {
      document,
      route: routeOf(PAGES.procedures.url),
      signal: controller.signal,
    });
    expect(outcomes).toEqual([
      { id: 'procedures-summary', status: 'unrecognised', reason: 'procedure list not found' },
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(badgesIn(document)).toHaveLength(0);
  });
});
