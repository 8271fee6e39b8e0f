import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ResolveContext, resolveSelection } from '@/lib/core/archive/resolve-selection';
import { db } from '@/lib/core/db';
import { countAtRisk } from '@/lib/core/threat';
import type { DossierTable } from '@/lib/ds/read-dossier-table';
import { locale } from '@/lib/platform/i18n';
import { addDays } from '@/lib/platform/time';
import { readPageFates } from '@/lib/view/page-fates';
import { DN, demarche, dossier, instance, NOW, resetDb, seed } from './ui-fixtures';

/** A fork of DS with no evidence of its rules yet: en construction dossiers still expire there. */
const FORK = 'https://demarches.exemple.fr';
const LEAD = 30;

/** A list tab's pages as the list reader gives them: only the numbers matter here. */
const page = (...numbers: number[]): DossierTable => ({
  headers: ['N° dossier'],
  rows: numbers.map((number) => ({ number, cells: [String(number)] })),
});

function context(pages: DossierTable[] = [], title = ''): ResolveContext & { readTab: ReturnType<typeof vi.fn> } {
  return { now: NOW, leadTimeDays: LEAD, readTab: vi.fn(async () => ({ title, pages })) };
}

const numbers = (refs: { dossier: number }[]) => refs.map((ref) => ref.dossier);

beforeEach(async () => {
  await resetDb();
  await seed({
    instances: [instance(), { ...instance(), origin: FORK, name: 'Fork' }],
    demarches: [
      demarche(1, { title: 'Aides à la rénovation' }),
      demarche(2, { title: 'Subventions sportives', watched: false }),
      demarche(3, { title: 'Bourses' }),
      { ...demarche(9, { title: 'Démarche du fork' }), origin: FORK },
    ],
    dossiers: [
      dossier(101, 1, 12),
      dossier(102, 1, 3),
      // Saved since its last change: not at risk. Changed since its save: at risk again.
      dossier(103, 1, 5, { archivedAt: NOW.toISOString() }),
      dossier(104, 1, 20, {
        archivedAt: addDays(NOW, -4).toISOString(),
        dateDerniereModification: addDays(NOW, -1).toISOString(),
      }),
      // Beyond the lead time, never deleted, in the corbeille (purge in 4 days), purged.
      dossier(105, 1, 45),
      dossier(106, 1, 0, { state: 'en_instruction', expiresAt: null, expirySource: null }),
      dossier(107, 1, -10, { corbeilleSince: addDays(NOW, -10).toISOString() }),
      dossier(108, 1, 2, { deletedAt: addDays(NOW, -1).toISOString() }),
      // On DS since June 2026 an en construction dossier never expires, whatever date a column shows.
      dossier(109, 1, 6, { state: 'en_construction', expirySource: 'column' }),
      // Unwatched: the badge counts nothing of it.
      dossier(201, 2, 4),
      dossier(301, 3, 1),
      // On the fork, the older rules still hold: its en construction dossier expires.
      { ...dossier(901, 9, 8, { state: 'en_construction', expirySource: 'column' }), origin: FORK },
    ],
  });
});
afterEach(() => {
  locale.value = 'fr';
});

