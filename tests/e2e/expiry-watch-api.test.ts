import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { parisInstantOnDay } from '../../demo/time';
import { dossierListUrl } from '../../lib/ds/routes';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import {
  badgeText,
  type Call,
  callKey,
  calls,
  chooseDeletionDay,
  daysSinceHidden,
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
  type StoredInstance,
  type StoredNotice,
  send,
  setDemoDay,
  syncNow,
} from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 4 with a token: three dossiers of one démarche at D-29 give exactly one digest naming them,
 * a second sync repeats nothing, D-7 escalates once, and the toolbar badge counts what DS deletes
 * within 30 days (plus the corbeille), all checked against the demo instance's own data. Another
 * démarche's dossier is dated during office hours, as DS's are: DS's two-week notice then moves its
 * date to the next day (notice + 14 days), which is no reason to notify it again.
 */
describe('expiry watch with an API token', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  /** The démarche under watch (one showing "Date d’expiration", processed dossiers expiring). */
  let demarche: number;
  /** Another démarche whose processed dossiers expire. */
  let another: number;
  /** The Paris day (day number) the added dossiers are deleted on. */
  let deletionDay: number;
  let added: number[];
  let officeHours: number;
  /** Dossiers DS listed at the first sync: the API tells Archiviste when those leave the lists. */
  let listedAtFirstSync: Set<number>;

  const notices = () => readTable<StoredNotice>(popup, 'notices');
  const noticesOf = async (id: string) =>
    (await notices())
      .filter((n) => n.notificationId === id)
      .map((n) => ({ dossier: n.dossier, threshold: n.threshold, day: parisDay(n.expiresAt) }))
      .sort((a, b) => a.dossier - b.dossier);
  const moveTo = async (day: number) => {
    setDemoDay(demo, day);
    await alignExtensionClock(session.context, demo);
  };
  /** The sync ran with the instance's date: the extension's clock follows the demo's. */
  const expectSyncedAtDemoTime = async () => {
    const [instance] = (await readTable<StoredInstance>(popup, 'instances')).filter((i) => i.origin === demo.url);
    expect(Math.abs(Date.parse(instance!.lastSyncAt!) - demo.clock.now().getTime())).toBeLessThan(60_000);
  };

  beforeAll(async () => {
    // DS's rules of before June 2026, where en construction dossiers expire too (a fork that has not upgraded).
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest({ rules: '2025' })]);
    await alignExtensionClock(session.context, demo);
    popup = await session.openExtensionPage('popup.html');
    // The token as the options page stores it, then the démarches as DS's /procedures page shows them.
    const saved = await send(popup, 'save-token', { origin: demo.url, token: demo.token });
    expect(saved.ok).toBe(true);
    const ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(popup, demo);
    await ds.close();

    demarche = demo.demarches.find((d) => d.expiresWhenTermine && d.showsExpirationColumn)!.number;
    another = demo.demarches.find((d) => d.expiresWhenTermine && d.number !== demarche)!.number;
    deletionDay = chooseDeletionDay(demo, [demarche, another]);
    // One dossier per kind DS expires: en construction, accepté, refusé; all deleted the same day.
    added = (['en_construction', 'accepte', 'refuse'] as const).map(
      (state) => demo.admin.addDossier({ demarche, state, expiresAt: earlyOn(deletionDay).toISOString() }).number,
    );
    officeHours = demo.admin.addDossier({
      demarche: another,
      state: 'accepte',
      expiresAt: parisInstantOnDay(deletionDay, 10).toISOString(),
    }).number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('at D-29, raises exactly one digest for the démarche, naming its 3 dossiers, and badges what DS deletes within 30 days', async () => {
    await moveTo(deletionDay - 29);
    // The demo's truth: in that démarche, only the three added dossiers are deleted within 30 days.
    const due = dueSoon(demo);
    expect(
      due
        .filter((d) => d.demarche === demarche)
        .map((d) => [d.number, d.daysLeft])
        .sort(),
    ).toEqual(added.map((n) => [n, 29]).sort());
    expect(due.filter((d) => d.demarche === another).map((d) => [d.number, d.daysLeft])).toEqual([[officeHours, 29]]);

    const results = await syncNow(popup);
    expect(results).toEqual([expect.objectContaining({ origin: demo.url, mode: 'api', problem: null })]);
    await expectSyncedAtDemoTime();
    listedAtFirstSync = new Set(
      demo.admin
        .dossiers()
        .filter((d) => d.visible)
        .map((d) => d.number),
    );

    const ids = await notificationIds(session);
    const mine = ids.filter((id) => nameOf(id).demarche === demarche);
    expect(mine.map((id) => nameOf(id))).toEqual([{ kind: 'j30', origin: demo.url, demarche }]);
    expect(await noticesOf(mine[0]!)).toEqual(added.map((dossier) => ({ dossier, threshold: 30, day: deletionDay })));

    // Every démarche: one digest per démarche and kind, naming exactly the dossiers DS deletes soon.
    const expected = calls(demo, due);
    expect(digestKeys(ids)).toEqual(digestsOf(expected));
    expect((await notices()).map(noticeKey).sort()).toEqual(expected.map(callKey).sort());

    // DS's API does not list dossiers hidden at expiry, and Archiviste follows corbeille moves only of
    // dossiers it already knows (pendingDeletedDossiers of others are ignored): at the first sync the
    // badge counts what DS deletes within 30 days.
    expect(await badgeText(session)).toBe(String(due.length));
  });

  it('repeats nothing on the next sync', async () => {
    const ids = await notificationIds(session);
    const before = (await notices()).map((n) => n.key).sort();
    const results = await syncNow(popup);
    expect(results).toEqual([expect.objectContaining({ mode: 'api', problem: null })]);
    expect(await notificationIds(session)).toEqual(ids);
    expect((await notices()).map((n) => n.key).sort()).toEqual(before);
    expect(await badgeText(session)).toBe(String(dueSoon(demo).length));
  });

  it('at D-7, escalates once with the same 3 dossiers, repeats no one, and badges the corbeille it saw filling', async () => {
    const before = new Set(await notificationIds(session));
    const noticed = new Set((await notices()).map(noticeKey));
    await moveTo(deletionDay - 7);
    expect(
      dueSoon(demo, [demarche])
        .map((d) => [d.number, d.daysLeft])
        .sort(),
    ).toEqual(added.map((n) => [n, 7]).sort());
    // DS's notice (D-14, 01:00) set the other dossier's date to notice + 14 days: the next day.
    expect(demo.admin.dossier(officeHours)).toMatchObject({ daysLeft: 8 });
    expect(parisDay(demo.admin.dossier(officeHours)!.dateExpiration!)).toBe(deletionDay + 1);

    const results = await syncNow(popup);
    expect(results).toEqual([expect.objectContaining({ mode: 'api', problem: null })]);
    await expectSyncedAtDemoTime();
    const fresh = (await notificationIds(session)).filter((id) => !before.has(id));
    const mine = fresh.filter((id) => nameOf(id).demarche === demarche);
    expect(mine.map((id) => nameOf(id).kind)).toEqual(['j7']);
    expect(await noticesOf(mine[0]!)).toEqual(added.map((dossier) => ({ dossier, threshold: 7, day: deletionDay })));

    // DS deletes these within 30 days, and these went to its corbeille since the first sync (the full
    // scan no longer lists them), none of them on the eve of its purge (that day is DS's to decide).
    const corbeille = demo.admin.dossiers().filter((d) => d.inCorbeille && listedAtFirstSync.has(d.number));
    for (const d of corbeille)
      expect(daysSinceHidden(demo, d), `dossier ${d.number}`).not.toBeOneOf([12, 13, 14, 15, 16]);
    const due = dueSoon(demo);
    expect(await badgeText(session)).toBe(String(due.length + corbeille.length));

    // Every démarche: new notifications only for dossiers at a new threshold (or newly in the corbeille).
    const now = calls(demo, due, corbeille);
    const news: Call[] = now.filter((c) => !noticed.has(callKey(c)));
    expect(digestKeys(fresh)).toEqual(digestsOf(news));
    expect([...new Set((await notices()).map(noticeKey))].sort()).toEqual(
      [...new Set([...noticed, ...now.map(callKey)])].sort(),
    );
  });

  it('names the démarche in the notification id, whose list is the page a click opens', async () => {
    const [id] = (await notificationIds(session)).filter(
      (n) => nameOf(n).demarche === demarche && nameOf(n).kind === 'j7',
    );
    const { origin } = nameOf(id!);
    expect(origin).toBe(demo.url);
    // Headless Chromium cannot click a notification; the background opens this URL on a click.
    const list = await session.newPage();
    await list.goto(dossierListUrl(origin, demarche, 'tous'));
    expect(await list.locator('.procedure-header h1').textContent()).toContain(`n°${demarche}`);
    const rows = await list
      .locator('#table-dossiers tbody tr[data-row-key]')
      .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-row-key'))));
    expect(rows).toEqual(expect.arrayContaining(added));
    await list.close();
  });
});
