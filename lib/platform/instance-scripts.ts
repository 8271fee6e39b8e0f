import { browser } from 'wxt/browser';
import { matchPatternFor } from '@/lib/ds/instances';

/**
 * Instances added at runtime get the same content script as the known ones, registered once their
 * optional host permission is granted (refined-github's GitHub Enterprise pattern). One registration
 * per host: a match pattern names no port, so two instances on one host share it. A second copy of
 * the script on a page would make WXT invalidate the first (its "content script started" event), which
 * stops that page's features mid-way.
 */
const scriptId = (origin: string) => `ds:${new URL(origin).hostname}`;

/** The manifest's own content script already runs there (DS's hosts; loopback in demo builds). */
function coveredByManifest(pattern: string): boolean {
  return (browser.runtime.getManifest().content_scripts ?? []).some((script) => script.matches?.includes(pattern));
}

export async function hasHostPermission(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [matchPatternFor(origin)] });
}

export async function registerInstanceScripts(origin: string): Promise<void> {
  const pattern = matchPatternFor(origin);
  if (coveredByManifest(pattern)) return;
  const id = scriptId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) return;
  await browser.scripting.registerContentScripts([
    {
      id,
      matches: [pattern],
      js: ['content-scripts/ds.js'],
      // The tooltip and chart styles of the page features (the manifest's content script has them too).
      css: ['content-scripts/ds.css'],
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ]);
}

/** Unregisters the host's script unless another instance still on that host (`others`) needs it. */
export async function unregisterInstanceScripts(origin: string, others: readonly string[]): Promise<void> {
  const { hostname } = new URL(origin);
  if (others.some((other) => other !== origin && new URL(other).hostname === hostname)) return;
  const id = scriptId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
}
