import { browser } from 'wxt/browser';
import { defineFeature, type FeatureContext } from '@/lib/content/feature';
import { observe } from '@/lib/content/observe';
import type { Route } from '@/lib/ds/routes';
import { downloadMenuButton } from '@/lib/ds/selectors';
import { sendMessage } from '@/lib/platform/messages';

/**
 * The button's own words, from the extension's translations as the browser reads them (the content
 * script bundles no translations); the results come from the background in the user's language.
 */
const TEXTS = {
  idle: () => browser.i18n.getMessage('page_export_zip'),
  busy: () => browser.i18n.getMessage('page_export_busy'),
  /** When a failure comes without a sentence of its own. */
  failed: () => browser.i18n.getMessage('page_export_failed'),
};

/** What the button asks for: the saving of this dossier, and the sentence saying how it went. */
export type ExportDossier = () => Promise<{ text: string; complete: boolean }>;

export interface ExportButtonContext extends FeatureContext {
  exportDossier: ExportDossier;
}

/** The background saves the dossier of a dossier page (the production wiring, kept in one place). */
export function backgroundExport(route: Extract<Route, { kind: 'dossier' }>): ExportDossier {
  return () =>
    sendMessage('export-dossier', { origin: route.origin, demarche: route.procedure, dossier: route.dossier });
}

/** Archiviste's button and its status line, in their own `li` like DS's menus beside it. */
function exportSlot(doc: Document, exportDossier: ExportDossier): HTMLElement {
  const slot = doc.createElement('li');
  slot.className = 'archiviste-export';
  slot.dataset.archivisteSlot = 'export';
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'fr-btn fr-btn--sm fr-btn--secondary fr-icon-archive-line fr-btn--icon-left';
  button.dataset.archivisteExport = 'zip';
  button.textContent = TEXTS.idle();
  // Present from the start (empty), so that screen readers announce what it says later.
  const status = doc.createElement('p');
  status.className = 'fr-text--sm';
  status.setAttribute('role', 'status');
  status.dataset.archivisteExportStatus = '';
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    // A disabled button loses the focus: it gets it back when done, for keyboard users.
    const focused = doc.activeElement === button;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = TEXTS.busy();
    status.textContent = '';
    try {
      const { text } = await exportDossier();
      status.textContent = text;
    } catch (error) {
      // The background's errors are French sentences already (checked by shape: errors may come from another realm).
      const message = (error as { message?: unknown } | null)?.message;
      status.textContent = typeof message === 'string' && message ? message : TEXTS.failed();
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = TEXTS.idle();
      if (focused && button.isConnected) button.focus();
    }
  });
  slot.append(button, status);
  return slot;
}

/** Returns false when the page has no DS download menu to stand beside (the feature then stays off). */
export function showExportButton({ document, route, signal, exportDossier }: ExportButtonContext): boolean {
  if (route.kind !== 'dossier' || !document.querySelector(downloadMenuButton)) return false;
  observe(
    downloadMenuButton,
    (menuButton) => {
      const menu = menuButton.closest('li') ?? menuButton;
      const container = menu.parentElement;
      if (!container || container.querySelector(':scope > [data-archiviste-slot="export"]')) return;
      menu.after(exportSlot(document, exportDossier));
    },
    { signal, root: document },
  );
  return true;
}

export const exportButtonsFeature = defineFeature({
  id: 'export-buttons',
  include: (route) => route.kind === 'dossier',
  init: (context) => {
    const { route } = context;
    if (route.kind === 'dossier' && showExportButton({ ...context, exportDossier: backgroundExport(route) })) {
      return undefined;
    }
    console.warn('Archiviste: export-buttons off, this DS page is not one it recognises');
    return false;
  },
});

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures/104532/tous/dossiers/2351204
https://demarche.numerique.gouv.fr/procedures/104532/expirant/dossiers/2241180
*/
