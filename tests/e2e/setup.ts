import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { alignExtensionClock, logIn } from './demo';
import { demarchesKnown, send, syncNow } from './expiry';
import type { ExtensionSession } from './harness';

export interface SignInOptions {
  /** The token saved in the popup: the demo's by default, another bearer, or `false` for session mode. */
  token?: string | false;
  /** Whether to end with one sync that reports no problem (`false` leaves the first sync to the test). */
  sync?: boolean;
  /** Whether to close the DS tab once Archiviste's content script is ready there. */
  closeDs?: boolean;
}

/**
 * What most e2e files do before their tests: the extension's clock on the demo's, the popup open,
 * the token saved, a DS tab logged in where Archiviste's content script is ready, every démarche of
 * the demo stored, and (unless told otherwise) one sync without a problem.
 */
export async function signInAndSync(
  session: ExtensionSession,
  demo: DemoInstance,
  { token = demo.token, sync = true, closeDs = false }: SignInOptions = {},
): Promise<{ popup: Page; ds: Page }> {
  await alignExtensionClock(session.context, demo);
  const popup = await session.openExtensionPage('popup.html');
  if (token !== false) expect((await send(popup, 'save-token', { origin: demo.url, token })).ok).toBe(true);
  const ds = await session.newPage();
  await logIn(ds, demo);
  await ds.waitForSelector('html[data-archiviste="ready"]');
  if (closeDs) await ds.close();
  await demarchesKnown(popup, demo);
  if (sync) expect((await syncNow(popup))[0]?.problem).toBeNull();
  return { popup, ds };
}
