import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type DemarcheRow, type DossierRow, db, type InstanceRow } from '@/lib/core/db';
import { notifyInstance, planDigests } from '@/lib/core/notify';
import { archiveStatus, changeShownByMessage, countAtRisk, fateOf } from '@/lib/core/threat';
import { refreshBadge } from '@/lib/core/toolbar-badge';
import { DEFAULT_SETTINGS } from '@/lib/platform/settings';
import { addDays } from '@/lib/platform/time';
import { popupView } from '@/lib/view/popup';

const O = 'https://demarche.numerique.gouv.fr';
const NOW = new Date('2026-11-23T10:00:00+01:00');
const instances: InstanceRow[] = [{ origin: O, name: 'Démarche numérique', addedAt: '', mode: 'session' }];
const demarches: DemarcheRow[] = [
  { origin: O, number: 1, title: 'A', watched: true, discoveredAt: '' },
  { origin: O, number: 2, title: 'B', watched: false, discoveredAt: '' },
];
const dossier = (number: number, days: number, extra: Partial<DossierRow> = {}): DossierRow => ({
  origin: O,
  number,
  demarche: 1,
  state: 'accepte',
  expiresAt: addDays(NOW, days).toISOString(),
  expirySource: 'api',
  lastSeenAt: '',
  ...extra,
});

