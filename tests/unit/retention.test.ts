import { describe, expect, it } from 'vitest';
import type { DossierRow } from '@/lib/core/db';
import { estimateExpiry, timelineOf } from '@/lib/core/retention';

const NOW = new Date('2026-11-23T10:00:00+01:00');
const dossier = (facts: Partial<DossierRow>) => ({ expiresAt: null, expirySource: null, ...facts }) as DossierRow;

describe('timelineOf', () => {
  it('takes DS’s own date first, and says where it came from', () => {
    const t = timelineOf(
      dossier({
        state: 'accepte',
        expiresAt: '2026-12-23T01:00:00+01:00',
        expirySource: 'api',
        dateTraitement: '2025-01-01T10:00:00+01:00',
      }),
      { retentionMonths: 12, expiresWhenTermine: true },
      NOW,
    );
    expect(t).toMatchObject({ daysLeft: 30, phase: 'active', source: 'api', estimated: false });
    expect(t.purgeAt?.toISOString()).toBe('2027-01-06T00:00:00.000Z');
  });

  it('never expires en instruction, nor processed dossiers where the démarche keeps them', () => {
    expect(
      timelineOf(dossier({ state: 'en_instruction', expiresAt: '2026-12-01T00:00:00Z' }), undefined, NOW).phase,
    ).toBe('never');
    expect(timelineOf(dossier({ neverExpires: true }), undefined, NOW).phase).toBe('never');
    const kept = timelineOf(
      dossier({ state: 'refuse', dateTraitement: '2025-01-01T00:00:00Z' }),
      { expiresWhenTermine: false },
      NOW,
    );
    expect(kept).toMatchObject({ phase: 'never', expiresAt: null, daysLeft: null });
  });

  it('estimates from the reference date and the démarche’s retention, marked as an estimate', () => {
    const t = timelineOf(
      dossier({
        state: 'en_construction',
        datePassageEnConstruction: '2026-06-10T15:00:00+02:00',
        dateDepot: '2026-06-01T15:00:00+02:00',
      }),
      { retentionMonths: 6 },
      NOW,
    );
    expect(t.expiresAt?.toISOString()).toBe('2026-12-10T14:00:00.000Z');
    expect(t).toMatchObject({ daysLeft: 17, phase: 'active', source: 'estimate', estimated: true });
  });

  it('estimates processed dossiers from the decision date, 12 months by default', () => {
    const d = dossier({ state: 'sans_suite', dateTraitement: '2025-12-05T09:00:00+01:00' });
    expect(estimateExpiry(d)?.toISOString()).toBe('2026-12-05T08:00:00.000Z');
    expect(timelineOf(d, undefined, NOW)).toMatchObject({ daysLeft: 12, phase: 'notice' });
  });

  it('is unknown when there is nothing to go on', () => {
    expect(timelineOf(dossier({}), undefined, NOW).phase).toBe('unknown');
    expect(timelineOf(dossier({ state: 'accepte' }), undefined, NOW).phase).toBe('unknown');
  });

  it.each([
    ['2026-12-08T01:00:00+01:00', 15, 'active'],
    ['2026-12-07T01:00:00+01:00', 14, 'notice'],
    ['2026-11-24T01:00:00+01:00', 1, 'notice'],
    ['2026-11-23T23:00:00+01:00', 0, 'notice'],
  ])('expiring %s is D-%i, %s', (expiresAt, daysLeft, phase) => {
    expect(timelineOf(dossier({ state: 'accepte', expiresAt, expirySource: 'page' }), undefined, NOW)).toMatchObject({
      daysLeft,
      phase,
    });
  });

  it('puts a dossier whose date has passed in the corbeille, counting down to the purge', () => {
    const t = timelineOf(
      dossier({ state: 'accepte', expiresAt: '2026-11-20T01:00:00+01:00', expirySource: 'api' }),
      undefined,
      NOW,
    );
    expect(t).toMatchObject({ phase: 'corbeille', daysLeft: 11 });
    expect(t.purgeAt?.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    const gone = timelineOf(dossier({ state: 'accepte', expiresAt: '2026-11-01T01:00:00+01:00' }), undefined, NOW);
    expect(gone.phase).toBe('purged');
  });

  it('counts the corbeille from when DS hid the dossier', () => {
    const t = timelineOf(
      dossier({ state: 'en_construction', corbeilleSince: '2026-11-22T15:00:00+01:00' }),
      undefined,
      NOW,
    );
    expect(t).toMatchObject({ phase: 'corbeille', daysLeft: 13 });
    expect(timelineOf(dossier({ corbeilleSince: '2026-11-01T15:00:00+01:00' }), undefined, NOW).phase).toBe('purged');
    expect(timelineOf(dossier({ deletedAt: '2026-11-02T02:00:00+01:00' }), undefined, NOW).phase).toBe('purged');
  });

  it('takes DS’s own purge day, and knows when no purge is due', () => {
    const shown = timelineOf(
      dossier({ state: 'accepte', corbeilleSince: '2026-11-10T01:00:00+01:00', purgeAt: '2026-11-26T00:00:00+01:00' }),
      undefined,
      NOW,
    );
    expect(shown).toMatchObject({ phase: 'corbeille', daysLeft: 3 });
    const trashed = timelineOf(
      dossier({ state: 'sans_suite', corbeilleSince: '2026-10-01T10:00:00+02:00', purgeAt: null }),
      undefined,
      NOW,
    );
    expect(trashed).toMatchObject({ phase: 'corbeille', purgeAt: null, daysLeft: null });
  });

  it('follows an extension: a later date from DS moves the countdown', () => {
    const before = timelineOf(
      dossier({ state: 'en_construction', expiresAt: '2026-11-30T15:00:00+01:00', expirySource: 'badge' }),
      undefined,
      NOW,
    );
    const after = timelineOf(
      dossier({ state: 'en_construction', expiresAt: '2026-12-30T15:00:00+01:00', expirySource: 'page' }),
      undefined,
      NOW,
    );
    expect([before.daysLeft, before.phase, after.daysLeft, after.phase]).toEqual([7, 'notice', 37, 'active']);
  });
});
