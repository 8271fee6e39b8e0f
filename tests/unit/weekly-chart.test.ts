import { describe, expect, it } from 'vitest';
import type { ArchiveStatus } from '@/lib/core/threat';
import { addDays, parisDate } from '@/lib/platform/time';
import { WEEKS, weeklyDeletions } from '@/lib/view/weekly-chart';
import { NOW } from './ui-fixtures';

const row = (daysLeft: number, archive: ArchiveStatus = 'never', from = NOW) => ({
  deadline: addDays(from, daysLeft),
  archive,
});

describe('weeklyDeletions', () => {
  it('has 13 weeks starting today, each seven Paris days long', () => {
    const weeks = weeklyDeletions([], NOW);
    expect(WEEKS).toBe(13);
    expect(weeks).toHaveLength(13);
    expect(weeks.map((w) => parisDate(w.start)).slice(0, 3)).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    expect(parisDate(weeks[0]!.end)).toBe('2026-11-29');
    expect(parisDate(weeks[12]!.end)).toBe('2027-02-21');
    expect(weeks.every((w) => w.total === 0 && w.unsaved === 0)).toBe(true);
  });

  it('puts each deletion in its week, by calendar day, and counts the unsaved ones', () => {
    const weeks = weeklyDeletions(
      [row(0), row(6, 'saved'), row(7), row(8, 'stale'), row(13, 'saved'), row(90), row(91), row(-1)],
      NOW,
    );
    expect(weeks.map((w) => [w.total, w.unsaved])).toEqual([
      [2, 1],
      [3, 2],
      ...Array.from({ length: 10 }, () => [0, 0]),
      [1, 1],
    ]);
  });

  it('counts late-evening deletions on their Paris day, across the clock change', () => {
    // 23:30 in Paris on 28 March 2027 is still day 6 of the week starting on 22 March.
    const monday = new Date('2027-03-22T09:00:00+01:00');
    const weeks = weeklyDeletions([{ deadline: new Date('2027-03-28T23:30:00+02:00'), archive: 'never' }], monday);
    expect(weeks[0]?.total).toBe(1);
  });
});
