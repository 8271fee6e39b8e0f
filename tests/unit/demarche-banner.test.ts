import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { demarcheBannerFeature, showBanner } from '@/entrypoints/ds.content/features/demarche-banner';
import type { FatesSource } from '@/lib/content/fates';
import { runFeatures } from '@/lib/content/feature';
import type { StartArchive } from '@/lib/content/start-archive';
import { routeOf } from '@/lib/ds/routes';
import { dossierTable, emptyDossierList, listSubHeader, listTabsNav } from '@/lib/ds/selectors';
import type { DemarcheBannerView, WeekView } from '@/lib/view/page-fates';
import { PAGES, type PageName } from '../fixtures/pages';
import { bannerView, openPage } from './page-fixtures';

const WEEKS: WeekView[] = Array.from({ length: 13 }, (_, index) => ({
  label: `${String(index + 1).padStart(2, '0')}/12 – ${String(index + 7).padStart(2, '0')}/12`,
  total: [0, 4, 2, 0, 1, 0, 0, 3, 0, 0, 0, 0, 1][index]!,
  unsaved: [0, 3, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0][index]!,
}));

const view = (number: number, changes: Partial<DemarcheBannerView> = {}) =>
  bannerView(number, { weeks: WEEKS, ...changes });

/** The background, faked: answers with `changes` applied to every démarche asked for. */
function fakeFates() {
  const listeners: (() => void)[] = [];
  const state = { changes: {} as Partial<DemarcheBannerView> };
  const ask = vi.fn<FatesSource['ask']>(async (request) => ({
    dossiers: [],
    demarches: request.demarches.map((number) => view(number, state.changes)),
  }));
  const source: FatesSource = { ask, onChange: (refresh) => listeners.push(refresh) };
  return {
    source,
    ask,
    state,
    /** The background says its data changed. */
    change: () => {
      for (const refresh of listeners) refresh();
    },
  };
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
/** Lets DOM mutations reach the observers, the animation frame the updates wait for, then the answer. */
async function settle(): Promise<void> {
  await Promise.resolve();
  await nextFrame();
  await nextFrame();
}

const banners = () => [...document.querySelectorAll<HTMLElement>('[data-archiviste-banner]')];
function onlyBanner(): HTMLElement {
  const all = banners();
  expect(all).toHaveLength(1);
  return all[0]!;
}
const $ = (selector: string): Element => {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`no ${selector}`);
  return element;
};
const follows = (later: Node, earlier: Node) =>
  Boolean(earlier.compareDocumentPosition(later) & Node.DOCUMENT_POSITION_FOLLOWING);

let controller: AbortController;
let fates: ReturnType<typeof fakeFates>;
/** The background's `archive-start`, faked: a job of 9 dossiers unless a test says otherwise. */
let startArchive: ReturnType<typeof vi.fn<StartArchive>>;
async function start(name: PageName): Promise<boolean> {
  openPage(name);
  fates = fakeFates();
  const shown = showBanner({
    document,
    route: routeOf(PAGES[name].url),
    signal: controller.signal,
    fates: fates.source,
    startArchive,
  });
  await settle();
  return shown;
}