describe('resolveSelection: at-risk', () => {
  it('holds exactly what the toolbar badge counts, across démarches and instances, soonest deletion first', async () => {
    const resolved = await resolveSelection({ kind: 'at-risk' }, context());
    const [instances, demarches, dossiers] = await Promise.all([
      db.instances.toArray(),
      db.demarches.toArray(),
      db.dossiers.toArray(),
    ]);
    expect(resolved.refs).toHaveLength(countAtRisk({ instances, demarches, dossiers }, LEAD, NOW));
    // 301 in 1 day, 102 in 3, 107 purged in 4, 901 (fork) in 8, 101 in 12, 104 in 20.
    expect(resolved.refs).toEqual([
      { origin: DN, demarche: 3, dossier: 301 },
      { origin: DN, demarche: 1, dossier: 102 },
      { origin: DN, demarche: 1, dossier: 107 },
      { origin: FORK, demarche: 9, dossier: 901 },
      { origin: DN, demarche: 1, dossier: 101 },
      { origin: DN, demarche: 1, dossier: 104 },
    ]);
    expect(resolved.title).toBe('Toutes les démarches : non sauvegardés, supprimés d’ici 30 jours (6 dossiers)');
  });

  it('of one démarche, holds the N its banner’s button says', async () => {
    const resolved = await resolveSelection({ kind: 'at-risk', origin: DN, demarche: 1 }, context());
    expect(numbers(resolved.refs)).toEqual([102, 107, 101, 104]);
    const banner = (await readPageFates({ origin: DN, dossiers: [], demarches: [1] }, LEAD, NOW)).demarches[0]!;
    expect(banner.atRisk).toBe(resolved.refs.length);
    expect(banner.save?.label).toBe('Sauvegarder ces 4 dossiers');
    expect(resolved.title).toBe('Aides à la rénovation : non sauvegardés, supprimés d’ici 30 jours (4 dossiers)');
  });

  it('of one instance, leaves the others out; of an unwatched démarche, holds nothing, as its banner says', async () => {
    const fork = await resolveSelection({ kind: 'at-risk', origin: FORK }, context());
    expect(fork.refs).toEqual([{ origin: FORK, demarche: 9, dossier: 901 }]);
    expect(fork.title).toBe('Toutes les démarches : non sauvegardés, supprimés d’ici 30 jours (1 dossier)');

    const unwatched = await resolveSelection({ kind: 'at-risk', origin: DN, demarche: 2 }, context());
    expect(unwatched.refs).toEqual([]);
    const banner = (await readPageFates({ origin: DN, dossiers: [], demarches: [2] }, LEAD, NOW)).demarches[0]!;
    expect(banner.save).toBeNull();
  });

  it('follows the lead time', async () => {
    const resolved = await resolveSelection(
      { kind: 'at-risk', origin: DN, demarche: 1 },
      { ...context(), leadTimeDays: 7 },
    );
    expect(numbers(resolved.refs)).toEqual([102, 107]);
    expect(resolved.title).toBe('Aides à la rénovation : non sauvegardés, supprimés d’ici 7 jours (2 dossiers)');
  });
});

describe('resolveSelection: tab', () => {
  it('holds every dossier of every page of the tab, in DS’s order, each once', async () => {
    const ctx = context([page(105, 101, 106), page(106, 108, 2001), page()], 'Aides (titre de DS)');
    const resolved = await resolveSelection({ kind: 'tab', origin: DN, demarche: 1, statut: 'traites' }, ctx);
    expect(ctx.readTab).toHaveBeenCalledWith({ origin: DN, demarche: 1, statut: 'traites' });
    // What DS lists is the truth: a dossier Archiviste does not know yet is archived too.
    expect(resolved.refs).toEqual([105, 101, 106, 108, 2001].map((dossier) => ({ origin: DN, demarche: 1, dossier })));
    expect(resolved.title).toBe('Aides à la rénovation : onglet « traités » (5 dossiers)');
  });

  it('names a démarche Archiviste does not know by the title its list shows, else by its number', async () => {
    const shown = await resolveSelection(
      { kind: 'tab', origin: DN, demarche: 77, statut: 'supprimes' },
      context([page(7701)], 'Démarche vue sur DS'),
    );
    expect(shown.title).toBe('Démarche vue sur DS : onglet « corbeille » (1 dossier)');
    const bare = await resolveSelection({ kind: 'tab', origin: DN, demarche: 77, statut: 'tous' }, context([page()]));
    expect(bare.refs).toEqual([]);
    expect(bare.title).toBe('Démarche n° 77 : onglet « au total » (0 dossiers)');
  });

  it('fails as the list reader fails (logged out, DS unreachable), with its error', async () => {
    const ctx = context();
    ctx.readTab.mockRejectedValueOnce(Object.assign(new Error('logged-out'), { code: 'logged-out' }));
    await expect(resolveSelection({ kind: 'tab', origin: DN, demarche: 1, statut: 'tous' }, ctx)).rejects.toThrow(
      'logged-out',
    );
  });
});

