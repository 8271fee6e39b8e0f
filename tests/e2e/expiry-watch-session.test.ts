import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { parisInstantOnDay } from '../../demo/time';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import {
  badgeText,
  callKey,
  calls,
  chooseDeletionDay,
  daysSinceHidden,
  deletable,
  demarchesKnown,
  digestKeys,
  digestsOf,
  dueSoon,
  earlyOn,
  nameOf,
  noticeKey,
  notificationIds,
  parisDay,
  readTable,
  type StoredDossier,
  type StoredNotice,
  setDemoDay,
  syncNow,
} from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 4 without a token: the background reads the DS pages the user is logged into (Chrome's
 * service worker fetches them with the session cookie and reads them in its offscreen document) and
 * finds the same dates as the API, from the "Date d’expiration" column, the dossier pages and DS's
 * "Expire dans N J." badges; the digests follow the same way.
 */
describe('expiry watch without a token, from the DS pages', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  /** A démarche whose list shows "Date d’expiration", and one whose list does not. */
  let withColumn: number;
  let withoutColumn: number;
  let deletionDay: number;
  const added = new Map<number, number[]>();
  /**
   * One more en construction dossier in the démarche without the column, due at 16:00 like DS's
   * dates during the day: DS's notice (15:00 job) then moves it to the next day.
   */
  let afternoon: number;
  /** Requests the service worker sent to the instance. */
  const workerRequests: Request[] = [];

  const notices = () => readTable<StoredNotice>(popup, 'notices');
  const stored = async () =>
    new Map(
      (await readTable<StoredDossier>(popup, 'dossiers'))
        .filter((d) => d.origin === demo.url)
        .map((d) => [d.number, d]),
    );
  const noticesOf = async (id: string) =>
    (await notices())
      .filter((n) => n.notificationId === id)
      .map((n) => ({ dossier: n.dossier, threshold: n.threshold, day: parisDay(n.expiresAt) }))
      .sort((a, b) => a.dossier - b.dossier);
  /**
   * The instance's corbeille with a purge due, which the token-less sync reads in the "corbeille" tab:
   * dossiers DS hid when they expired, and those their usager deleted. What an instructeur trashed
   * alone stays until the usager deletes it too: no deletion to warn about.
   */
  const corbeille = () =>
    demo.admin.dossiers().filter((d) => d.inCorbeille && (d.hiddenByExpiredAt !== null || d.hiddenByUserAt !== null));

  beforeAll(async () => {
    // DS's rules of before June 2026, where en construction dossiers expire too (a fork that has not upgraded).
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest({ rules: '2025' })]);
    session.context.on('request', (request) => {
      if (request.serviceWorker() && request.url().startsWith(demo.url)) workerRequests.push(request);
    });
    withColumn = demo.demarches.find((d) => d.expiresWhenTermine && d.showsExpirationColumn)!.number;
    withoutColumn = demo.demarches.find((d) => d.expiresWhenTermine && !d.showsExpirationColumn)!.number;
    deletionDay = chooseDeletionDay(demo, [withColumn, withoutColumn]);
    for (const demarche of [withColumn, withoutColumn]) {
      added.set(
        demarche,
        (['en_construction', 'accepte', 'refuse'] as const).map(
          (state) => demo.admin.addDossier({ demarche, state, expiresAt: earlyOn(deletionDay).toISOString() }).number,
        ),
      );
    }
    afternoon = demo.admin.addDossier({
      demarche: withoutColumn,
      state: 'en_construction',
      expiresAt: parisInstantOnDay(deletionDay, 16).toISOString(),
    }).number;
    // D-29 of that day, then the user signs in: the first DS page seen starts the watch.
    setDemoDay(demo, deletionDay - 29);
    await alignExtensionClock(session.context, demo);
    const ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await ds.close();
    popup = await session.openExtensionPage('popup.html');
    await demarchesKnown(popup, demo);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('syncs with the session cookie from the service worker, reading pages offscreen', async () => {
    const results = await syncNow(popup);
    expect(results).toEqual([expect.objectContaining({ origin: demo.url, mode: 'session', problem: null })]);
    expect(results[0]!.requests).toBeGreaterThan(0);

    // Chromium sent the DS session cookie (HttpOnly, SameSite=Lax) on the worker's fetches: DS
    // answered them with its pages, never with its sign-in page.
    expect(workerRequests.length).toBeGreaterThan(0);
    for (const request of workerRequests) {
      expect(request.method()).toBe('GET');
      expect((await request.allHeaders()).cookie ?? '').toMatch(/(^|; )_DS_session=[0-9a-f]+/);
      const response = await request.response();
      expect(response?.status(), request.url()).toBe(200);
      expect(new URL(response!.url()).pathname).not.toMatch(/^\/users\/sign_in/);
    }
    const paths = workerRequests.map((r) => new URL(r.url()).pathname);
    expect(paths).toContain('/procedures');
    expect(paths).toContain(`/procedures/${withoutColumn}/supprimes`);
    for (const number of added.get(withoutColumn)!) {
      expect(paths).toContain(`/procedures/${withoutColumn}/tous/dossiers/${number}`);
    }
    // Chrome's worker has no DOMParser: the pages were read in the offscreen document.
    const worker = await session.serviceWorker();
    expect(await worker.evaluate(() => typeof DOMParser)).toBe('undefined');
    const offscreen = await worker.evaluate(async () =>
      (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).map(
        (c) => new URL(c.documentUrl ?? '').pathname,
      ),
    );
    expect(offscreen).toEqual(['/offscreen.html']);
  });

  it('finds the dates DS shows: the column where the list has it, else the dossier page or the badge', async () => {
    const rows = await stored();
    const expected = demo.admin.dossiers().filter((d) => deletable(demo, d));
    expect(expected.length).toBeGreaterThan(0);
    for (const d of expected) {
      const row = rows.get(d.number);
      const what = `dossier ${d.number} (${d.state}, démarche ${d.demarche})`;
      expect(row, what).toBeDefined();
      expect(parisDay(row!.expiresAt!), what).toBe(parisDay(d.dateExpiration!));
      const info = demo.demarches.find((x) => x.number === d.demarche)!;
      if (info.showsExpirationColumn) {
        expect(row!.expirySource, what).toBe('column');
        // The column shows minutes.
        expect(Date.parse(row!.expiresAt!), what).toBe(Math.floor(Date.parse(d.dateExpiration!) / 60_000) * 60_000);
      } else {
        // Within DS's two-week notice the list says "Expire dans N J."; otherwise the dossier page tells.
        expect(row!.expirySource, what).toBe(d.noticeSentAt ? 'badge' : 'page');
      }
    }
    for (const number of [...added.get(withColumn)!, ...added.get(withoutColumn)!]) {
      expect(parisDay(rows.get(number)!.expiresAt!)).toBe(deletionDay);
    }
    expect(
      [...added.get(withoutColumn)!].map((n) => rows.get(n)!.expirySource),
      'no column, no badge at D-29: the dossier pages',
    ).toEqual(['page', 'page', 'page']);
  });

  it('at D-29, raises one digest per démarche naming exactly its dossiers due within 30 days, and badges them and the corbeille', async () => {
    const due = dueSoon(demo);
    const ids = await notificationIds(session);
    for (const demarche of [withColumn, withoutColumn]) {
      const named = [...added.get(demarche)!, ...(demarche === withoutColumn ? [afternoon] : [])].sort();
      expect(
        due
          .filter((d) => d.demarche === demarche)
          .map((d) => d.number)
          .sort(),
      ).toEqual(named);
      const mine = ids.filter((id) => nameOf(id).demarche === demarche && nameOf(id).kind !== 'corbeille');
      expect(mine.map((id) => nameOf(id).kind)).toEqual(['j30']);
      expect(await noticesOf(mine[0]!)).toEqual(named.map((dossier) => ({ dossier, threshold: 30, day: deletionDay })));
    }
    // Every démarche: the soon deleted by threshold, and the corbeille (its tab lists it all).
    const bin = corbeille();
    for (const d of bin) expect(daysSinceHidden(demo, d), `dossier ${d.number}`).not.toBeOneOf([12, 13, 14, 15, 16]);
    const expected = calls(demo, due, bin);
    expect(digestKeys(ids)).toEqual(digestsOf(expected));
    expect((await notices()).map(noticeKey).sort()).toEqual(expected.map(callKey).sort());
    expect(await badgeText(session)).toBe(String(due.length + bin.length));
  });

  it('repeats nothing on the next sync', async () => {
    const ids = await notificationIds(session);
    const keys = (await notices()).map((n) => n.key).sort();
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);
    expect(await notificationIds(session)).toEqual(ids);
    expect((await notices()).map((n) => n.key).sort()).toEqual(keys);
  });

  it('at D-7, escalates once per démarche with the same dossiers, their dates still known, repeating no one', async () => {
    const before = new Set(await notificationIds(session));
    const noticed = new Set((await notices()).map(noticeKey));
    setDemoDay(demo, deletionDay - 7);
    await alignExtensionClock(session.context, demo);
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);

    const fresh = (await notificationIds(session)).filter((id) => !before.has(id));
    const rows = await stored();
    for (const demarche of [withColumn, withoutColumn]) {
      expect(
        dueSoon(demo, [demarche])
          .filter((d) => d.number !== afternoon)
          .map((d) => [d.number, d.daysLeft])
          .sort(),
      ).toEqual(
        added
          .get(demarche)!
          .map((n) => [n, 7])
          .sort(),
      );
      const mine = fresh.filter((id) => nameOf(id).demarche === demarche && nameOf(id).kind !== 'corbeille');
      expect(mine.map((id) => nameOf(id).kind)).toEqual(['j7']);
      expect(await noticesOf(mine[0]!)).toEqual(
        added.get(demarche)!.map((dossier) => ({ dossier, threshold: 7, day: deletionDay })),
      );
      for (const number of added.get(demarche)!) expect(parisDay(rows.get(number)!.expiresAt!)).toBe(deletionDay);
    }
    // DS's notice moved the afternoon dossier to the next day; the list's "Expire dans 8 J." says so,
    // and it is not announced again at D-30.
    expect(demo.admin.dossier(afternoon)).toMatchObject({ daysLeft: 8 });
    expect(rows.get(afternoon)).toMatchObject({ expirySource: 'badge' });
    expect(parisDay(rows.get(afternoon)!.expiresAt!)).toBe(deletionDay + 1);

    const due = dueSoon(demo);
    const bin = corbeille();
    for (const d of bin) expect(daysSinceHidden(demo, d), `dossier ${d.number}`).not.toBeOneOf([12, 13, 14, 15, 16]);
    expect(await badgeText(session)).toBe(String(due.length + bin.length));
    const now = calls(demo, due, bin);
    expect(digestKeys(fresh)).toEqual(digestsOf(now.filter((c) => !noticed.has(callKey(c)))));
    expect([...new Set((await notices()).map(noticeKey))].sort()).toEqual(
      [...new Set([...noticed, ...now.map(callKey)])].sort(),
    );
  });
});
