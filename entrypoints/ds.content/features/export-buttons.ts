import { defineFeature, type FeatureContext } from '@/lib/content/feature';
import { observe } from '@/lib/content/observe';
import { parseId } from '@/lib/ds/page-text';
import type { Route } from '@/lib/ds/routes';
import { dossierRows, downloadMenuButton, listDownloadMenuButton, rowNumberCell } from '@/lib/ds/selectors';
import { type ResponseOf, sendMessage } from '@/lib/platform/messages';

/**
 * The buttons' words, in the language chosen in the options: the background sends them (the content
 * script bundles no translations, and the browser's own i18n may not follow that choice).
 */
export type ExportTexts = ResponseOf<'page-texts'>;

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
  texts: ExportTexts;
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

/** Archiviste's buttons and their status line, in their own `li` like DS's menus beside it. */
function exportSlot(doc: Document, texts: ExportTexts, actions: ExportActions, row?: number): HTMLElement {
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
    button.addEventListener('click', async () => {
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
        button.textContent = texts[kind];
        if (focused && button.isConnected) button.focus();
      }
    });
    buttons.push(button);
  }
  slot.append(...buttons, status);
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
      cell.append(exportSlot(document, texts, { zip: () => rowAction(route, number) }, number));
    },
    { signal, root: document },
  );
}

/** Returns false when the page has no DS download menu to stand beside (the feature then stays off). */
export function showExportButton({ document, route, signal, actions, rowAction, texts }: ExportButtonContext): boolean {
  const anchor = anchorOf(route);
  if (!anchor || !document.querySelector(anchor)) return false;
  observe(
    anchor,
    (menuButton) => {
      const menu = menuButton.closest('li') ?? menuButton;
      const container = menu.parentElement;
      if (!container || container.querySelector(':scope > [data-archiviste-slot="export"]')) return;
      menu.after(exportSlot(document, texts, actions));
    },
    { signal, root: document },
  );
  if (route.kind === 'dossier-list' && rowAction) showRowActions(document, texts, route, signal, rowAction);
  return true;
}

export const exportButtonsFeature = defineFeature({
  id: 'export-buttons',
  include: (route) => route.kind === 'dossier' || route.kind === 'dossier-list',
  init: async (context) => {
    const actions = backgroundActions(context.route);
    const texts = await sendMessage('page-texts', {});
    if (showExportButton({ ...context, actions, rowAction: backgroundRowAction, texts })) return undefined;
    console.warn('Archiviste: export-buttons off, this DS page is not one it recognises');
    return false;
  },
});

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures/104532/tous/dossiers/2351204
https://demarche.numerique.gouv.fr/procedures/104532/tous
*/
