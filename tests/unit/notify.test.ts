import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type DemarcheRow, type DossierRow, db, type InstanceRow } from '@/lib/core/db';
import {
  CORBEILLE,
  digestText,
  effectiveThresholds,
  notifyInstance,
  parseNotificationId,
  planDigests,
} from '@/lib/core/notify';
import { locale } from '@/lib/platform/i18n';
import { DEFAULT_SETTINGS } from '@/lib/platform/settings';
import { addDays } from '@/lib/platform/time';

const O = 'https://demarche.numerique.gouv.fr';
const NOW = new Date('2026-11-23T10:00:00+01:00');
const INSTANCE: InstanceRow = { origin: O, name: 'Démarche numérique', addedAt: '', mode: 'session' };
const demarche = (number: number, watched = true): DemarcheRow => ({
  origin: O,
  number,
  title: `Subvention ${number}`,
  watched,
  discoveredAt: NOW.toISOString(),
});
const dossier = (
  number: number,
  demarcheNumber: number,
  daysLeft: number,
  extra: Partial<DossierRow> = {},
): DossierRow => ({
  origin: O,
  number,
  demarche: demarcheNumber,
  state: 'accepte',
  expiresAt: addDays(NOW, daysLeft).toISOString(),
  expirySource: 'api',
  lastSeenAt: NOW.toISOString(),
  ...extra,
});
const plan = (dossiers: DossierRow[], sentKeys: string[] = [], demarches = [demarche(1), demarche(2)]) =>
  planDigests({
    instance: INSTANCE,
    demarches,
    dossiers,
    sentKeys: new Set(sentKeys),
    settings: DEFAULT_SETTINGS,
    now: NOW,
  });

describe('planDigests', () => {
  it('groups the dossiers of a démarche crossing D-30 into one digest', () => {
    const digests = plan([
      dossier(10, 1, 29),
      dossier(11, 1, 29),
      dossier(12, 1, 30, { archivedAt: NOW.toISOString() }),
      dossier(13, 1, 31),
    ]);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ demarche: 1, threshold: 30, count: 3, notArchived: 2 });
    expect(digests[0]?.earliest.toISOString()).toBe(addDays(NOW, 29).toISOString());
  });

  it('never repeats a dossier for the same threshold and date', () => {
    const first = plan([dossier(10, 1, 29)]);
    const keys = first.flatMap((d) => d.notices.map((n) => n.key));
    expect(plan([dossier(10, 1, 29)], keys)).toEqual([]);
    const nextDay = addDays(NOW, 1);
    const sameDate = [dossier(10, 1, 29)];
    expect(
      planDigests({
        instance: INSTANCE,
        demarches: [demarche(1)],
        dossiers: sameDate,
        sentKeys: new Set(keys),
        settings: DEFAULT_SETTINGS,
        now: nextDay,
      }),
    ).toEqual([]);
  });

  it('escalates at D-7 and D-1, naming the most urgent threshold', () => {
    const sent = plan([dossier(10, 1, 29), dossier(11, 1, 29)]).flatMap((d) => d.notices.map((n) => n.key));
    const digests = plan([dossier(10, 1, 7), dossier(11, 1, 1)], sent);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ threshold: 1, count: 2 });
    expect(digests[0]?.notices.map((n) => n.threshold)).toEqual([7, 1]);
  });

  it('starts over when DS moves the date (an extension)', () => {
    const sent = plan([dossier(10, 1, 29)]).flatMap((d) => d.notices.map((n) => n.key));
    const extended = dossier(10, 1, 29 + 31);
    expect(plan([extended], sent)).toEqual([]);
    const monthLater = addDays(NOW, 31);
    const again = planDigests({
      instance: INSTANCE,
      demarches: [demarche(1)],
      dossiers: [extended],
      sentKeys: new Set(sent),
      settings: DEFAULT_SETTINGS,
      now: monthLater,
    });
    expect(again.map((d) => [d.demarche, d.threshold, d.count])).toEqual([[1, 30, 1]]);
  });

  it('does not repeat a dossier whose date DS’s two-week notice moved to the next day', () => {
    const sent = plan([dossier(10, 1, 29), dossier(11, 1, 5)]).flatMap((d) => d.notices.map((n) => n.key));
    // expired_at = notice + 14 days: a few hours later, on the next day.
    expect(plan([dossier(10, 1, 30), dossier(11, 1, 6)], sent)).toEqual([]);
    // Two days later is another date.
    expect(plan([dossier(11, 1, 7)], sent).map((d) => [d.threshold, d.count])).toEqual([[7, 1]]);
  });

  it('sends one digest per démarche, only for watched ones', () => {
    const digests = plan(
      [dossier(10, 1, 20), dossier(20, 2, 5), dossier(30, 3, 5)],
      [],
      [demarche(1), demarche(2), demarche(3, false)],
    );
    expect(digests.map((d) => [d.demarche, d.threshold, d.count])).toEqual([
      [2, 7, 1],
      [1, 30, 1],
    ]);
  });

  it('leaves alone dossiers that never expire or are far away', () => {
    expect(plan([dossier(10, 1, 45), dossier(11, 1, 10, { state: 'en_instruction' })])).toEqual([]);
  });

  it('never announces an en construction dossier on DS, however old; on an older instance, as before', () => {
    const enConstruction = dossier(40, 1, 20, { state: 'en_construction', expirySource: 'column' });
    expect(plan([enConstruction])).toEqual([]);
    const older: InstanceRow = {
      ...INSTANCE,
      origin: 'https://www.mes-demarches.gov.pf',
      rules: { set: '2025', evidence: 'page-expires', at: NOW.toISOString() },
    };
    const digests = planDigests({
      instance: older,
      demarches: [{ ...demarche(1), origin: older.origin }],
      dossiers: [{ ...enConstruction, origin: older.origin }],
      sentKeys: new Set(),
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    expect(digests.map((d) => [d.demarche, d.threshold, d.count])).toEqual([[1, 30, 1]]);
  });

  it('counts dossiers of a démarche not known yet, as the toolbar badge does', () => {
    const digests = plan([dossier(50, 9, 3)]);
    expect(digests).toMatchObject([{ demarche: 9, title: 'Démarche n° 9', threshold: 7, count: 1 }]);
  });

  it('counts a dossier changed since its last save as not saved', () => {
    const stale = dossier(60, 1, 20, {
      archivedAt: addDays(NOW, -5).toISOString(),
      dateDerniereModification: NOW.toISOString(),
    });
    expect(plan([stale])[0]).toMatchObject({ count: 1, notArchived: 1 });
  });

  it('announces the corbeille separately, with the restore deadline', () => {
    const digests = plan([dossier(10, 1, -2), dossier(11, 1, 3)]);
    expect(digests.map((d) => d.threshold).sort()).toEqual([CORBEILLE, 7].sort());
    const corbeille = digests.find((d) => d.threshold === CORBEILLE);
    expect(corbeille?.earliest.toISOString()).toBe(addDays(NOW, 12).toISOString());
  });
});

