import { describe, expect, it } from 'vitest';
import type { DossierRow } from '@/lib/core/db';
import type { InstanceRules } from '@/lib/core/instance-rules';
import { estimateExpiry, timelineOf } from '@/lib/core/retention';

const NOW = new Date('2026-11-23T10:00:00+01:00');
/** An instance DS showed still runs the rules of before June 2026 (en construction expires). */
const OLD: InstanceRules = { set: '2025', basis: 'evidence', evidence: 'page-expires', since: '2026-11-01T00:00:00Z' };
const TODAY: InstanceRules = { set: '2026', basis: 'known-host' };
const ASSUMED: InstanceRules = { set: '2025', basis: 'assumed' };
const dossier = (facts: Partial<DossierRow>) => ({ expiresAt: null, expirySource: null, ...facts }) as DossierRow;

describe('timelineOf under DS’s rules of June 2026', () => {
  const enConstruction = dossier({
    state: 'en_construction',
    datePassageEnConstruction: '2025-06-10T15:00:00+02:00',
    dateDepot: '2025-06-01T15:00:00+02:00',
  });

  it('never expires an en construction dossier, well past its old date, with or without a date DS still shows', () => {
    expect(timelineOf(enConstruction, { retentionMonths: 12 }, TODAY, NOW)).toMatchObject({
      phase: 'never',
      expiresAt: null,
      daysLeft: null,
      estimated: false,
    });
    // A residual `expired_at` in the « Date d’expiration » column means nothing since June 2026.
    const residual = { ...enConstruction, expiresAt: '2026-11-30T10:00:00+01:00', expirySource: 'column' as const };
    expect(timelineOf(residual, { retentionMonths: 12 }, TODAY, NOW).phase).toBe('never');
    expect(timelineOf(residual, undefined, { set: '2026', basis: 'evidence' }, NOW).phase).toBe('never');
  });

  it('keeps processed dossiers on their rules, and an en construction dossier its usager deleted in the corbeille', () => {
    const accepted = dossier({ state: 'accepte', dateTraitement: '2025-12-05T09:00:00+01:00' });
    expect(timelineOf(accepted, { retentionMonths: 12 }, TODAY, NOW)).toMatchObject({ phase: 'notice', daysLeft: 12 });
    const deleted = {
      ...enConstruction,
      corbeilleSince: '2026-11-20T10:00:00+01:00',
      purgeAt: '2026-12-04T00:00:00+01:00',
    };
    expect(timelineOf(deleted, undefined, TODAY, NOW)).toMatchObject({ phase: 'corbeille', daysLeft: 11 });
  });

  it('with no evidence of the instance’s rules, dates en construction by the older rule, always as an estimate', () => {
    const estimate = timelineOf(enConstruction, { retentionMonths: 18 }, ASSUMED, NOW);
    expect(estimate.expiresAt?.toISOString()).toBe('2026-12-10T14:00:00.000Z');
    expect(estimate).toMatchObject({ phase: 'active', source: 'estimate', estimated: true });
    // Even a date the page shows may be one DS no longer reads: still an estimate.
    const shown = { ...enConstruction, expiresAt: '2026-12-01T00:00:00+01:00', expirySource: 'column' as const };
    expect(timelineOf(shown, undefined, ASSUMED, NOW)).toMatchObject({
      source: 'estimate',
      estimated: true,
      daysLeft: 8,
    });
    // Processed dossiers are not concerned.
    const accepted = dossier({ state: 'accepte', expiresAt: '2026-12-01T00:00:00+01:00', expirySource: 'page' });
    expect(timelineOf(accepted, undefined, ASSUMED, NOW)).toMatchObject({ source: 'page', estimated: false });
  });
});

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
      OLD,
      NOW,
    );
    expect(t).toMatchObject({ daysLeft: 30, phase: 'active', source: 'api', estimated: false });
    expect(t.purgeAt?.toISOString()).toBe('2027-01-06T00:00:00.000Z');
  });

  it('never expires en instruction, nor processed dossiers where the démarche keeps them', () => {
    expect(
      timelineOf(dossier({ state: 'en_instruction', expiresAt: '2026-12-01T00:00:00Z' }), undefined, OLD, NOW).phase,
    ).toBe('never');
    expect(timelineOf(dossier({ neverExpires: true }), undefined, OLD, NOW).phase).toBe('never');
    const kept = timelineOf(
      dossier({ state: 'refuse', dateTraitement: '2025-01-01T00:00:00Z' }),
      { expiresWhenTermine: false },
      OLD,
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
      OLD,
      NOW,
    );
    expect(t.expiresAt?.toISOString()).toBe('2026-12-10T14:00:00.000Z');
    expect(t).toMatchObject({ daysLeft: 17, phase: 'active', source: 'estimate', estimated: true });
  });

  it('estimates processed dossiers from the decision date, 12 months by default', () => {
    const d = dossier({ state: 'sans_suite', dateTraitement: '2025-12-05T09:00:00+01:00' });
    expect(estimateExpiry(d)?.toISOString()).toBe('2026-12-05T08:00:00.000Z');
    expect(timelineOf(d, undefined, OLD, NOW)).toMatchObject({ daysLeft: 12, phase: 'notice' });
  });

  it('is unknown when there is nothing to go on', () => {
    expect(timelineOf(dossier({}), undefined, OLD, NOW).phase).toBe('unknown');
    expect(timelineOf(dossier({ state: 'accepte' }), undefined, OLD, NOW).phase).toBe('unknown');
  });

  it.each([
    ['2026-12-08T01:00:00+01:00', 15, 'active'],
    ['2026-12-07T01:00:00+01:00', 14, 'notice'],
    ['2026-11-24T01:00:00+01:00', 1, 'notice'],
    ['2026-11-23T23:00:00+01:00', 0, 'notice'],
  ])('expiring %s is D-%i, %s', (expiresAt, daysLeft, phase) => {
    expect(
      timelineOf(dossier({ state: 'accepte', expiresAt, expirySource: 'page' }), undefined, OLD, NOW),
    ).toMatchObject({
      daysLeft,
      phase,
    });
  });

  it('puts a dossier whose date has passed in the corbeille, counting down to the purge', () => {
    const t = timelineOf(
      dossier({ state: 'accepte', expiresAt: '2026-11-20T01:00:00+01:00', expirySource: 'api' }),
      undefined,
      OLD,
      NOW,
    );
    expect(t).toMatchObject({ phase: 'corbeille', daysLeft: 11 });
    expect(t.purgeAt?.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    const gone = timelineOf(dossier({ state: 'accepte', expiresAt: '2026-11-01T01:00:00+01:00' }), undefined, OLD, NOW);
    expect(gone.phase).toBe('purged');
  });

  it('counts the corbeille from when DS hid the dossier', () => {
    const t = timelineOf(
      dossier({ state: 'en_construction', corbeilleSince: '2026-11-22T15:00:00+01:00' }),
      undefined,
      OLD,
      NOW,
    );
    expect(t).toMatchObject({ phase: 'corbeille', daysLeft: 13 });
    expect(timelineOf(dossier({ corbeilleSince: '2026-11-01T15:00:00+01:00' }), undefined, OLD, NOW).phase).toBe(
      'purged',
    );
    expect(timelineOf(dossier({ deletedAt: '2026-11-02T02:00:00+01:00' }), undefined, OLD, NOW).phase).toBe('purged');
  });

  it('takes DS’s own purge day, and knows when no purge is due', () => {
    const shown = timelineOf(
      dossier({ state: 'accepte', corbeilleSince: '2026-11-10T01:00:00+01:00', purgeAt: '2026-11-26T00:00:00+01:00' }),
      undefined,
      OLD,
      NOW,
    );
    expect(shown).toMatchObject({ phase: 'corbeille', daysLeft: 3 });
    const trashed = timelineOf(
      dossier({ state: 'sans_suite', corbeilleSince: '2026-10-01T10:00:00+02:00', purgeAt: null }),
      undefined,
      OLD,
      NOW,
    );
    expect(trashed).toMatchObject({ phase: 'corbeille', purgeAt: null, daysLeft: null });
  });

  it('follows an extension: a later date from DS moves the countdown', () => {
    const before = timelineOf(
      dossier({ state: 'en_construction', expiresAt: '2026-11-30T15:00:00+01:00', expirySource: 'badge' }),
      undefined,
      OLD,
      NOW,
    );
    const after = timelineOf(
      dossier({ state: 'en_construction', expiresAt: '2026-12-30T15:00:00+01:00', expirySource: 'page' }),
      undefined,
      OLD,
      NOW,
    );
    expect([before.daysLeft, before.phase, after.daysLeft, after.phase]).toEqual([7, 'notice', 37, 'active']);
  });
});