describe('one truth for every count', () => {
  it('counts unsaved dossiers of watched démarches deleted within the lead time or in the corbeille', () => {
    const dossiers = [
      dossier(1, 3),
      dossier(2, 30),
      dossier(3, 31),
      dossier(4, 5, { archivedAt: NOW.toISOString() }),
      dossier(5, 5, { demarche: 2 }),
      dossier(6, -3),
      dossier(7, 5, { state: 'en_instruction' }),
      // Trashed by an instructeur: in the corbeille, but no purge is due.
      dossier(8, 40, { corbeilleSince: NOW.toISOString(), purgeAt: null }),
    ];
    expect(countAtRisk({ instances, demarches, dossiers }, 30, NOW)).toBe(3);
    expect(countAtRisk({ instances, demarches, dossiers }, 7, NOW)).toBe(2);
  });

  it('counts a démarche not known yet as watched, and a dossier changed since its save as not saved', () => {
    const stale = { archivedAt: addDays(NOW, -3).toISOString(), dateDerniereModification: NOW.toISOString() };
    const dossiers = [dossier(1, 3, { demarche: 99 }), dossier(2, 3, stale)];
    expect(countAtRisk({ instances, demarches, dossiers }, 30, NOW)).toBe(2);
    expect(archiveStatus(stale)).toBe('stale');
  });

  it('badge, popup and digests agree, dossier by dossier', () => {
    const dossiers = [
      dossier(1, 3),
      dossier(2, 12, { archivedAt: NOW.toISOString() }),
      dossier(3, 29, { demarche: 77 }),
      dossier(4, 45),
      dossier(5, 20, { state: 'en_construction', expirySource: 'column' }),
      dossier(6, -2),
      dossier(7, 5, { demarche: 2 }),
    ];
    const rows = { instances, demarches, dossiers };
    const badge = countAtRisk(rows, 30, NOW);
    const popup = popupView(rows, NOW, { unsavedOnly: false, leadTimeDays: 30 }).summary;
    const digests = planDigests({
      instance: instances[0]!,
      demarches,
      dossiers,
      sentKeys: new Set(),
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    const notified = digests.reduce((sum, d) => sum + d.count, 0);
    const notArchived = digests.reduce((sum, d) => sum + d.notArchived, 0);
    expect([badge, popup.atRisk, notArchived]).toEqual([3, 3, 3]);
    expect([popup.threatened, notified]).toEqual([4, 4]);
    expect(popup.neverExpire).toBe(1);
  });

  it('decides each fate once: threatened within the lead time, at risk when not saved', () => {
    const fate = fateOf(dossier(1, 10), demarches[0], { set: '2026', basis: 'known-host' }, 30, NOW);
    expect(fate).toMatchObject({ daysLeft: 10, threatened: true, atRisk: true, archive: 'never' });
    expect(fateOf(dossier(1, 10), demarches[0], { set: '2026', basis: 'known-host' }, 7, NOW).threatened).toBe(false);
  });

  describe('refreshBadge', () => {
    beforeEach(async () => {
      await db.delete();
      await db.open();
    });

    it('shows the count, and nothing when there is none', async () => {
      await db.instances.bulkPut(instances);
      await db.demarches.bulkPut(demarches);
      await db.dossiers.bulkPut([dossier(1, 3), dossier(2, 10)]);
      expect(await refreshBadge(30, NOW)).toBe(2);
      expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
      await db.dossiers.clear();
      await refreshBadge(30, NOW);
      expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    });

    it('after the upgrade to DS’s June 2026 rules, drops en construction dossiers at once and warns no one again', async () => {
      // What the previous version stored: en construction dossiers dated by DS's older rule, and warned.
      const old = [
        dossier(10, 5, { state: 'en_construction', expirySource: 'page' }),
        dossier(11, 20, { state: 'en_construction', expirySource: 'column' }),
        dossier(12, -3, { state: 'en_construction', expirySource: 'api' }),
        dossier(13, 6),
      ];
      await db.instances.bulkPut(instances);
      await db.demarches.bulkPut(demarches);
      await db.dossiers.bulkPut(old);
      await db.notices.bulkPut(
        [10, 11].map((n) => ({
          key: `${O}|${n}|30|x`,
          origin: O,
          demarche: 1,
          dossier: n,
          threshold: 30,
          expiresAt: '',
          sentAt: '',
          notificationId: 'old',
        })),
      );
      expect(await refreshBadge(30, NOW)).toBe(1);
      expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
      const view = popupView({ instances, demarches, dossiers: old }, NOW, { unsavedOnly: false, leadTimeDays: 30 });
      expect(view.groups.flatMap((g) => g.rows.map((r) => r.number))).toEqual([13]);
      expect(view.summary.neverExpire).toBe(3);
      await notifyInstance(O, DEFAULT_SETTINGS, NOW);
      const notices = await db.notices.toArray();
      expect(notices.filter((n) => n.notificationId !== 'old').map((n) => n.dossier)).toEqual([13]);
    });
  });
});

describe('a message DS shows, without a token', () => {
  const savedAt = '2026-11-20T13:05:20.000Z';

  it('is a change after the save when it may have been sent after it: DS shows only the minute', () => {
    // « Le 20/11/2026 14:05 » (Paris): sent between 13:05:00 and 13:05:59.999 UTC, perhaps after 13:05:20.
    expect(changeShownByMessage({ archivedAt: savedAt }, '2026-11-20T13:05:00.000Z')).toBe('2026-11-20T13:05:59.999Z');
    expect(changeShownByMessage({ archivedAt: savedAt }, '2026-11-21T08:00:00.000Z')).toBe('2026-11-21T08:00:59.999Z');
    expect(archiveStatus({ archivedAt: savedAt, dateDerniereModification: '2026-11-20T13:05:59.999Z' })).toBe('stale');
  });

  it('changes nothing when it was sent before the save, or the dossier was never saved', () => {
    expect(changeShownByMessage({ archivedAt: savedAt }, '2026-11-20T13:04:00.000Z')).toBeUndefined();
    expect(changeShownByMessage({}, '2026-11-21T08:00:00.000Z')).toBeUndefined();
    expect(changeShownByMessage({ archivedAt: null }, '2026-11-21T08:00:00.000Z')).toBeUndefined();
  });

  it('never moves a later known change back', () => {
    const later = { archivedAt: savedAt, dateDerniereModification: '2026-11-22T10:00:00.000Z' };
    expect(changeShownByMessage(later, '2026-11-21T08:00:00.000Z')).toBeUndefined();
  });
});
