import { describe, expect, it } from 'vitest';
import { archiveStatus, fatesOf } from '@/lib/core/threat';
import { addDays } from '@/lib/platform/time';
import { groupByDemarche, HORIZON_DAYS, type UpcomingSources, unsavedOnly, upcomingRows } from '@/lib/view/upcoming';
import { DN, demarche, dossier, instance, NOW } from './ui-fixtures';

const OTHER = 'https://www.mes-demarches.gov.pf';
/** The popup's rows, through the same fates as the toolbar badge. */
const upcoming = (rows: UpcomingSources, now = NOW, horizon?: number) => upcomingRows(fatesOf(rows, 30, now), horizon);
const sources = (extra: Partial<UpcomingSources>): UpcomingSources => ({
  instances: [instance()],
  demarches: [demarche(1), demarche(2)],
  dossiers: [],
  ...extra,
});

describe('archiveStatus', () => {
  it('tells never archived, archived since the last change, and changed since', () => {
    expect(archiveStatus({})).toBe('never');
    expect(archiveStatus({ archivedAt: '2026-11-20T10:00:00Z' })).toBe('saved');
    expect(
      archiveStatus({ archivedAt: '2026-11-20T10:00:00Z', dateDerniereModification: '2026-11-19T10:00:00Z' }),
    ).toBe('saved');
    expect(
      archiveStatus({ archivedAt: '2026-11-20T10:00:00Z', dateDerniereModification: '2026-11-21T10:00:00Z' }),
    ).toBe('stale');
  });
});

describe('upcomingRows', () => {
  it('lists dossiers deleted within the horizon, soonest first, with their timeline and DS link', () => {
    const rows = upcoming(
      sources({ dossiers: [dossier(30, 1, 40), dossier(10, 1, 3), dossier(20, 2, 12), dossier(11, 2, 3)] }),
      NOW,
    );
    expect(rows.map((r) => r.number)).toEqual([10, 11, 20, 30]);
    expect(rows[0]).toMatchObject({
      demarche: 1,
      state: 'accepte',
      label: 'demandeur10@example.fr',
      archive: 'never',
      archivedAt: null,
      url: `${DN}/procedures/1/tous/dossiers/10`,
    });
    expect(rows[0]?.timeline).toMatchObject({ daysLeft: 3, phase: 'notice', estimated: false });
    expect(rows[0]?.deadline.toISOString()).toBe(addDays(NOW, 3).toISOString());
  });

  it('leaves out what is not on its way out, already gone, beyond the horizon or unwatched', () => {
    const rows = upcoming(
      {
        instances: [instance()],
        demarches: [demarche(1), demarche(2, { watched: false })],
        dossiers: [
          dossier(1, 1, 5),
          dossier(2, 1, 5, { state: 'en_instruction' }),
          dossier(3, 1, 5, { neverExpires: true }),
          dossier(4, 1, 5, { deletedAt: NOW.toISOString() }),
          dossier(5, 1, -20), // expired 20 days ago: purged 6 days ago
          dossier(6, 1, HORIZON_DAYS),
          dossier(7, 1, HORIZON_DAYS - 1),
          dossier(8, 2, 5),
          dossier(9, 1, 0, { state: undefined, expiresAt: null, expirySource: null }), // nothing known
          dossier(12, 3, 8), // démarche not discovered yet: watched by default
        ],
      },
      NOW,
    );
    expect(rows.map((r) => r.number)).toEqual([1, 12, 7]);
  });

  it('counts a dossier in the corbeille down to its purge', () => {
    const [row] = upcoming(
      sources({ dossiers: [dossier(1, 1, -2, { corbeilleSince: addDays(NOW, -2).toISOString() })] }),
      NOW,
    );
    expect(row?.timeline.phase).toBe('corbeille');
    expect(row?.deadline.toISOString()).toBe(addDays(NOW, 12).toISOString());
  });

  it('keeps estimated dates, marked as such', () => {
    const [row] = upcoming(
      sources({
        demarches: [demarche(1, { retentionMonths: 12 })],
        dossiers: [
          dossier(1, 1, 0, { expiresAt: null, expirySource: null, dateTraitement: '2025-12-20T10:00:00+01:00' }),
        ],
      }),
      NOW,
    );
    expect(row?.timeline).toMatchObject({ estimated: true, source: 'estimate', daysLeft: 27 });
  });
});

describe('the « non sauvegardés » filter', () => {
  it('keeps dossiers never archived and those changed since their archive', () => {
    const rows = upcoming(
      sources({
        dossiers: [
          dossier(1, 1, 5),
          dossier(2, 1, 6, { archivedAt: '2026-11-20T10:00:00Z' }),
          dossier(3, 1, 7, { archivedAt: '2026-11-20T10:00:00Z', dateDerniereModification: '2026-11-22T10:00:00Z' }),
        ],
      }),
      NOW,
    );
    expect(unsavedOnly(rows).map((r) => [r.number, r.archive])).toEqual([
      [1, 'never'],
      [3, 'stale'],
    ]);
  });
});

describe('groupByDemarche', () => {
  it('groups by démarche in the order of each one’s soonest dossier, with its title', () => {
    const src = sources({
      demarches: [demarche(1, { title: 'Aides à la rénovation' }), demarche(2, { title: 'Subventions sportives' })],
      dossiers: [dossier(10, 1, 20), dossier(20, 2, 4), dossier(11, 1, 2), dossier(21, 2, 30)],
    });
    const groups = groupByDemarche(upcoming(src, NOW), src);
    expect(groups.map((g) => [g.demarche, g.title, g.rows.map((r) => r.number)])).toEqual([
      [1, 'Aides à la rénovation', [11, 10]],
      [2, 'Subventions sportives', [20, 21]],
    ]);
    expect(groups[0]?.instanceName).toBeNull();
  });

  it('names the instance when several are known, and tells same-numbered démarches apart', () => {
    const src: UpcomingSources = {
      instances: [instance(), instance({ origin: OTHER, name: 'Mes démarches' })],
      demarches: [demarche(1), demarche(1, { origin: OTHER, title: 'Aide polynésienne' })],
      dossiers: [dossier(10, 1, 5), dossier(10, 1, 3, { origin: OTHER })],
    };
    const groups = groupByDemarche(upcoming(src, NOW), src);
    expect(groups.map((g) => [g.instanceName, g.title, g.rows[0]?.url])).toEqual([
      ['Mes démarches', 'Aide polynésienne', `${OTHER}/procedures/1/tous/dossiers/10`],
      ['Démarche numérique', 'Subvention 1', `${DN}/procedures/1/tous/dossiers/10`],
    ]);
  });

  it('has no title for a démarche not discovered yet', () => {
    const src = sources({ demarches: [], dossiers: [dossier(1, 7, 5)] });
    expect(groupByDemarche(upcoming(src, NOW), src)[0]).toMatchObject({ demarche: 7, title: null });
  });
});
