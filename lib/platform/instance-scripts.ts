import { browser } from 'wxt/browser';
import { matchPatternFor } from '@/lib/ds/instances';

/**
 * Instances added at runtime get the same content script as the known ones, registered once their
 * optional host permission is granted (refined-github's GitHub Enterprise pattern).
 */
const scriptId = (origin: string) => `ds:${new URL(origin).host}`;

export async function hasHostPermission(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [matchPatternFor(origin)] });
}

export async function registerInstanceScripts(origin: string): Promise<void> {
  const id = scriptId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) return;
  await browser.scripting.registerContentScripts([
    {
      id,
      matches: [matchPatternFor(origin)],
      js: ['content-scripts/ds.js'],
      // The tooltip and chart styles of the page features (the manifest's content script has them too).
      css: ['content-scripts/ds.css'],
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ]);
}

export async function unregisterInstanceScripts(origin: string): Promise<void> {
  const id = scriptId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
}
