import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { readTable, type StoredDossier, type StoredInstance, send } from './expiry';
import type { ExtensionSession } from './harness';

/**
 * What the sync fault tests check after each fault: the service worker still answers, nothing stored
 * was lost, nothing was counted as saved, and the popup shows one problem with its fix.
 */

/** The demo's dossiers the extension stored: number → expiry date. */
export async function storedDossiers(page: Page, demo: DemoInstance): Promise<Map<number, string | null>> {
  return new Map(
    (await readTable<StoredDossier>(page, 'dossiers'))
      .filter((d) => d.origin === demo.url)
      .map((d) => [d.number, d.expiresAt]),
  );
}

export async function storedInstance(page: Page, demo: DemoInstance): Promise<StoredInstance | undefined> {
  return (await readTable<StoredInstance>(page, 'instances')).find((i) => i.origin === demo.url);
}

/**
 * The service worker is alive, every dossier of `before` is still stored with its date, and the
 * ledger (what counts as « sauvegardé ») holds no more entries than `saves`.
 */
export async function expectAliveAndKept(
  page: Page,
  demo: DemoInstance,
  before: ReadonlyMap<number, string | null>,
  saves = 0,
): Promise<void> {
  expect(await send(page, 'ping', {})).toEqual({
    ok: true,
    value: expect.objectContaining({ context: 'background' }),
  });
  const now = await storedDossiers(page, demo);
  for (const [number, expiresAt] of before) {
    expect(now.has(number), `dossier ${number}`).toBe(true);
    if (expiresAt) expect(now.get(number), `dossier ${number}`).not.toBeNull();
  }
  expect(await readTable(page, 'ledger')).toHaveLength(saves);
}

/** The toolbar popup, opened afresh, shows exactly one problem: this message, this fix, this button. */
export async function expectPopupShows(
  session: ExtensionSession,
  code: string,
  message: string,
  fix: string,
  button: string,
): Promise<void> {
  const view = await session.openExtensionPage('popup.html');
  const alert = view.locator(`[data-problem="${code}"]`);
  await alert.waitFor();
  expect(await alert.locator('.fr-alert__title').textContent()).toBe(message);
  expect(await alert.locator('p').nth(1).textContent()).toBe(fix);
  await alert
    .getByRole(button === 'Réessayer' || button === 'Ouvrir les options' ? 'button' : 'link', { name: button })
    .waitFor();
  expect(await view.locator('[data-problem]').count()).toBe(1);
  await view.close();
}

/** The popup, opened afresh, shows no problem. */
export async function expectPopupClear(session: ExtensionSession): Promise<void> {
  const view = await session.openExtensionPage('popup.html');
  await view.locator('.status__line').first().waitFor();
  expect(await view.locator('[data-problem]').count()).toBe(0);
  await view.close();
}
