import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { DAY_MS } from '../../demo/time';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { demarchesKnown, readTable, type StoredDossier, send, syncNow } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { expectAliveAndKept, expectPopupClear, expectPopupShows, storedInstance } from './sync-checks';

/**
 * Issue 12 §2, the background's side: DS serves list pages whose markup Archiviste does not know.
 * The token-less sync (pages fetched by the service worker, read offscreen) stops with « Page DS
 * non reconnue » and its fix, every stored dossier exactly as it was; DS's markup back, the next
 * sync succeeds and the problem is gone. With a token, the API sync never minds the pages.
 */
describe('the token-less sync when DS changed its markup', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;

  /** Every stored dossier of the demo, whole (state, dates, corbeille), by number. */
  const dossiers = async () =>
    new Map(
      (await readTable<StoredDossier>(popup, 'dossiers'))
        .filter((d) => d.origin === demo.url)
        .map((d) => [d.number, d] as const),
    );
  const nextDay = async () => {
    demo.clock.advance(DAY_MS);
    await alignExtensionClock(session.context, demo);
  };

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    await alignExtensionClock(session.context, demo);
    const ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await ds.close();
    popup = await session.openExtensionPage('popup.html');
    await demarchesKnown(popup, demo);
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);
    expect((await dossiers()).size).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it.each([
    ['unknown-columns', 'columns not found: N° dossier, État du dossier'],
    ['no-table', 'dossier table not found'],
  ] as const)(
    '%s: the sync stops with « Page DS non reconnue », nothing stored changed; back, it succeeds',
    async (variant, reason) => {
      const before = await dossiers();
      const expiries = new Map([...before].map(([number, d]) => [number, d.expiresAt]));
      await nextDay();
      demo.markup.set(variant);

      const [result] = await syncNow(popup);
      expect(result).toMatchObject({ mode: 'session', problem: { code: 'page-unrecognized', detail: reason } });
      expect(await dossiers()).toEqual(before);
      await expectAliveAndKept(popup, demo, expiries);
      await expectPopupShows(
        session,
        'page-unrecognized',
        'Page DS non reconnue.',
        'DS a peut-être changé ses pages : Archiviste n’en lit plus les dossiers sans jeton. Mettez à jour l’extension ; avec un jeton d’API, la surveillance continue.',
        'Ouvrir les options',
      );

      demo.markup.set(null);
      expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);
      expect((await storedInstance(popup, demo))?.problem).toBeNull();
      await expectAliveAndKept(popup, demo, expiries);
      await expectPopupClear(session);
    },
  );

  it('with a token on the same DS, the API sync goes on whatever the pages look like', async () => {
    // Every dossier kept; their dates are the API's now (DS's word over what its pages showed).
    const before = new Map([...(await dossiers()).keys()].map((number) => [number, null]));
    await nextDay();
    demo.markup.set('unknown-columns');
    expect((await send(popup, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    try {
      expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'api', problem: null })]);
      expect((await storedInstance(popup, demo))?.problem).toBeNull();
      await expectAliveAndKept(popup, demo, before);
      await expectPopupClear(session);
    } finally {
      demo.markup.set(null);
    }
  });
});
