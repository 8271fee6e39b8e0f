import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { DAY_MS } from '../../demo/time';
import { startDemoForTest } from './demo';
import { readTable, send, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';
import {
  expectAliveAndKept,
  expectPopupClear,
  expectPopupShows,
  expectSyncEndsIn,
  loggedOut,
  logInAgainAndSync,
  storedDossiers,
  storedInstance,
  UNREACHABLE,
} from './sync-checks';

/**
 * Issue 12 §1, the sync half: faults in the middle of a sync against the demo instance. Each ends in
 * one French message with its fix (or in none, when a retry absorbed it), keeps what was stored,
 * counts nothing as saved, and the next run picks up where this one stopped.
 */

interface StoredSyncState {
  origin: string;
  demarche: number;
  cursor: string | null;
}

describe('faults during a sync', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  /** What the last complete sync stored: number → expiry date. */
  let stored: Map<number, string | null>;

  /** `count` processed dossiers DS deletes in 200 days, new to the API's `updatedSince` walk. */
  const addDossiers = (demarche: number, count: number) =>
    Array.from(
      { length: count },
      () =>
        demo.admin.addDossier({
          demarche,
          state: 'accepte',
          expiresAt: new Date(demo.clock.now().getTime() + 200 * DAY_MS).toISOString(),
        }).number,
    );
  const cursorOf = async (demarche: number) =>
    (await readTable<StoredSyncState>(popup, 'syncState')).find((s) => s.origin === demo.url && s.demarche === demarche)
      ?.cursor;
  const syncedClean = async () => {
    demo.resetMetrics();
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ origin: demo.url, problem: null })]);
    expect((await storedInstance(popup, demo))!.problem).toBeNull();
    stored = await storedDossiers(popup, demo);
  };

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    const token = demo.admin.createToken();
    ({ popup } = await signInAndSync(session, demo, { token: token.bearer, sync: false, closeDs: true }));
    await syncedClean();
    expect(stored.size).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('token expiring mid-sync: "token-expired", the pages read kept, the next token goes on from there', async () => {
    // 250 new dossiers: three rounds of the `updatedSince` walk (100 a page); the token dies after one.
    const added = addDossiers(104532, 250);
    demo.faults.set({ tokenExpired: { afterRequests: 1 } });
    demo.resetMetrics();
    const [result] = await syncNow(popup);
    expect(result!.problem).toEqual(expect.objectContaining({ code: 'token-expired' }));
    expect(demo.metrics().requests.graphql).toBe(2);
    const read = await storedDossiers(popup, demo);
    expect(added.filter((n) => read.has(n))).toHaveLength(100);
    expect(await cursorOf(104532)).toEqual(expect.any(String));
    await expectAliveAndKept(popup, demo, stored);
    await expectPopupShows(
      session,
      'token-expired',
      'Votre jeton d’API a expiré.',
      'Créez-en un nouveau dans votre profil DS (/profil), puis collez-le dans les options.',
      'Ouvrir les options',
    );

    // A new token: the walk resumes at its cursor, two requests for the 150 left, none read twice.
    demo.faults.clear();
    expect((await send(popup, 'save-token', { origin: demo.url, token: demo.admin.createToken().bearer })).ok).toBe(
      true,
    );
    await syncedClean();
    expect(demo.metrics().requests.graphql).toBe(2);
    expect(added.filter((n) => stored.has(n))).toHaveLength(250);
    await expectPopupClear(session);
  });

  it('403 network not allowed: "network-forbidden" with the range to allow, then recovers', async () => {
    demo.faults.set({ forbiddenNetwork: true });
    await expectSyncEndsIn(session, popup, demo, stored, {
      code: 'network-forbidden',
      detail: '127.0.0.1/32',
      message: 'DS refuse les appels depuis cette adresse réseau.',
      fix: 'Ajoutez la plage 127.0.0.1/32 aux réseaux autorisés de votre jeton (profil DS).',
      button: 'Ouvrir les options',
    });
    demo.faults.clear();
    await syncedClean();
    await expectPopupClear(session);
  });

  it('500s: two are retried unseen; persistent ones end in "server-error", and « Réessayer » recovers', async () => {
    demo.faults.set({ serverError: { target: 'graphql', count: 2 } });
    await syncedClean();
    // The quiet poll's one request, answered at the third try.
    expect(demo.metrics().requests.graphql).toBe(3);

    demo.faults.set({ serverError: { target: 'graphql' } });
    demo.resetMetrics();
    await expectSyncEndsIn(session, popup, demo, stored, {
      code: 'server-error',
      graphqlRequests: 3,
      message: 'DS a rencontré une erreur.',
      fix: 'Réessayez plus tard ; si l’erreur persiste, DS est peut-être en maintenance.',
      button: 'Réessayer',
    });

    demo.faults.clear();
    const view = await session.openExtensionPage('popup.html');
    await view.locator('[data-problem="server-error"]').getByRole('button', { name: 'Réessayer' }).click();
    await view.locator('[data-problem]').waitFor({ state: 'detached' });
    expect(await view.locator('.popup__sync-report').textContent()).toMatch(
      /^Synchronisation terminée : \d+ dossiers lus\.$/,
    );
    await view.close();
    expect((await storedInstance(popup, demo))!.problem).toBeNull();
  });

  it('answers slower than 25 s: one is retried; two in a row end in "too-slow", then recovers', async () => {
    // DS's 30 s are never reached: the client gives up at 25 s and asks again.
    demo.faults.set({ slow: { target: 'graphql', count: 1 } });
    const started = Date.now();
    await syncedClean();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25_000);
    expect(demo.metrics().requests.graphql).toBe(2);

    demo.faults.set({ slow: { target: 'graphql', count: 2 } });
    demo.resetMetrics();
    await expectSyncEndsIn(session, popup, demo, stored, {
      code: 'too-slow',
      graphqlRequests: 2,
      message: 'DS ne répond pas assez vite (aucune réponse en 25 secondes).',
      fix: 'DS est sans doute surchargé : Archiviste réessaiera à la prochaine synchronisation ; vous pouvez aussi réessayer dans quelques minutes.',
      button: 'Réessayer',
    });
    await syncedClean();
    await expectPopupClear(session);
  }, 120_000);

  it('service worker stopped mid-sync: the popup says so, the sync resumes at its cursor and completes', async () => {
    const added = addDossiers(98211, 250);
    // Slow enough to stop the worker between two rounds.
    demo.faults.set({ slow: { target: 'graphql', delayMs: 1_500 } });
    const view = await session.openExtensionPage('popup.html');
    const report = view.locator('.popup__sync-report');
    await view.getByRole('button', { name: 'Synchroniser maintenant' }).click();
    await until(
      async () => (await storedDossiers(popup, demo)).size,
      (count) => count >= stored.size + 100,
    );
    const worker = await session.serviceWorker();
    // The sync is marked under way, with an alarm that would wake a stopped worker to resume it.
    expect(await worker.evaluate(() => chrome.storage.local.get('syncUnderWay'))).toEqual({
      syncUnderWay: { origins: null, resumes: 0 },
    });
    expect(await worker.evaluate(() => chrome.alarms.get('archiviste-sync-resume'))).toEqual(
      expect.objectContaining({ periodInMinutes: 1 }),
    );
    const cdp = await session.context.newCDPSession(view);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');

    // The popup's question lost its answer: it says the sync was interrupted, asks again (which
    // wakes the worker), and the resumed sync ends.
    await view.getByText('La synchronisation a été interrompue ; elle reprend là où elle s’était arrêtée…').waitFor();
    await view.getByText(/^Synchronisation terminée : \d+ dossiers lus\.$/).waitFor({ timeout: 30_000 });
    expect(await report.textContent()).toMatch(/^Synchronisation terminée/);
    expect(await view.locator('[data-problem]').count()).toBe(0);
    await view.close();
    const restarted = await session.serviceWorker();
    // The mark is gone once the resumed sync ended.
    expect(await restarted.evaluate(() => chrome.storage.local.get('syncUnderWay'))).toEqual({});
    expect(await restarted.evaluate(() => chrome.alarms.get('archiviste-sync-resume'))).toBeUndefined();
    const resumed = await storedDossiers(popup, demo);
    expect(added.filter((n) => resumed.has(n))).toHaveLength(250);
    await expectAliveAndKept(popup, demo, stored);

    // A clean sync afterwards finds exactly the same dossiers and dates.
    demo.faults.clear();
    await syncedClean();
    expect(stored).toEqual(resumed);
  });

  it('offline, then back: "unreachable" with its fix, kept, and the next sync succeeds', async () => {
    await session.context.setOffline(true);
    await expectSyncEndsIn(session, popup, demo, stored, UNREACHABLE);
    await session.context.setOffline(false);
    await syncedClean();
    await expectPopupClear(session);
  });

  it('logged out of DS mid token-less sync: "logged-out", the pages read kept, recovers after signing in', async () => {
    expect((await send(popup, 'forget-token', { origin: demo.url })).ok).toBe(true);
    // DS ends the session after the démarches page and one list page.
    demo.faults.set({ signedOut: { afterRequests: 2 } });
    demo.resetMetrics();
    await expectSyncEndsIn(session, popup, demo, stored, loggedOut(demo));

    await logInAgainAndSync(session, popup, demo);
    await expectAliveAndKept(popup, demo, stored);
    await expectPopupClear(session);
  });

  it('offline without a token too: "unreachable", kept, and back online the pages are read again', async () => {
    await session.context.setOffline(true);
    await expectSyncEndsIn(session, popup, demo, stored, { ...UNREACHABLE, mode: 'session' });
    await session.context.setOffline(false);
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);
    await expectPopupClear(session);
  });
});
