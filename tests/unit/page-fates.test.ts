import { beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '@/lib/platform/time';
import { readPageFates } from '@/lib/view/page-fates';
import { DN, demarche, dossier, instance, NOW, resetDb, seed } from './ui-fixtures';

const ask = (dossiers: number[], demarches: number[] = []) =>
  readPageFates({ origin: DN, dossiers, demarches }, 30, NOW);

describe('readPageFates', () => {
  beforeEach(async () => {
    await resetDb();
    await seed({
      instances: [instance()],
      demarches: [demarche(1), demarche(2, { watched: false })],
      dossiers: [
        dossier(10, 1, 23),
        dossier(11, 1, 5, { archivedAt: addDays(NOW, -1).toISOString() }),
        dossier(12, 1, 45, { expiresAt: null, expirySource: null, dateTraitement: '2026-01-07T10:00:00+01:00' }),
        dossier(13, 1, 0, { state: 'en_construction', expirySource: 'column' }),
        dossier(14, 1, -3, { corbeilleSince: addDays(NOW, -3).toISOString() }),
        dossier(20, 2, 3),
      ],
    });
  });

  it('says each dossier’s fate in words, tone and data: days, source, estimate, archive state', async () => {
    const { dossiers } = await ask([10, 11, 12, 13, 14, 99]);
    const by = new Map(dossiers.map((d) => [d.number, d]));
    expect(by.get(10)).toEqual({
      number: 10,
      text: 'Supprimé dans 23 j',
      estimate: '',
      description: 'Suppression le 16/12/2026 · source : API de DS · non sauvegardé',
      tone: 'warning',
      expiresAt: '2026-12-16',
      daysLeft: 23,
      source: 'api',
      savedAt: '',
    });
    expect(by.get(11)).toMatchObject({ tone: 'error', daysLeft: 5, savedAt: addDays(NOW, -1).toISOString() });
    expect(by.get(11)?.description).toContain('sauvegardé le 22/11/2026');
    expect(by.get(12)).toMatchObject({
      text: 'Supprimé dans 45 j',
      tone: 'neutral',
      source: 'estimate',
      estimate: 'estimation',
      expiresAt: '2027-01-07',
      daysLeft: 45,
    });
    expect(by.get(12)?.description).toContain('source : estimation d’Archiviste');
    expect(by.get(13)).toMatchObject({
      text: 'N’expire pas',
      tone: 'info',
      expiresAt: 'none',
      daysLeft: null,
      source: '',
    });
    expect(by.get(14)).toMatchObject({
      text: 'Corbeille : purge le 04/12',
      tone: 'error',
      expiresAt: '2026-12-04',
      daysLeft: 11,
    });
    // A dossier the background does not know yet gets nothing: the page shows no guess.
    expect(by.has(99)).toBe(false);
  });

  it('speaks for every dossier a page shows, watched démarche or not', async () => {
    expect((await ask([20])).dossiers[0]).toMatchObject({ number: 20, daysLeft: 3 });
  });

  it('sums up a démarche as the toolbar badge counts it', async () => {
    const { demarches } = await ask([], [1, 2]);
    expect(demarches[0]).toMatchObject({
      number: 1,
      threatened: 3,
      atRisk: 2,
      text: '3 dossiers supprimés d’ici 30 jours, dont 2 non sauvegardés — le premier le 28/11',
      cardText: '2 à sauvegarder d’ici 30 j',
      expirantUrl: `${DN}/procedures/1/expirant`,
      // The banner's button archives the same 2 (lib/core/archive/resolve-selection.ts `at-risk`).
      save: {
        label: 'Sauvegarder ces 2 dossiers',
        busy: 'Sauvegarde en cours…',
        opened: 'L’archive s’est ouverte dans un nouvel onglet.',
        failed: 'La sauvegarde a échoué : rechargez la page et recommencez.',
      },
    });
    expect(demarches[0]?.weeks).toHaveLength(13);
    // The chart spans 13 weeks: it also shows the dossier due in 45 days.
    expect(demarches[0]?.weeks.reduce((sum, w) => sum + w.total, 0)).toBe(4);
    // Unwatched: threatens nothing, as on the toolbar badge.
    expect(demarches[1]).toMatchObject({
      number: 2,
      threatened: 0,
      atRisk: 0,
      text: 'Aucun dossier supprimé d’ici 30 jours.',
      save: null,
    });
  });

  it('names the banner’s button for one dossier', async () => {
    await seed({ dossiers: [dossier(10, 1, 23, { archivedAt: NOW.toISOString() })] });
    expect((await ask([], [1])).demarches[0]?.save?.label).toBe('Sauvegarder ce dossier');
  });
});
