import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ExportDossier,
  exportButtonsFeature,
  showExportButton,
} from '@/entrypoints/ds.content/features/export-buttons';
import { runFeatures } from '@/lib/content/feature';
import type { StartArchive } from '@/lib/content/start-archive';
import { routeOf } from '@/lib/ds/routes';
import type { PageTexts } from '@/lib/platform/messages';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';
import { fakeBackground } from './ui-fixtures';

const DOSSIER_PAGES = [
  'dossierEnInstruction',
  'dossierExpirant',
  'dossierEnConstruction',
  'dossierEnConstruction2026',
  'dossierRefuse',
] as const satisfies readonly PageName[];

/** What the background sends (lib/view/list-export.ts `exportButtonTexts`), in French. */
const TEXTS: PageTexts = {
  zip: 'Sauvegarder (ZIP)',
  'dossier-pdf': 'PDF du dossier',
  csv: 'Tableur (CSV)',
  pdf: 'Échéancier (PDF)',
  busy: 'Sauvegarde en cours…',
  failed: 'La sauvegarde a échoué : rechargez la page et recommencez.',
  row: 'Sauvegarder le dossier n° {n} (ZIP)',
  archive: 'Archiver (ZIP)',
  'archive-tab': 'Cet onglet',
  'archive-demarche': 'Toute la démarche',
  'archive-opened': 'L’archive s’est ouverte dans un nouvel onglet.',
  archiveMonths: [
    { month: '2026-10', label: 'Les dossiers traités en octobre 2026' },
    { month: '2026-11', label: 'Les dossiers traités en novembre 2026' },
  ],
};
let controller: AbortController;
beforeEach(() => {
  controller = new AbortController();
});
afterEach(() => {
  controller.abort();
  vi.restoreAllMocks();
});

function start(name: PageName, exportDossier: ExportDossier, doc = fixtureDocument(name)) {
  const shown = showExportButton({
    document: doc,
    route: routeOf(PAGES[name].url),
    signal: controller.signal,
    texts: TEXTS,
    actions: { zip: exportDossier },
  });
  return { doc, shown };
}

const buttons = (doc: Document) => [...doc.querySelectorAll<HTMLButtonElement>('button[data-archiviste-export="zip"]')];
/** The one button on the page. */
function theButton(doc: Document): HTMLButtonElement {
  const found = buttons(doc);
  expect(found).toHaveLength(1);
  return found[0] as HTMLButtonElement;
}
const statusOf = (doc: Document) => doc.querySelector<HTMLElement>('[data-archiviste-export-status]');
const dsMenu = (doc: Document) => doc.querySelector('#print-pj-menu_button')?.closest('li');

