import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countdownBadgesFeature, showCountdowns } from '@/entrypoints/ds.content/features/countdown-badges';
import type { FatesSource } from '@/lib/content/fates';
import { runFeatures } from '@/lib/content/feature';
import { routeOf } from '@/lib/ds/routes';
import type { CountdownView, PageFates } from '@/lib/view/page-fates';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';

/** A background that knows every dossier it is asked about: `days` days left, or what `views` says. */
function fakeFates(views: (number: number) => Partial<CountdownView> = () => ({})) {
  const asked: number[][] = [];
  let refresh: () => void = () => {};
  const source: FatesSource = {
    ask: async ({ dossiers }): Promise<PageFates> => {
      asked.push(dossiers);
      return {
        dossiers: dossiers.map((number) => ({
          number,
          text: 'Supprimé dans 23 j',
          estimate: '',
          description: 'Suppression le 22/12/2026 · source : API de DS · non sauvegardé',
          tone: 'warning',
          expiresAt: '2026-12-22',
          daysLeft: 23,
          source: 'api',
          savedAt: '',
          ...views(number),
        })),
        demarches: [],
      };
    },
    onChange: (callback) => {
      refresh = callback;
    },
  };
  return { source, asked, refresh: () => refresh() };
}

function start(name: PageName, fates: FatesSource, doc = fixtureDocument(name)) {
  const shown = showCountdowns({ document: doc, route: routeOf(PAGES[name].url), signal: controller.signal, fates });
  return { doc, shown };
}

const badges = (doc: Document) => [...doc.querySelectorAll<HTMLElement>('[data-archiviste-countdown]')];
const numbers = (doc: Document) => badges(doc).map((b) => Number(b.dataset.archivisteCountdown));
const rowNumbers = (doc: Document) =>
  [...doc.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')].map((r) =>
    Number(r.getAttribute('data-row-key')),
  );

let controller: AbortController;
beforeEach(() => {
  controller = new AbortController();
});
afterEach(() => controller.abort());

