import { defineFeature, type FeatureContext } from '@/lib/content/feature';
import { observe } from '@/lib/content/observe';
import { backgroundStartArchive, type StartArchive } from '@/lib/content/start-archive';
import type { ArchiveSelection } from '@/lib/core/archive/selection';
import { parseId } from '@/lib/ds/page-text';
import type { Route } from '@/lib/ds/routes';
import {
  dossierRows,
  downloadMenuButton,
  emptyDossierList,
  listDownloadMenuButton,
  rowNumberCell,
} from '@/lib/ds/selectors';
import { type PageTexts, sendMessage } from '@/lib/platform/messages';

/**
 * The buttons' words, in the language chosen in the options: the background sends them (the content
 * script bundles no translations, and the browser's own i18n may not follow that choice).
 */
export type ExportTexts = PageTexts;

type ExportKind = 'zip' | 'dossier-pdf' | 'csv' | 'pdf';

/** What a button asks for: a save, and the sentence saying how it went. */
export type ExportDossier = () => Promise<{ text: string }>;
export type ExportActions = Partial<Record<ExportKind, ExportDossier>>;

const ICONS: Record<ExportKind, string> = {
  zip: 'fr-icon-archive-line',
  'dossier-pdf': 'fr-icon-file-pdf-line',
  csv: 'fr-icon-table-line',
  pdf: 'fr-icon-calendar-line',
};

/** Saves one dossier of a list, by its number. */
export type RowAction = (route: Extract<Route, { kind: 'dossier-list' }>, dossier: number) => Promise<{ text: string }>;

export interface ExportButtonContext extends FeatureContext {
  actions: ExportActions;
  /** On lists: each row's own ZIP. */
  rowAction?: RowAction;
  /** On lists: the « Archiver (ZIP) » menu's bulk archives. */
  startArchive?: StartArchive;
  texts: ExportTexts;
}

/** One entry of the « Archiver (ZIP) » menu: what it says, what it archives. */
interface ArchiveChoice {
  label: string;
  selection: ArchiveSelection;
}

/** On a list: this tab (every page), the dossiers processed in the previous or the current month, the whole démarche. */
function archiveChoices(route: Extract<Route, { kind: 'dossier-list' }>, texts: ExportTexts): ArchiveChoice[] {
  const demarche = { origin: route.origin, demarche: route.procedure };
  return [
    { label: texts['archive-tab'], selection: { kind: 'tab', ...demarche, statut: route.statut } },
    ...texts.archiveMonths.map(({ month, label }) => ({
      label,
      selection: { kind: 'month' as const, ...demarche, month },
    })),
    { label: texts['archive-demarche'], selection: { kind: 'demarche', ...demarche } },
  ];
}

const backgroundRowAction: RowAction = (route, dossier) =>
  sendMessage('export-dossier', { origin: route.origin, demarche: route.procedure, dossier });

/** The background saves what the page shows (the production wiring, kept in one place). */
export function backgroundActions(route: Route): ExportActions {
  if (route.kind === 'dossier') {
    const dossier = { origin: route.origin, demarche: route.procedure, dossier: route.dossier };
    return {
      zip: () => sendMessage('export-dossier', dossier),
      'dossier-pdf': () => sendMessage('export-dossier-pdf', dossier),
    };
  }
  if (route.kind === 'dossier-list') {
    const list = (format: 'csv' | 'pdf') => () =>
      sendMessage('export-list', { origin: route.origin, demarche: route.procedure, statut: route.statut, format });
    return { csv: list('csv'), pdf: list('pdf') };
  }
  return {};
}

let menus = 0;
/** What the page-wide click listener tells a menu when a click lands outside it. */
const CLOSE_MENU = 'archiviste-close-menu';

/**
 * « Archiver (ZIP) » and its choices, as a disclosure: a button (`aria-expanded`, `aria-controls`)
 * showing a list of buttons right after it, reached with Tab; Escape closes it and gives the focus
 * back to the button, as does a choice; so does leaving it for elsewhere, by keyboard or by click
 * (the feature listens for clicks outside, see {@link closeMenusOutside}).
 */