/** The accessible name of a button named by its content (no aria-label, no aria-labelledby). */
function accessibleName(button: HTMLElement): string {
  expect(button.hasAttribute('aria-label')).toBe(false);
  expect(button.hasAttribute('aria-labelledby')).toBe(false);
  return (button.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** A promise the test settles when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('the export button on a dossier page', () => {
  it.each(DOSSIER_PAGES)('stands right after DS’s « Télécharger » menu on %s, named « … (ZIP) »', (name) => {
    const { doc, shown } = start(name, vi.fn());
    expect(shown).toBe(true);
    expect(buttons(doc)).toHaveLength(1);
    const button = theButton(doc);
    expect(button.type).toBe('button');
    expect([...button.classList]).toEqual([
      'fr-btn',
      'fr-btn--sm',
      'fr-btn--secondary',
      'fr-icon-archive-line',
      'fr-btn--icon-left',
    ]);
    expect(accessibleName(button)).toBe('Sauvegarder (ZIP)');
    expect(accessibleName(button)).toContain('ZIP');
    // Right after DS's menu, DS's « Imprimer » menu still after ours: DS's controls keep their order.
    const slot = button.parentElement!;
    expect(dsMenu(doc)?.nextElementSibling).toBe(slot);
    expect(slot.nextElementSibling?.querySelector('#print-menu_button')).not.toBeNull();
    expect(slot.closest('#header-top .header-actions')).not.toBeNull();
    // The status line sits right after the button, empty until there is something to say.
    const status = statusOf(doc)!;
    expect(button.nextElementSibling).toBe(status);
    expect(status.tagName).toBe('P');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.className).toBe('fr-text--sm');
    expect(status.textContent).toBe('');
  });

  it('is busy while the dossier is saved, then says what the background answered', async () => {
    const answer = deferred<{ text: string }>();
    const exportDossier = vi.fn<ExportDossier>(() => answer.promise);
    const { doc } = start('dossierEnInstruction', exportDossier);
    const button = theButton(doc);
    button.click();
    expect(exportDossier).toHaveBeenCalledTimes(1);
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.textContent).toBe('Sauvegarde en cours…');
    // A second click while busy asks for nothing more.
    button.click();
    expect(exportDossier).toHaveBeenCalledTimes(1);

    answer.resolve({ text: 'Sauvegardé : dossier-2351204.zip' });
    await vi.waitFor(() => expect(statusOf(doc)?.textContent).toBe('Sauvegardé : dossier-2351204.zip'));
    expect(button.disabled).toBe(false);
    expect(button.hasAttribute('aria-busy')).toBe(false);
    expect(button.textContent).toBe('Sauvegarder (ZIP)');
    expect(button.nextElementSibling).toBe(statusOf(doc));
  });

  it('shows an incomplete save as the background words it', async () => {
    const text = 'Sauvegardé, incomplet (2 fichiers) : voir l’inventaire';
    const { doc } = start('dossierExpirant', async () => ({ text }));
    theButton(doc).click();
    await vi.waitFor(() => expect(statusOf(doc)?.textContent).toBe(text));
  });

  it('shows the French error of a failed save, and the button can be used again', async () => {
    const exportDossier = vi
      .fn<ExportDossier>()
      .mockRejectedValueOnce(new Error('La sauvegarde a échoué : DS ne répond pas.'))
      .mockResolvedValueOnce({ text: 'Sauvegardé : dossier-2241180.zip' });
    const { doc } = start('dossierExpirant', exportDossier);
    const button = theButton(doc);
    button.click();
    await vi.waitFor(() => expect(statusOf(doc)?.textContent).toBe('La sauvegarde a échoué : DS ne répond pas.'));
    expect(button.disabled).toBe(false);
    expect(button.hasAttribute('aria-busy')).toBe(false);
    expect(button.textContent).toBe('Sauvegarder (ZIP)');

    button.click();
    await vi.waitFor(() => expect(statusOf(doc)?.textContent).toBe('Sauvegardé : dossier-2241180.zip'));
    expect(exportDossier).toHaveBeenCalledTimes(2);
  });

  it('puts the text in as text, never as HTML', async () => {
    const { doc } = start('dossierEnInstruction', async () => ({
      text: '<img src=x onerror=alert(1)>',
      complete: true,
    }));
    theButton(doc).click();
    await vi.waitFor(() => expect(statusOf(doc)?.textContent).toBe('<img src=x onerror=alert(1)>'));
    expect(statusOf(doc)?.querySelector('img')).toBeNull();
  });

  it('keeps exactly one button when DS replaces #header-top, twice', async () => {
    const { doc } = start('dossierEnInstruction', vi.fn());
    const fresh = () => doc.importNode(fixtureDocument('dossierEnInstruction').querySelector('#header-top')!, true);
    for (let round = 0; round < 2; round++) {
      doc.querySelector('#header-top')!.replaceWith(fresh());
      await vi.waitFor(() => expect(buttons(doc)).toHaveLength(1));
      expect(dsMenu(doc)?.nextElementSibling).toBe(theButton(doc).parentElement);
    }
    // And a burst of unrelated DS mutations adds nothing.
    doc.querySelector('#header-top')!.append(doc.createElement('div'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(buttons(doc)).toHaveLength(1);
  });

  it('stops adding buttons once the content script is gone', async () => {
    const { doc } = start('dossierEnInstruction', vi.fn());
    controller.abort();
    doc
      .querySelector('#header-top')!
      .replaceWith(doc.importNode(fixtureDocument('dossierEnInstruction').querySelector('#header-top')!, true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(buttons(doc)).toHaveLength(0);
  });
});

describe('the export-buttons feature', () => {
  it('runs on dossier pages and dossier lists only', () => {
    expect(exportButtonsFeature.id).toBe('export-buttons');
    expect(exportButtonsFeature.include(routeOf(PAGES.dossierEnInstruction.url))).toBe(true);
    expect(exportButtonsFeature.include(routeOf(PAGES.dossierList.url))).toBe(true);
    expect(exportButtonsFeature.include(routeOf(PAGES.procedures.url))).toBe(false);
  });

  it('stays off, with one warning, on a dossier page without DS’s download menu', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const doc = fixtureDocument('dossierEnInstruction');
    doc.querySelector('#print-pj-menu_button')!.closest('li')!.remove();
    const route = routeOf(PAGES.dossierEnInstruction.url);
    fakeBackground({ 'page-texts': () => TEXTS });
    const outcomes = await runFeatures([exportButtonsFeature], { document: doc, route, signal: controller.signal });
    expect(outcomes).toEqual([{ id: 'export-buttons', status: 'unrecognised', reason: 'download menu not found' }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('export-buttons');
    expect(buttons(doc)).toHaveLength(0);
  });

  it('puts its button on a dossier page through its own init', async () => {
    const doc = fixtureDocument('dossierRefuse');
    const route = routeOf(PAGES.dossierRefuse.url);
    fakeBackground({ 'page-texts': () => TEXTS });
    expect(await exportButtonsFeature.init({ document: doc, route, signal: controller.signal })).toBeUndefined();
    expect(buttons(doc)).toHaveLength(1);
  });
});

describe('list exports', () => {
  it('puts « Tableur (CSV) » and « Échéancier (PDF) » beside DS’s « Télécharger N dossiers », once', async () => {
    const doc = fixtureDocument('dossierList');
    const csv = vi
      .fn<ExportDossier>()
      .mockResolvedValue({ text: 'Enregistré : dossiers_procedure-104532.csv (208 dossiers)' });
    const pdf = vi.fn<ExportDossier>().mockResolvedValue({ text: 'Enregistré : echeancier.pdf (208 dossiers)' });
    const shown = showExportButton({
      document: doc,
      route: routeOf(PAGES.dossierList.url),
      signal: controller.signal,
      texts: TEXTS,
      actions: { csv, pdf },
    });
    expect(shown).toBe(true);
    const slot = doc.querySelectorAll('[data-archiviste-slot="export"]');
    expect(slot).toHaveLength(1);
    expect(slot[0]?.previousElementSibling?.querySelector('#download_menu_button')).not.toBeNull();
    const labels = [...slot[0]!.querySelectorAll('button')].map((b) => b.textContent);
    expect(labels).toEqual(['Tableur (CSV)', 'Échéancier (PDF)']);
    slot[0]!.querySelector<HTMLButtonElement>('[data-archiviste-export="csv"]')!.click();
    await vi.waitFor(() =>
      expect(slot[0]!.querySelector('[data-archiviste-export-status]')?.textContent).toContain(
        'dossiers_procedure-104532',
      ),
    );
    expect(csv).toHaveBeenCalledOnce();
    expect(pdf).not.toHaveBeenCalled();
  });
});

describe('a ZIP action on each row of a list', () => {
  it('puts one « ZIP » in each row’s number cell, named for its dossier, and saves that dossier', async () => {
    const doc = fixtureDocument('dossierList');
    const saved: number[] = [];
    showExportButton({
      document: doc,
      route: routeOf(PAGES.dossierList.url),
      signal: controller.signal,
      texts: TEXTS,
      actions: {},
      rowAction: async (_route, dossier) => {
        saved.push(dossier);
        return { text: `Sauvegardé : dossier-${dossier}.zip` };
      },
    });
    const rows = [...doc.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')];
    const buttons = rows.map((row) =>
      row.querySelectorAll('td.fr-cell--numeric [data-archiviste-slot="row-export"] button'),
    );
    expect(buttons.map((found) => found.length)).toEqual(rows.map(() => 1));
    const first = buttons[0]![0] as HTMLButtonElement;
    const number = Number(rows[0]!.getAttribute('data-row-key'));
    expect(first.getAttribute('aria-label')).toBe(`Sauvegarder le dossier n° ${number} (ZIP)`);
    first.click();
    await vi.waitFor(() => expect(saved).toEqual([number]));
    await vi.waitFor(() =>
      expect(rows[0]!.querySelector('[data-archiviste-export-status]')?.textContent).toBe(
        `Sauvegardé : dossier-${number}.zip`,
      ),
    );
  });
});

describe('the « Archiver (ZIP) » menu beside DS’s downloads', () => {
  const LIST = routeOf(PAGES.dossierList.url);
  const DEMARCHE = { origin: 'https://demarche.numerique.gouv.fr', demarche: 104532 };

  function startMenu(startArchive: StartArchive, doc = fixtureDocument('dossierList')) {
    // In the test window: focus and clicks outside behave as on DS's page.
    document.body.replaceChildren(document.importNode(doc.body, true));
    const shown = showExportButton({
      document,
      route: LIST,
      signal: controller.signal,
      texts: TEXTS,
      actions: {},
      startArchive,
    });
    expect(shown).toBe(true);
    return menuParts();
  }
  function menuParts() {
    const menus = document.querySelectorAll<HTMLElement>('[data-archiviste-menu]');
    expect(menus).toHaveLength(1);
    const menu = menus[0]!;
    const toggle = menu.querySelector<HTMLButtonElement>('button[data-archiviste-export="archive"]')!;
    const list = menu.querySelector<HTMLUListElement>('ul')!;
    const items = [...list.querySelectorAll<HTMLButtonElement>('li > button')];
    return { menu, toggle, list, items };
  }
  const status = () => document.querySelector<HTMLElement>('[data-archiviste-export-status]')!;
  const press = (target: Element, key: string) =>
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));

  afterEach(() => {
    document.body.replaceChildren();
  });

  it('is a closed disclosure beside « Tableur (CSV) »: a named button controlling a list of four buttons', () => {
    const { toggle, list, items } = startMenu(vi.fn());
    expect(toggle.type).toBe('button');
    expect(accessibleName(toggle)).toBe('Archiver (ZIP)');
    expect([...toggle.classList]).toEqual([
      'fr-btn',
      'fr-btn--sm',
      'fr-btn--secondary',
      'fr-icon-archive-line',
      'fr-btn--icon-left',
    ]);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe(list.id);
    expect(document.getElementById(list.id)).toBe(list);
    expect(list.hidden).toBe(true);
    expect(items.map(accessibleName)).toEqual([
      'Cet onglet',
      'Les dossiers traités en octobre 2026',
      'Les dossiers traités en novembre 2026',
      'Toute la démarche',
    ]);
    // Real buttons in the tab order, right after the toggle: Tab reaches them once it is open.
    for (const item of items) {
      expect(item.type).toBe('button');
      expect(item.hasAttribute('tabindex')).toBe(false);
    }
    expect(toggle.nextElementSibling).toBe(list);
    // In Archiviste's slot beside DS's « Télécharger N dossiers », the status line last.
    const slot = toggle.closest('[data-archiviste-slot="export"]')!;
    expect(slot.previousElementSibling?.querySelector('#download_menu_button')).not.toBeNull();
    expect(slot.lastElementChild).toBe(status());
  });

  it('opens and closes on its button, closes on Escape with the focus back on its button', () => {
    const { toggle, list, items } = startMenu(vi.fn());
    toggle.click();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(list.hidden).toBe(false);
    toggle.click();
    expect(list.hidden).toBe(true);

    toggle.click();
    items[2]!.focus();
    press(items[2]!, 'Escape');
    expect(list.hidden).toBe(true);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });

  it('closes when the focus or a click goes elsewhere, not when it moves inside', () => {
    const { toggle, list, items } = startMenu(vi.fn());
    toggle.click();
    toggle.focus();
    items[0]!.focus();
    expect(list.hidden).toBe(false);
    document.querySelector<HTMLElement>('#download_menu_button')!.focus();
    expect(list.hidden).toBe(true);

    toggle.click();
    document.querySelector<HTMLElement>('#table-dossiers')!.click();
    expect(list.hidden).toBe(true);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('archives this tab, a month’s processed dossiers or the whole démarche, then says the archive opened', async () => {
    const startArchive = vi.fn<StartArchive>(async () => ({ jobId: 3, dossiers: 208 }));
    const { toggle, list, items } = startMenu(startArchive);
    const expected = [
      { kind: 'tab', ...DEMARCHE, statut: 'tous' },
      { kind: 'month', ...DEMARCHE, month: '2026-10' },
      { kind: 'month', ...DEMARCHE, month: '2026-11' },
      { kind: 'demarche', ...DEMARCHE },
    ];
    for (const [index, item] of items.entries()) {
      toggle.click();
      item.focus();
      item.click();
      // The choice closes the menu and gives the focus back to its button, which says it is busy.
      expect(list.hidden).toBe(true);
      expect(toggle.textContent).toBe('Sauvegarde en cours…');
      expect(toggle.disabled).toBe(true);
      await vi.waitFor(() => expect(status().textContent).toBe('L’archive s’est ouverte dans un nouvel onglet.'));
      expect(startArchive).toHaveBeenLastCalledWith(expected[index]);
      expect(toggle.textContent).toBe('Archiver (ZIP)');
      expect(toggle.disabled).toBe(false);
      expect(document.activeElement).toBe(toggle);
    }
    expect(startArchive).toHaveBeenCalledTimes(4);
  });

  it('says why an archive did not start, as text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const { toggle, items } = startMenu(vi.fn<StartArchive>().mockRejectedValueOnce(new Error(evil)));
    toggle.click();
    items[3]!.click();
    await vi.waitFor(() => expect(status().textContent).toBe(evil));
    expect(status().querySelector('img')).toBeNull();
    expect(toggle.disabled).toBe(false);
  });

  it('keeps exactly one menu, its list named once, when DS re-renders its download menu, twice', async () => {
    startMenu(vi.fn());
    for (let round = 0; round < 2; round++) {
      const group = document.querySelector('#download_menu_button')!.closest('ul')!;
      const fresh = fixtureDocument('dossierList').querySelector('#download_menu_button')!.closest('ul')!;
      group.replaceWith(document.importNode(fresh, true));
      await vi.waitFor(() => expect(document.querySelectorAll('[data-archiviste-menu]')).toHaveLength(1));
      const { toggle, list } = menuParts();
      expect(document.querySelectorAll(`#${list.id}`)).toHaveLength(1);
      expect(toggle.getAttribute('aria-controls')).toBe(list.id);
      toggle.click();
      expect(list.hidden).toBe(false);
      press(toggle, 'Escape');
      expect(list.hidden).toBe(true);
    }
  });

  it('is on lists only: a dossier page has no archive menu', () => {
    const { doc } = start('dossierEnInstruction', vi.fn());
    expect(doc.querySelector('[data-archiviste-menu]')).toBeNull();
  });

  it('sends archive-start through its own init, with the words the background sent', async () => {
    document.body.replaceChildren(document.importNode(fixtureDocument('dossierList').body, true));
    const received = fakeBackground({
      'page-texts': () => TEXTS,
      'archive-start': () => ({ jobId: 5, dossiers: 12 }),
    });
    expect(await exportButtonsFeature.init({ document, route: LIST, signal: controller.signal })).toBeUndefined();
    const { toggle, items } = menuParts();
    toggle.click();
    items[1]!.click();
    await vi.waitFor(() => expect(status().textContent).toBe('L’archive s’est ouverte dans un nouvel onglet.'));
    expect(received.filter(({ kind }) => kind === 'archive-start')).toEqual([
      { kind: 'archive-start', payload: { kind: 'month', ...DEMARCHE, month: '2026-10' } },
    ]);
  });
});