describe('texts and ids', () => {
  it('says how many, the earliest date and how many are not archived, in French', () => {
    const [digest] = plan([
      dossier(10, 1, 29),
      dossier(11, 1, 29),
      dossier(12, 1, 30, { archivedAt: NOW.toISOString() }),
    ]);
    expect(digestText(digest!)).toEqual({
      title: 'Subvention 1',
      message:
        '3 dossiers seront supprimés par DS d’ici 30 jours, le premier le 22/12/2026. 2 ne sont pas encore sauvegardés.',
    });
  });

  it('speaks the language chosen in the options', () => {
    const [digest] = plan([dossier(10, 1, 6)]);
    locale.value = 'en';
    try {
      expect(digestText(digest!).message).toBe(
        '1 dossier will be deleted by DS within 7 days, on 29/11/2026. 1 is not saved yet.',
      );
    } finally {
      locale.value = 'fr';
    }
  });

  it('thresholds never exceed the lead time, which is always one', () => {
    expect(effectiveThresholds({ leadTimeDays: 30, thresholds: [30, 7, 1] })).toEqual([1, 7, 30]);
    expect(effectiveThresholds({ leadTimeDays: 14, thresholds: [30, 7, 0] })).toEqual([7, 14]);
  });

  it('round-trips the démarche a notification opens', () => {
    expect(parseNotificationId(`archiviste|corbeille|${O}|104532|1`)).toEqual({
      origin: O,
      demarche: 104532,
      corbeille: true,
    });
    expect(parseNotificationId('other|x')).toBeNull();
  });
});

describe('notifyInstance', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  it('shows one notification per digest and does not repeat it', async () => {
    await db.instances.put(INSTANCE);
    await db.demarches.bulkPut([demarche(1)]);
    await db.dossiers.bulkPut([dossier(10, 1, 29), dossier(11, 1, 29), dossier(12, 1, 28)]);
    expect(await notifyInstance(O, DEFAULT_SETTINGS, NOW)).toBe(1);
    const shown = await fakeBrowser.notifications.getAll();
    expect(Object.keys(shown)).toHaveLength(1);
    expect(await db.notices.count()).toBe(3);
    expect(await notifyInstance(O, DEFAULT_SETTINGS, NOW)).toBe(0);
  });
});
