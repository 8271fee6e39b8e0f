import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type DemarcheRow, type DossierRow, db } from '@/lib/core/db';
import { countAtRisk, refreshBadge } from '@/lib/core/toolbar-badge';
import { addDays } from '@/lib/platform/time';

const O = 'https://demarche.numerique.gouv.fr';
const NOW = new Date('2026-11-23T10:00:00+01:00');
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

describe('toolbar badge', () => {
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
    expect(countAtRisk(dossiers, demarches, 30, NOW)).toBe(3);
    expect(countAtRisk(dossiers, demarches, 7, NOW)).toBe(2);
  });

  describe('refreshBadge', () => {
    beforeEach(async () => {
      await db.delete();
      await db.open();
    });

    it('shows the count, and nothing when there is none', async () => {
      await db.demarches.bulkPut(demarches);
      await db.dossiers.bulkPut([dossier(1, 3), dossier(2, 10)]);
      expect(await refreshBadge(30, NOW)).toBe(2);
      expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
      await db.dossiers.clear();
      await refreshBadge(30, NOW);
      expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    });
  });
});
