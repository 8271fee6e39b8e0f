import { addDays, calendarDaysBetween } from '@/lib/platform/time';
import { HORIZON_DAYS, type UpcomingRow } from '@/lib/view/upcoming';

/** Deletions per week over the popup's horizon: week 0 starts today (Paris calendar days). */

export const WEEKS = HORIZON_DAYS / 7;

export interface WeekBucket {
  /** First day of the week (today + 7 × index). */
  start: Date;
  /** Last day of the week. */
  end: Date;
  total: number;
  /** Of which not archived, or changed since. */
  unsaved: number;
}

export function weeklyDeletions(rows: readonly Pick<UpcomingRow, 'deadline' | 'archive'>[], now: Date): WeekBucket[] {
  const weeks: WeekBucket[] = Array.from({ length: WEEKS }, (_, index) => ({
    start: addDays(now, 7 * index),
    end: addDays(now, 7 * index + 6),
    total: 0,
    unsaved: 0,
  }));
  for (const row of rows) {
    const week = weeks[Math.floor(calendarDaysBetween(now, row.deadline) / 7)];
    if (!week) continue;
    week.total += 1;
    if (row.archive !== 'saved') week.unsaved += 1;
  }
  return weeks;
}