describe('countdown badges on a dossier list', () => {
  it('puts one badge in the number cell of every row, under DS’s own badges, with its data attributes', async () => {
    const fates = fakeFates((n) =>
      n % 2 ? {} : { text: 'N’expire pas', tone: 'info', expiresAt: 'none', daysLeft: null, source: '' },
    );
    const { doc, shown } = start('dossierList', fates.source);
    expect(shown).toBe(true);
    await vi.waitFor(() => expect(badges(doc)).toHaveLength(8));
    expect(numbers(doc)).toEqual(rowNumbers(doc));
    expect(fates.asked).toEqual([rowNumbers(doc)]);
    for (const badge of badges(doc)) {
      const cell = badge.closest('td');
      expect(cell?.classList.contains('fr-cell--numeric')).toBe(true);
      expect(badge.closest('tr')?.getAttribute('data-row-key')).toBe(badge.dataset.archivisteCountdown);
      // DS's own controls stay first: the number link and its notification badges.
      expect(cell?.lastElementChild?.contains(badge)).toBe(true);
    }
    const odd = badges(doc).find((b) => Number(b.dataset.archivisteCountdown) % 2 === 1)!;
    const data = (badge: HTMLElement, names: string[]) =>
      Object.fromEntries(names.map((name) => [name, badge.getAttribute(`data-archiviste-${name}`)]));
    expect(data(odd, ['expires-at', 'days-left', 'source', 'saved-at'])).toEqual({
      'expires-at': '2026-12-22',
      'days-left': '23',
      source: 'api',
      'saved-at': '',
    });
    expect(odd.className).toBe('fr-badge fr-badge--sm fr-badge--warning');
    const even = badges(doc).find((b) => Number(b.dataset.archivisteCountdown) % 2 === 0)!;
    expect(even.textContent).toBe('N’expire pas');
    expect(data(even, ['expires-at', 'days-left', 'source'])).toEqual({
      'expires-at': 'none',
      'days-left': '',
      source: '',
    });
    expect(doc.querySelector('#js_batch_select_more [data-archiviste-countdown]')).toBeNull();
  });

  it('reaches the tooltip from the keyboard: a focusable badge described by it', async () => {
    const { doc } = start('dossierList', fakeFates().source);
    await vi.waitFor(() => expect(badges(doc)).toHaveLength(8));
    const badge = badges(doc)[0]!;
    expect(badge.tabIndex).toBe(0);
    const tooltip = doc.getElementById(badge.getAttribute('aria-describedby')!)!;
    expect(tooltip.getAttribute('role')).toBe('tooltip');
    expect(tooltip.textContent).toBe('Suppression le 22/12/2026 · source : API de DS · non sauvegardé');
  });

  it('marks an estimate, and keeps dossier text as text', async () => {
    const fates = fakeFates(() => ({ estimate: 'estimation', description: '<img src=x onerror=alert(1)>' }));
    const { doc } = start('dossierList', fates.source);
    await vi.waitFor(() => expect(badges(doc)).toHaveLength(8));
    expect(badges(doc)[0]!.textContent).toBe('Supprimé dans 23 j · estimation');
    expect(doc.querySelector('.archiviste-tooltip img')).toBeNull();
    expect(doc.querySelector('.archiviste-tooltip')?.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('stays one badge per row through refreshes, a replaced list body and a removed row', async () => {
    let days = 23;
    const fates = fakeFates(() => ({ daysLeft: days, text: `Supprimé dans ${days} j` }));
    const { doc } = start('dossierList', fates.source);
    await vi.waitFor(() => expect(badges(doc)).toHaveLength(8));

    days = 22;
    fates.refresh();
    fates.refresh();
    await vi.waitFor(() => expect(badges(doc)[0]?.dataset.archivisteDaysLeft).toBe('22'));
    expect(badges(doc)).toHaveLength(8);

    // DS swaps the table body for a fresh render (pagination, a filter, a turbo-stream).
    const tbody = doc.querySelector('#table-dossiers > tbody')!;
    const fresh = fixtureDocument('dossierList').querySelector('#table-dossiers > tbody')!;
    tbody.replaceWith(doc.importNode(fresh, true));
    await vi.waitFor(() => expect(badges(doc)).toHaveLength(8));
    expect(numbers(doc)).toEqual(rowNumbers(doc));

    doc.querySelector('#table-dossiers > tbody > tr[data-row-key]')?.remove();
    fates.refresh();
    await vi.waitFor(() => expect(fates.asked.at(-1)).toHaveLength(7));
    expect(badges(doc)).toHaveLength(7);
  });

  it('redraws nothing when nothing changed', async () => {
    const fates = fakeFates();
    const { doc } = start('dossierList', fates.source);
    await vi.waitFor(() => expect(badges(doc)).toHaveLength(8));
    const first = badges(doc)[0];
    fates.refresh();
    await vi.waitFor(() => expect(fates.asked).toHaveLength(2));
    expect(badges(doc)[0]).toBe(first);
  });

  it('turns itself off, with one warning, on a list page it does not recognise', async () => {
    const doc = fixtureDocument('dossierList');
    doc.querySelector('#table-dossiers')?.remove();
    expect(start('dossierList', fakeFates().source, doc).shown).toBe(false);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const outcomes = await runFeatures([countdownBadgesFeature], {
      document: doc,
      route: routeOf(PAGES.dossierList.url),
      signal: controller.signal,
    });
    expect(outcomes).toEqual([{ id: 'countdown-badges', status: 'unrecognised', reason: 'dossier table not found' }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(badges(doc)).toHaveLength(0);
    warn.mockRestore();
  });
});

describe('countdown badge in a dossier page header', () => {
  it('shows one badge after DS’s state badges, and exactly one after #header-top is replaced twice', async () => {
    const fates = fakeFates();
    const { doc } = start('dossierEnInstruction', fates.source);
    await vi.waitFor(() => expect(badges(doc)).toHaveLength(1));
    expect(numbers(doc)).toEqual([2351204]);
    const original = fixtureDocument('dossierEnInstruction').querySelector('#header-top')!;
    for (let i = 0; i < 2; i += 1) {
      doc.querySelector('#header-top')!.replaceWith(doc.importNode(original, true));
      await vi.waitFor(() => expect(badges(doc)).toHaveLength(1));
    }
    fates.refresh();
    await vi.waitFor(() => expect(fates.asked).toHaveLength(4));
    expect(badges(doc)).toHaveLength(1);
    expect(badges(doc)[0]!.closest('#header-top')).not.toBeNull();
  });
});