function archiveMenu(
  doc: Document,
  texts: ExportTexts,
  choices: readonly ArchiveChoice[],
  choose: (toggle: HTMLButtonElement, choice: ArchiveChoice) => void,
): { menu: HTMLElement; buttons: HTMLButtonElement[] } {
  const menu = doc.createElement('div');
  menu.className = 'archiviste-menu';
  menu.dataset.archivisteMenu = '';
  const toggle = doc.createElement('button');
  toggle.type = 'button';
  toggle.className = `fr-btn fr-btn--sm fr-btn--secondary ${ICONS.zip} fr-btn--icon-left`;
  toggle.dataset.archivisteExport = 'archive';
  toggle.textContent = texts.archive;
  const list = doc.createElement('ul');
  list.className = 'archiviste-menu__list';
  list.id = `archiviste-archive-menu-${++menus}`;
  list.hidden = true;
  toggle.setAttribute('aria-controls', list.id);
  toggle.setAttribute('aria-expanded', 'false');
  const setOpen = (open: boolean) => {
    list.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(list.hidden));
  const items = choices.map((choice) => {
    const item = doc.createElement('button');
    item.type = 'button';
    item.className = 'fr-btn fr-btn--sm fr-btn--tertiary-no-outline';
    item.dataset.archivisteArchive = choice.selection.kind;
    if (choice.selection.kind === 'month') item.dataset.archivisteMonth = choice.selection.month;
    item.textContent = choice.label;
    item.addEventListener('click', () => {
      setOpen(false);
      toggle.focus();
      choose(toggle, choice);
    });
    const entry = doc.createElement('li');
    entry.append(item);
    return { entry, item };
  });
  list.append(...items.map(({ entry }) => entry));
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || list.hidden) return;
    event.preventDefault();
    setOpen(false);
    toggle.focus();
  });
  menu.addEventListener('focusout', (event) => {
    const next = event.relatedTarget;
    // A click on something that takes no focus (some browsers' buttons) leaves no `relatedTarget`: the click listener closes it.
    if (next instanceof Node && !menu.contains(next)) setOpen(false);
  });
  menu.addEventListener(CLOSE_MENU, () => setOpen(false));
  menu.append(toggle, list);
  return { menu, buttons: [toggle, ...items.map(({ item }) => item)] };
}

/** One listener for the page: a click outside an open menu closes it. */
function closeMenusOutside(doc: Document, signal: AbortSignal) {
  doc.addEventListener(
    'click',
    (event) => {
      for (const menu of doc.querySelectorAll<HTMLElement>('[data-archiviste-menu]')) {
        if (!(event.target instanceof Node && menu.contains(event.target))) menu.dispatchEvent(new Event(CLOSE_MENU));
      }
    },
    { signal },
  );
}

/** Archiviste's buttons and their status line, in their own `li` like DS's menus beside it. */
function exportSlot(
  doc: Document,
  texts: ExportTexts,
  actions: ExportActions,
  options: { row?: number; archive?: { choices: ArchiveChoice[]; start: StartArchive } } = {},
): HTMLElement {
  const { row, archive } = options;
  // Beside DS's menus, an `li` like theirs; in a row's number cell, a `div` like DS's badges.
  const slot = doc.createElement(row === undefined ? 'li' : 'div');
  slot.className = row === undefined ? 'archiviste-export' : 'archiviste-export archiviste-export--row';
  slot.dataset.archivisteSlot = row === undefined ? 'export' : 'row-export';
  // Present from the start (empty), so that screen readers announce what it says later.
  const status = doc.createElement('p');
  status.className = 'fr-text--sm';
  status.setAttribute('role', 'status');
  status.dataset.archivisteExportStatus = '';
  const buttons: HTMLButtonElement[] = [];
  /** One action at a time: every button of the slot waits, `button` says it is busy, the status line says how it went. */
  const perform = async (button: HTMLButtonElement, resting: string, run: ExportDossier) => {
    if (button.disabled) return;
    // A disabled button loses the focus: it gets it back when done, for keyboard users.
    const focused = doc.activeElement === button;
    for (const other of buttons) other.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = texts.busy;
    status.textContent = '';
    try {
      status.textContent = (await run()).text;
    } catch (error) {
      // The background's errors are French sentences already (checked by shape: errors may come from another realm).
      const message = (error as { message?: unknown } | null)?.message;
      status.textContent = typeof message === 'string' && message ? message : texts.failed;
    } finally {
      for (const other of buttons) other.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = resting;
      if (focused && button.isConnected) button.focus();
    }
  };
  for (const kind of Object.keys(actions) as ExportKind[]) {
    const run = actions[kind];
    if (!run) continue;
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = `fr-btn fr-btn--sm fr-btn--secondary ${ICONS[kind]} fr-btn--icon-left`;
    button.dataset.archivisteExport = kind;
    button.textContent = texts[kind];
    // In a row, « ZIP » alone would not say which dossier: the accessible name does.
    if (row !== undefined) button.setAttribute('aria-label', texts.row.replace('{n}', String(row)));
    button.addEventListener('click', () => void perform(button, texts[kind], run));
    buttons.push(button);
  }
  slot.append(...buttons);
  if (archive) {
    const { menu, buttons: menuButtons } = archiveMenu(doc, texts, archive.choices, (toggle, choice) => {
      void perform(toggle, texts.archive, async () => {
        await archive.start(choice.selection);
        return { text: texts['archive-opened'] };
      });
    });
    buttons.push(...menuButtons);
    slot.append(menu);
  }
  slot.append(status);
  return slot;
}

