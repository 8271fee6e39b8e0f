import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { logIn } from './demo';
import { readTable, type StoredDossier, type StoredInstance, send, syncNow } from './expiry';
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

/** A problem as a sync reports it and the popup tells it. */
export interface ToldProblem {
  code: string;
  /** What the sync's result must also carry: its mode, the problem's detail. */
  mode?: 'api' | 'session';
  detail?: string;
  /** How many GraphQL requests the failing sync made (since the test's last `resetMetrics`). */
  graphqlRequests?: number;
  message: string;
  fix: string;
  button: string;
}

/**
 * One sync now ends in this problem: its result and the stored instance say so, the service worker
 * is alive with everything of `before` kept and nothing counted saved, and the popup, opened afresh,
 * tells this one problem with its fix.
 */
export async function expectSyncEndsIn(
  session: ExtensionSession,
  popup: Page,
  demo: DemoInstance,
  before: ReadonlyMap<number, string | null>,
  { code, mode, detail, graphqlRequests, message, fix, button }: ToldProblem,
): Promise<void> {
  const [result] = await syncNow(popup);
  expect(result).toEqual(
    expect.objectContaining({
      ...(mode ? { mode } : {}),
      problem: expect.objectContaining({ code, ...(detail ? { detail } : {}) }),
    }),
  );
  if (graphqlRequests !== undefined) expect(demo.metrics().requests.graphql).toBe(graphqlRequests);
  expect((await storedInstance(popup, demo))!.problem?.code).toBe(code);
  await expectAliveAndKept(popup, demo, before);
  await expectPopupShows(session, code, message, fix, button);
}

/** « Se connecter à … »'s promise kept: logged in to DS again, a token-less sync reads the lists without a problem. */
export async function logInAgainAndSync(session: ExtensionSession, popup: Page, demo: DemoInstance): Promise<void> {
  const ds = await session.newPage();
  await logIn(ds, demo);
  await ds.close();
  expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);
}

/** What the popup says when DS cannot be reached (offline, DS down). */
export const UNREACHABLE: ToldProblem = {
  code: 'unreachable',
  message: 'DS est injoignable.',
  fix: 'Vérifiez votre connexion, puis réessayez.',
  button: 'Réessayer',
};

/** What the popup says when a token-less sync finds DS logged out. */
export const loggedOut = (demo: DemoInstance): ToldProblem => ({
  code: 'logged-out',
  mode: 'session',
  message: 'Vous n’êtes pas connecté à DS.',
  fix: 'Ouvrez DS et connectez-vous : Archiviste lira vos listes.',
  button: `Se connecter à ${new URL(demo.url).host}`,
});
