import { afterEach, describe, expect, it } from 'vitest';
import { TODAY_RULES } from '@/lib/core/instance-rules';
import { timelineOf } from '@/lib/core/retention';
import { locale } from '@/lib/platform/i18n';
import { addDays } from '@/lib/platform/time';
import { archiveBadge, countdownOf, stateBadge } from '@/lib/view/badges';
import { dossier, NOW } from './ui-fixtures';

const timeline = (daysLeft: number, extra = {}) =>
  timelineOf(dossier(1, 1, daysLeft, extra), undefined, TODAY_RULES, NOW);

afterEach(() => {
  locale.value = 'fr';
});

describe('countdownOf', () => {
  it('tells days left and the deletion date, redder as it nears', () => {
    expect(countdownOf(timeline(12))).toEqual({
      short: 'J-12',
      date: 'Suppression le 05/12/2026',
      estimated: false,
      tone: 'warning',
    });
    expect(countdownOf(timeline(5))?.tone).toBe('error');
    expect(countdownOf(timeline(25))?.tone).toBe('new');
    expect(countdownOf(timeline(60))?.tone).toBe('info');
    const tonight = new Date(NOW.getTime() + 10 * 3_600_000).toISOString();
    expect(countdownOf(timeline(0, { expiresAt: tonight }))?.short).toBe('Aujourd’hui');
  });

  it('marks an estimate', () => {
    const estimated = timelineOf(
      dossier(1, 1, 0, { expiresAt: null, expirySource: null, dateTraitement: '2025-12-20T10:00:00+01:00' }),
      { retentionMonths: 12 },
      TODAY_RULES,
      NOW,
    );
    expect(countdownOf(estimated)).toMatchObject({ short: 'J-27', estimated: true });
  });

  it('counts a dossier in the corbeille down to its purge', () => {
    const inCorbeille = timeline(-3, { corbeilleSince: addDays(NOW, -3).toISOString() });
    expect(countdownOf(inCorbeille)).toEqual({
      short: 'Dans la corbeille',
      date: 'Suppression définitive le 04/12/2026',
      estimated: false,
      tone: 'error',
    });
  });

  it('has nothing to say about dossiers that are not going away', () => {
    expect(countdownOf(timeline(5, { state: 'en_instruction' }))).toBeNull();
    expect(countdownOf(timeline(5, { deletedAt: NOW.toISOString() }))).toBeNull();
  });

  it('speaks English', () => {
    locale.value = 'en';
    expect(countdownOf(timeline(12))).toMatchObject({ short: 'D-12', date: 'Deleted on 05/12/2026' });
  });
});

describe('stateBadge', () => {
  it('uses DS’s own texts and colours', () => {
    expect(stateBadge('en_construction')).toEqual({ text: 'en construction', tone: 'purple' });
    expect(stateBadge('en_instruction')).toEqual({ text: 'en instruction', tone: 'new' });
    expect(stateBadge('accepte')).toEqual({ text: 'accepté', tone: 'success' });
    expect(stateBadge('refuse')).toEqual({ text: 'refusé', tone: 'warning' });
    expect(stateBadge('sans_suite')).toEqual({ text: 'classé sans suite', tone: 'warning' });
  });
});

describe('archiveBadge', () => {
  it('says when it was saved, or that it needs saving', () => {
    expect(archiveBadge('saved', new Date('2026-11-20T10:00:00Z'))).toEqual({
      text: 'sauvegardé le 20/11/2026',
      tone: 'success',
    });
    expect(archiveBadge('stale', new Date('2026-11-20T10:00:00Z')).text).toBe('modifié depuis la sauvegarde');
    expect(archiveBadge('never', null)).toEqual({ text: 'non sauvegardé', tone: 'grey' });
  });
});