describe('resolveSelection: month', () => {
  beforeEach(async () => {
    const processed = (number: number, dateTraitement: string, extra = {}) =>
      dossier(number, 3, 200, { state: 'refuse', dateTraitement, ...extra });
    await seed({
      dossiers: [
        // October in Paris: the first minute of the 1st (still 30 September in UTC) to the last of the 31st.
        processed(310, '2026-10-01T00:10:00+02:00', { expiresAt: addDays(NOW, 90).toISOString() }),
        processed(311, '2026-10-31T23:50:00+01:00', { state: 'accepte', expiresAt: addDays(NOW, 60).toISOString() }),
        processed(312, '2026-10-15T10:00:00+02:00', { state: 'sans_suite', expiresAt: null, expirySource: null }),
        // 31 October 23:30 UTC is 1 November in Paris.
        processed(313, '2026-10-31T23:30:00Z'),
        processed(314, '2026-09-30T21:59:00Z'),
        // Not terminé: DS's monthly archive leaves it out, whatever date it carries.
        processed(315, '2026-10-10T10:00:00+02:00', { state: 'en_instruction', expiresAt: null, expirySource: null }),
        // Purged: DS cannot give it any more.
        processed(316, '2026-10-12T10:00:00+02:00', { deletedAt: addDays(NOW, -2).toISOString() }),
        // Another démarche, the same month.
        dossier(110, 1, 200, { state: 'accepte', dateTraitement: '2026-10-12T10:00:00+02:00' }),
      ],
    });
  });

  it('holds the démarche’s dossiers processed in that Paris month, soonest deletion first', async () => {
    const resolved = await resolveSelection({ kind: 'month', origin: DN, demarche: 3, month: '2026-10' }, context());
    expect(resolved.refs).toEqual([311, 310, 312].map((dossier) => ({ origin: DN, demarche: 3, dossier })));
    expect(resolved.title).toBe('Bourses : traités en octobre 2026 (3 dossiers)');
    const november = await resolveSelection({ kind: 'month', origin: DN, demarche: 3, month: '2026-11' }, context());
    expect(numbers(november.refs)).toEqual([313]);
    const september = await resolveSelection({ kind: 'month', origin: DN, demarche: 3, month: '2026-09' }, context());
    expect(numbers(september.refs)).toEqual([314]);
  });

  it('holds an unwatched démarche’s month too: the user asked for it by name', async () => {
    await seed({ dossiers: [dossier(210, 2, 200, { state: 'accepte', dateTraitement: '2026-10-02T10:00:00+02:00' })] });
    const resolved = await resolveSelection({ kind: 'month', origin: DN, demarche: 2, month: '2026-10' }, context());
    expect(numbers(resolved.refs)).toEqual([210]);
  });
});

describe('resolveSelection: démarche', () => {
  it('holds every dossier DS still has (the corbeille’s too, not the purged), soonest deletion first', async () => {
    const resolved = await resolveSelection({ kind: 'demarche', origin: DN, demarche: 1 }, context());
    // 108 is purged; 106 (en instruction) and 109 (en construction) are never deleted: last, by number.
    expect(numbers(resolved.refs)).toEqual([102, 107, 103, 101, 104, 105, 106, 109]);
    expect(resolved.refs.every((ref) => ref.origin === DN && ref.demarche === 1)).toBe(true);
    expect(resolved.title).toBe('Aides à la rénovation : toute la démarche (8 dossiers)');
  });

  it('leaves out a dossier past its purge from the corbeille', async () => {
    await seed({ dossiers: [dossier(320, 3, -20, { corbeilleSince: addDays(NOW, -20).toISOString() })] });
    const resolved = await resolveSelection({ kind: 'demarche', origin: DN, demarche: 3 }, context());
    expect(numbers(resolved.refs)).toEqual([301]);
  });
});

describe('resolveSelection: words', () => {
  it('titles in the options’ language', async () => {
    locale.value = 'en';
    const atRisk = await resolveSelection({ kind: 'at-risk' }, context());
    expect(atRisk.title).toBe('All démarches: not saved, deleted within 30 days (6 dossiers)');
    const month = await resolveSelection({ kind: 'month', origin: DN, demarche: 1, month: '2026-05' }, context());
    expect(month.title).toBe('Aides à la rénovation: processed in May 2026 (0 dossiers)');
    const tab = await resolveSelection({ kind: 'tab', origin: DN, demarche: 3, statut: 'suivis' }, context([page(1)]));
    expect(tab.title).toBe('Bourses: « followed by me » tab (1 dossier)');
  });
});