/** DS's download menu the buttons stand beside: the dossier's « Télécharger », the list's « Télécharger N dossiers ». */
const anchorOf = (route: Route) =>
  route.kind === 'dossier' ? downloadMenuButton : route.kind === 'dossier-list' ? listDownloadMenuButton : null;

/** A « ZIP » action in each row's number cell: that one dossier saved, as from its own page. */
function showRowActions(
  document: Document,
  texts: ExportTexts,
  route: Extract<Route, { kind: 'dossier-list' }>,
  signal: AbortSignal,
  rowAction: RowAction,
) {
  observe(
    dossierRows,
    (row) => {
      const number = parseId(row.getAttribute('data-row-key'));
      const cell = row.querySelector(rowNumberCell);
      if (!number || !cell || cell.querySelector(':scope > [data-archiviste-slot="row-export"]')) return;
      cell.append(exportSlot(document, texts, { zip: () => rowAction(route, number) }, { row: number }));
    },
    { signal, root: document },
  );
}

/** Returns false when the page has no DS download menu to stand beside (the feature then stays off). */
export function showExportButton({
  document,
  route,
  signal,
  actions,
  rowAction,
  startArchive,
  texts,
}: ExportButtonContext): boolean {
  const anchor = anchorOf(route);
  if (!anchor || !document.querySelector(anchor)) return false;
  const archive =
    route.kind === 'dossier-list' && startArchive
      ? { choices: archiveChoices(route, texts), start: startArchive }
      : undefined;
  if (archive) closeMenusOutside(document, signal);
  observe(
    anchor,
    (menuButton) => {
      const menu = menuButton.closest('li') ?? menuButton;
      const container = menu.parentElement;
      if (!container || container.querySelector(':scope > [data-archiviste-slot="export"]')) return;
      menu.after(exportSlot(document, texts, actions, { archive }));
    },
    { signal, root: document },
  );
  if (route.kind === 'dossier-list' && rowAction) showRowActions(document, texts, route, signal, rowAction);
  return true;
}

export const exportButtonsFeature = defineFeature({
  id: 'export-buttons',
  include: (route) => route.kind === 'dossier' || route.kind === 'dossier-list',
  recognise: ({ document, route }) => {
    const anchor = anchorOf(route);
    if (!anchor || document.querySelector(anchor)) return null;
    // An empty tab has nothing to download: DS draws no menu there, and neither does Archiviste.
    return route.kind === 'dossier-list' && document.querySelector(emptyDossierList) ? null : 'download menu not found';
  },
  init: async (context) => {
    const actions = backgroundActions(context.route);
    const texts = await sendMessage('page-texts', {});
    const wiring = { actions, rowAction: backgroundRowAction, startArchive: backgroundStartArchive, texts };
    return showExportButton({ ...context, ...wiring }) ? undefined : false;
  },
});

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures/104532/tous/dossiers/2351204
https://demarche.numerique.gouv.fr/procedures/104532/tous
*/
