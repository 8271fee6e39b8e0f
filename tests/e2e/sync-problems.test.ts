import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { DAY_MS } from '../../demo/time';
import { alignExtensionClock, startDemoForTest } from './demo';
import { send, syncNow } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';
import { expectSyncEndsIn, loggedOut, logInAgainAndSync, storedDossiers, storedInstance } from './sync-checks';

/**
 * Issue 4: a 429 burst, an expired token and a lost session each end in a status the popup explains
 * with its fix, never in a crash: the service worker still answers and what was stored stays.
 */
describe('sync problems', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  /** What the first, successful sync stored: number → expiry date. */
  let stored: Map<number, string | null>;

  const dossiers = () => storedDossiers(popup, demo);
  const instance = () => storedInstance(popup, demo);
  const advanceDays = async (days: number) => {
    demo.clock.advance(days * DAY_MS);
    await alignExtensionClock(session.context, demo);
  };

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    // A token that DS lets expire in three days (a real one, as /profil issues them).
    const token = demo.admin.createToken({
      expiresAt: new Date(demo.clock.now().getTime() + 3 * DAY_MS).toISOString(),
    });
    ({ popup } = await signInAndSync(session, demo, { token: token.bearer, sync: false, closeDs: true }));
    const results = await syncNow(popup);
    expect(results).toEqual([expect.objectContaining({ origin: demo.url, mode: 'api', problem: null })]);
    stored = await dossiers();
    expect(stored.size).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('ends a 429 burst in "rate-limited", explained, then recovers', async () => {
    // A day later the sync polls and rescans every démarche; DS now allows 2 requests a minute.
    await advanceDays(1);
    demo.faults.set({ rateLimit: 2 });
    demo.resetRateLimit();
    // DS's window is the real clock's minute: start early in it, so its Retry-After exceeds what a
    // service worker may sleep (20 s) and the client gives up at once instead of waiting.
    const second = Math.floor(Date.now() / 1000) % 60;
    if (second > 37) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    demo.resetMetrics();

    await expectSyncEndsIn(session, popup, demo, stored, {
      code: 'rate-limited',
      // Two answered, one throttled, no hammering.
      graphqlRequests: 3,
      message: 'DS limite le nombre d’appels pour le moment.',
      fix: 'Archiviste réessaiera tout seul ; vous pouvez aussi réessayer dans quelques minutes.',
      button: 'Réessayer',
    });

    demo.faults.clear();
    demo.resetRateLimit();
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'api', problem: null })]);
    expect((await instance())!.problem).toBeNull();
  });

  it('ends an expired token in "token-expired", explained with its fix', async () => {
    await advanceDays(3);
    await expectSyncEndsIn(session, popup, demo, stored, {
      code: 'token-expired',
      message: 'Votre jeton d’API a expiré.',
      fix: 'Créez-en un nouveau dans votre profil DS (/profil), puis collez-le dans les options.',
      button: 'Ouvrir les options',
    });
  });

  it('ends a lost DS session (no token) in "logged-out", explained, then recovers after signing in', async () => {
    expect((await send(popup, 'forget-token', { origin: demo.url })).ok).toBe(true);
    await session.context.clearCookies();
    await expectSyncEndsIn(session, popup, demo, stored, loggedOut(demo));

    await logInAgainAndSync(session, popup, demo);
    expect((await instance())!.problem).toBeNull();
  });
});