describe('demarche-banner feature', () => {
  beforeEach(() => {
    controller = new AbortController();
    startArchive = vi.fn<StartArchive>(async () => ({ jobId: 1, dossiers: 9 }));
  });
  afterEach(() => {
    controller.abort();
    vi.restoreAllMocks();
  });

  it('runs on every dossier list tab, nowhere else', () => {
    for (const name of ['dossierList', 'dossierListExpirant', 'dossierListEmpty', 'dossierListCorbeille'] as const) {
      expect(demarcheBannerFeature.include(routeOf(PAGES[name].url)), name).toBe(true);
    }
    for (const name of ['procedures', 'dossierEnInstruction', 'signIn'] as const) {
      expect(demarcheBannerFeature.include(routeOf(PAGES[name].url)), name).toBe(false);
    }
  });

  it('shows one warning notice right below the tabs, above the list, asking for this démarche only', async () => {
    expect(await start('dossierList')).toBe(true);
    expect(fates.ask).toHaveBeenCalledTimes(1);
    expect(fates.ask).toHaveBeenCalledWith({ dossiers: [], demarches: [104532] });

    const banner = onlyBanner();
    expect(banner.dataset.archivisteBanner).toBe('104532');
    expect(banner.classList).toContain('fr-notice');
    expect(banner.classList).toContain('fr-notice--warning');
    expect(banner.previousElementSibling).toBe($(listSubHeader));
    expect(follows(banner, $(listTabsNav))).toBe(true);
    expect(follows($(dossierTable), banner)).toBe(true);

    const title = banner.querySelector(':scope > div.fr-container > div.fr-notice__body > p > span.fr-notice__title');
    expect(title?.textContent).toBe(
      '12 dossiers supprimés d’ici 30 jours, dont 9 non sauvegardés — le premier le 04/12',
    );
  });

  it('draws the 13 weeks as bars, unsaved apart from saved, and the same numbers for screen readers', async () => {
    await start('dossierList');
    const banner = onlyBanner();
    const bars = [...banner.querySelectorAll<HTMLElement>('.archiviste-chart__week')];
    expect(bars).toHaveLength(13);
    expect(bars.map((bar) => [Number(bar.dataset.total), Number(bar.dataset.unsaved)])).toEqual(
      WEEKS.map((week) => [week.total, week.unsaved]),
    );
    // The busiest week (4, of which 3 unsaved) fills the chart's height.
    const height = (bar: Element, part: string) =>
      Number.parseFloat((bar.querySelector(`.archiviste-chart__${part}`) as HTMLElement).style.height);
    expect(height(bars[1]!, 'saved')).toBeCloseTo(25);
    expect(height(bars[1]!, 'unsaved')).toBeCloseTo(75);
    expect(height(bars[2]!, 'saved')).toBeCloseTo(50);
    expect(height(bars[2]!, 'unsaved')).toBe(0);
    expect(height(bars[0]!, 'saved') + height(bars[0]!, 'unsaved')).toBe(0);
    expect(banner.querySelector('.archiviste-chart__bars')?.getAttribute('aria-hidden')).toBe('true');

    const table = banner.querySelector('table.fr-sr-only');
    expect(table?.querySelector('caption')?.textContent).toBe('Suppressions par semaine, sur 13 semaines');
    const rows = [...(table?.querySelectorAll('tbody > tr') ?? [])];
    expect(rows).toHaveLength(13);
    expect([...rows[1]!.children].map((cell) => cell.textContent)).toEqual(['02/12 – 08/12', '4', '3']);
    expect(rows[1]!.querySelector('th')?.getAttribute('scope')).toBe('row');
  });

  it('links to the « expirants » tab where DS shows one', async () => {
    await start('dossierList');
    const links = onlyBanner().querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.classList).toContain('fr-link');
    expect(links[0]!.getAttribute('href')).toBe('https://demarche.numerique.gouv.fr/procedures/104532/expirant');
    expect(links[0]!.textContent).toBe('Voir les dossiers expirants');
  });

  it('has no link where DS has no « expirants » tab, nor on that tab itself', async () => {
    await start('dossierListSinglePage');
    expect(onlyBanner().dataset.archivisteBanner).toBe('110987');
    expect(onlyBanner().querySelector('a')).toBeNull();

    controller.abort();
    controller = new AbortController();
    await start('dossierListExpirant');
    expect(onlyBanner().querySelector('a')).toBeNull();
  });

  it('is an info notice when nothing is threatened, and sits above DS’s « Aucun dossier »', async () => {
    openPage('dossierListEmpty');
    fates = fakeFates();
    fates.state.changes = { threatened: 0, atRisk: 0, text: 'Aucun dossier supprimé d’ici 30 jours.' };
    showBanner({
      document,
      route: routeOf(PAGES.dossierListEmpty.url),
      signal: controller.signal,
      fates: fates.source,
      startArchive,
    });
    await settle();
    const banner = onlyBanner();
    expect(banner.classList).toContain('fr-notice--info');
    expect(banner.classList).not.toContain('fr-notice--warning');
    expect(banner.querySelector('.fr-notice__title')?.textContent).toBe('Aucun dossier supprimé d’ici 30 jours.');
    expect(follows($(emptyDossierList), banner)).toBe(true);
  });

  it('stays one banner, updated in place, when the background’s data changes', async () => {
    await start('dossierList');
    const banner = onlyBanner();
    const body = banner.firstElementChild;

    // The same data again: nothing is redrawn.
    fates.change();
    await settle();
    expect(fates.ask).toHaveBeenCalledTimes(2);
    expect(onlyBanner()).toBe(banner);
    expect(banner.firstElementChild).toBe(body);

    // New data: the same element, new content and tone.
    fates.state.changes = { threatened: 0, atRisk: 0, text: 'Aucun dossier supprimé d’ici 30 jours.' };
    fates.change();
    fates.change();
    await settle();
    expect(fates.ask).toHaveBeenCalledTimes(3);
    expect(onlyBanner()).toBe(banner);
    expect(banner.querySelector('.fr-notice__title')?.textContent).toBe('Aucun dossier supprimé d’ici 30 jours.');
    expect(banner.classList).toContain('fr-notice--info');
  });

  it('stays exactly one banner when DS replaces the tabs', async () => {
    await start('dossierList');
    const nav = $(listTabsNav);
    const parent = nav.parentElement!;
    nav.remove();
    parent.append(nav.cloneNode(true));
    await settle();
    const banner = onlyBanner();
    expect(banner.previousElementSibling).toBe($(listSubHeader));
    expect(banner.querySelector('a.fr-link')).not.toBeNull();
    // No new question: the banner is put back with what it knows.
    expect(fates.ask).toHaveBeenCalledTimes(1);
  });

  it('is re-created once when DS re-renders the whole header without it', async () => {
    await start('dossierList');
    onlyBanner().remove();
    const header = $(listSubHeader);
    header.replaceWith(header.cloneNode(true));
    await settle();
    expect(onlyBanner().previousElementSibling).toBe($(listSubHeader));
    fates.change();
    await settle();
    onlyBanner();
  });

  it('follows the tabs: the link goes when DS’s new tabs have no « expirants »', async () => {
    await start('dossierList');
    const banner = onlyBanner();
    const nav = $(listTabsNav);
    const replacement = nav.cloneNode(true) as Element;
    replacement.querySelector('a[href$="/expirant"]')?.closest('li')?.remove();
    nav.replaceWith(replacement);
    await settle();
    expect(onlyBanner()).toBe(banner);
    expect(banner.querySelector('a')).toBeNull();
  });

  it('removes a stray copy (a second content script, a cloned header)', async () => {
    await start('dossierList');
    const copy = onlyBanner().cloneNode(true) as HTMLElement;
    $(dossierTable).before(copy);
    fates.state.changes = { atRisk: 8 };
    fates.change();
    await settle();
    expect(onlyBanner().previousElementSibling).toBe($(listSubHeader));
  });

  it('keeps everything the background sends as text', async () => {
    openPage('dossierList');
    fates = fakeFates();
    const evil = '<img src=x onerror="window.pwned=1">';
    fates.state.changes = {
      text: `${evil} 3 dossiers`,
      chartLabel: evil,
      expirantLink: evil,
      save: { label: evil, busy: evil, opened: evil, failed: evil },
      weeks: WEEKS.map((week) => ({ ...week, label: evil })),
    };
    showBanner({
      document,
      route: routeOf(PAGES.dossierList.url),
      signal: controller.signal,
      fates: fates.source,
      startArchive,
    });
    await settle();
    const banner = onlyBanner();
    expect(banner.querySelector('img')).toBeNull();
    expect(banner.querySelector('.fr-notice__title')?.textContent).toBe(`${evil} 3 dossiers`);
    expect(banner.querySelector('caption')?.textContent).toBe(evil);
    expect(banner.querySelector('a')?.textContent).toBe(evil);
    expect(banner.querySelector('tbody th')?.textContent).toBe(evil);
    expect(banner.querySelector('button[data-archiviste-save]')?.textContent).toBe(evil);
  });

  it('offers « Sauvegarder ces 9 dossiers », which archives what is at risk in this démarche, then says the archive opened', async () => {
    await start('dossierList');
    const button = onlyBanner().querySelector<HTMLButtonElement>('button[data-archiviste-save]')!;
    expect(button.type).toBe('button');
    expect([...button.classList]).toEqual([
      'fr-btn',
      'fr-btn--sm',
      'fr-btn--secondary',
      'fr-icon-archive-line',
      'fr-btn--icon-left',
    ]);
    expect(button.textContent).toBe('Sauvegarder ces 9 dossiers');
    const status = button.nextElementSibling as HTMLElement;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('');

    let answer!: (value: { jobId: number; dossiers: number }) => void;
    startArchive.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    button.focus();
    button.click();
    expect(startArchive).toHaveBeenCalledWith({
      kind: 'at-risk',
      origin: 'https://demarche.numerique.gouv.fr',
      demarche: 104532,
    });
    expect(button.textContent).toBe('Sauvegarde en cours…');
    expect(button.getAttribute('aria-busy')).toBe('true');
    // Busy, it asks for nothing more, and keeps the keyboard focus.
    button.click();
    expect(startArchive).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(button);

    answer({ jobId: 7, dossiers: 9 });
    await vi.waitFor(() => expect(button.textContent).toBe('L’archive s’est ouverte dans un nouvel onglet.'));
    expect(button.hasAttribute('aria-busy')).toBe(false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    // The archive is open: a second one of the same dossiers would be no use.
    button.click();
    expect(startArchive).toHaveBeenCalledTimes(1);
    expect(status.textContent).toBe('');
  });

  it('says why an archive did not start, and the button can be used again', async () => {
    await start('dossierList');
    startArchive.mockRejectedValueOnce(new Error('Aucun dossier à archiver.'));
    const button = onlyBanner().querySelector<HTMLButtonElement>('button[data-archiviste-save]')!;
    button.click();
    const status = button.nextElementSibling as HTMLElement;
    await vi.waitFor(() => expect(status.textContent).toBe('Aucun dossier à archiver.'));
    expect(button.textContent).toBe('Sauvegarder ces 9 dossiers');
    expect(button.hasAttribute('aria-disabled')).toBe(false);

    // An error without words gets the background's own « failed » sentence.
    startArchive.mockRejectedValueOnce({});
    button.click();
    await vi.waitFor(() =>
      expect(status.textContent).toBe('La sauvegarde a échoué : rechargez la page et recommencez.'),
    );
    expect(startArchive).toHaveBeenCalledTimes(2);
  });

  it('has no save button when nothing is left to save, and one again when the count grows', async () => {
    openPage('dossierList');
    fates = fakeFates();
    fates.state.changes = { atRisk: 0, save: null, text: '3 dossiers supprimés d’ici 30 jours, tous sauvegardés' };
    showBanner({
      document,
      route: routeOf(PAGES.dossierList.url),
      signal: controller.signal,
      fates: fates.source,
      startArchive,
    });
    await settle();
    expect(onlyBanner().querySelector('button')).toBeNull();

    fates.state.changes = { atRisk: 1, save: { ...bannerView(1).save!, label: 'Sauvegarder ce dossier' } };
    fates.change();
    await settle();
    const buttons = onlyBanner().querySelectorAll('button[data-archiviste-save]');
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.textContent).toBe('Sauvegarder ce dossier');
  });

  it('keeps one save button across DS’s re-renders', async () => {
    await start('dossierList');
    const nav = $(listTabsNav);
    nav.replaceWith(nav.cloneNode(true));
    await settle();
    fates.change();
    await settle();
    expect(document.querySelectorAll('button[data-archiviste-save]')).toHaveLength(1);
  });

  it('stops when the content script is invalidated', async () => {
    await start('dossierList');
    controller.abort();
    fates.change();
    await settle();
    expect(fates.ask).toHaveBeenCalledTimes(1);
  });

  it('stays off, with one warning, on a page without DS’s tabs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    openPage('dossierEnInstruction');
    const outcomes = await runFeatures([demarcheBannerFeature], {
      document,
      route: routeOf(PAGES.dossierList.url),
      signal: controller.signal,
    });
    expect(outcomes).toEqual([{ id: 'demarche-banner', status: 'unrecognised', reason: 'statut tabs not found' }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(banners()).toHaveLength(0);
  });
});
