import { describe, expect, it } from 'vitest';
import { addDays, addMonths, calendarDaysBetween, parisDate, parseFrenchDate } from '@/lib/platform/time';

describe('Paris calendar', () => {
  it('reads the Paris date, not the UTC one', () => {
    expect(parisDate(new Date('2026-03-14T23:30:00Z'))).toBe('2026-03-15'); // 00:30 in Paris (UTC+1)
    expect(parisDate(new Date('2026-07-14T22:30:00Z'))).toBe('2026-07-15'); // 00:30 in Paris (UTC+2)
  });

  it('counts calendar days, whatever the hour', () => {
    expect(calendarDaysBetween(new Date('2026-11-23T08:00:00+01:00'), new Date('2026-11-23T23:59:00+01:00'))).toBe(0);
    expect(calendarDaysBetween(new Date('2026-11-23T23:59:00+01:00'), new Date('2026-11-24T00:01:00+01:00'))).toBe(1);
    expect(calendarDaysBetween(new Date('2026-11-24T10:00:00+01:00'), new Date('2026-11-20T10:00:00+01:00'))).toBe(-4);
  });

  it('counts across daylight-saving changes without drifting', () => {
    // 29 March 2026: clocks go forward; 25 October 2026: back.
    expect(calendarDaysBetween(new Date('2026-03-28T12:00:00+01:00'), new Date('2026-03-30T12:00:00+02:00'))).toBe(2);
    expect(calendarDaysBetween(new Date('2026-10-24T00:30:00+02:00'), new Date('2026-10-26T00:30:00+01:00'))).toBe(2);
    expect(calendarDaysBetween(new Date('2026-01-01T00:00:00+01:00'), new Date('2026-12-31T23:00:00+01:00'))).toBe(364);
  });

  it('adds months like Rails: clamped to the month end, same wall-clock time', () => {
    expect(addMonths(new Date('2026-01-31T10:00:00+01:00'), 1).toISOString()).toBe('2026-02-28T09:00:00.000Z');
    expect(addMonths(new Date('2027-12-31T10:00:00+01:00'), 2).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(addMonths(new Date('2026-03-31T10:00:00+02:00'), -1).toISOString()).toBe('2026-02-28T09:00:00.000Z');
    // Winter to summer time: 10:00 stays 10:00 in Paris.
    expect(addMonths(new Date('2026-02-15T10:00:00+01:00'), 2).toISOString()).toBe('2026-04-15T08:00:00.000Z');
    expect(addMonths(new Date('2026-05-10T10:00:00+02:00'), 12).toISOString()).toBe('2027-05-10T08:00:00.000Z');
  });

  it('adds days at the same wall-clock time across DST', () => {
    expect(addDays(new Date('2026-10-20T09:00:00+02:00'), 14).toISOString()).toBe('2026-11-03T08:00:00.000Z');
  });

  it('handles the spring gap and the autumn overlap', () => {
    // 02:30 does not exist on 29 March 2026: moved forward.
    expect(addMonths(new Date('2026-02-28T02:30:00+01:00'), 1).toISOString()).toBe('2026-03-28T01:30:00.000Z');
    expect(parisDate(addDays(new Date('2026-03-28T02:30:00+01:00'), 1))).toBe('2026-03-29');
    expect(parisDate(addDays(new Date('2026-10-24T02:30:00+02:00'), 1))).toBe('2026-10-25');
  });

  it('parses the dd/mm/yyyy of DS pages as Paris midnight', () => {
    expect(parseFrenchDate('24/01/2026')?.toISOString()).toBe('2026-01-23T23:00:00.000Z');
    expect(parseFrenchDate('15/07/2026')?.toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(parseFrenchDate('2026-01-24')).toBeNull();
  });
});
