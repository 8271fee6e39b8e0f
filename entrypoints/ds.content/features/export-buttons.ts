import { browser } from 'wxt/browser';
import { defineFeature, type FeatureContext } from '@/lib/content/feature';
import { observe } from '@/lib/content/observe';
import type { Route } from '@/lib/ds/routes';
import { downloadMenuButton, listDownloadMenuButton } from '@/lib/ds/selectors';
import { sendMessage } from '@/lib/platform/messages';

/**
 * The buttons' own words, from the extension's translations as the browser reads them (the content
 * script bundles no translations); the results come from the background in the user's language.
 */
const TEXTS = {
  zip: () => browser.i18n.getMessage('page_export_zip'),
  csv: () => browser.i18n.getMessage('page_export_csv'),
  pdf: () => browser.i18n.getMessage('page_export_pdf'),
  'dossier-pdf': () => browser.i18n.getMessage('page_export_dossier_pdf'),
  busy: () => browser.i18n.getMessage('page_export_busy'),
  /** When a failure comes without a sentence of its own. */
  failed: () => browser.i18n.getMessage('page_export_failed'),
};

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

export interface ExportButtonContext extends FeatureContext {
  actions: ExportActions;
}

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
function exportSlot(doc: Document, actions: ExportActions): HTMLElement {
  const slot = doc.createElement('li');
  slot.className = 'archiviste-export';
  slot.dataset.archivisteSlot = 'export';
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
    button.textContent = TEXTS[kind]();
    button.addEventListener('click', async () => {
      if (button.disabled) return;
      // A disabled button loses the focus: it gets it back when done, for keyboard users.
      const focused = doc.activeElement === button;
      for (const other of buttons) other.disabled = true;
      button.setAttribute('aria-busy', 'true');
      button.textContent = TEXTS.busy();
      status.textContent = '';
      try {
        status.textContent = (await run()).text;
      } catch (error) {
        // The background's errors are French sentences already (checked by shape: errors may come from another realm).
        const message = (error as { message?: unknown } | null)?.message;
        status.textContent = typeof message === 'string' && message ? message : TEXTS.failed();
      } finally {
        for (const other of buttons) other.disabled = false;
        button.removeAttribute('aria-busy');
        button.textContent = TEXTS[kind]();
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

/** Returns false when the page has no DS download menu to stand beside (the feature then stays off). */
export function showExportButton({ document, route, signal, actions }: ExportButtonContext): boolean {
  const anchor = anchorOf(route);
  if (!anchor || !document.querySelector(anchor)) return false;
  observe(
    anchor,
    (menuButton) => {
      const menu = menuButton.closest('li') ?? menuButton;
      const container = menu.parentElement;
      if (!container || container.querySelector(':scope > [data-archiviste-slot="export"]')) return;
      menu.after(exportSlot(document, actions));
    },
    { signal, root: document },
  );
  return true;
}

export const exportButtonsFeature = defineFeature({
  id: 'export-buttons',
  include: (route) => route.kind === 'dossier' || route.kind === 'dossier-list',
  init: (context) => {
    if (showExportButton({ ...context, actions: backgroundActions(context.route) })) return undefined;
    console.warn('Archiviste: export-buttons off, this DS page is not one it recognises');
    return false;
  },
});

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures/104532/tous/dossiers/2351204
https://demarche.numerique.gouv.fr/procedures/104532/tous
*/
