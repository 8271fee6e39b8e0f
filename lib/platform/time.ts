import { DS_TIME_ZONE } from '@/lib/ds/rules';

/**
 * Calendar arithmetic in DS's time zone (Europe/Paris), without a date library: days left and
 * month additions must not drift across daylight-saving changes or month ends.
 */

const DAY_MS = 86_400_000;
const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: DS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
/**
 * Paris's UTC offset, per UTC hour: it only changes on an hour (01:00 UTC, twice a year), and
 * `formatToParts` is slow enough to dominate the timelines of thousands of dossiers.
 */
const offsetByHour = new Map<number, number>();

function parisOffsetMs(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const p = Object.fromEntries(partsFormat.formatToParts(new Date(start)).map((part) => [part.type, part.value]));
    offset =
      Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) -
      start;
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** An instant's Paris wall clock (year, month 1–12, day, hour, minute, second). */
export function wallClock(instant: Date): WallClock {
  const shifted = new Date(instant.getTime() + parisOffsetMs(instant.getTime()));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/** The Paris calendar date of an instant, as `YYYY-MM-DD`. */
export function parisDate(instant: Date): string {
  const { year, month, day } = wallClock(instant);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The Paris calendar month of an instant, as `YYYY-MM` (DS's monthly archives are by Paris month). */
export function parisMonth(instant: Date): string {
  return parisDate(instant).slice(0, 7);
}

/** Whole calendar days from `from` to `to` in Paris (0 = same day, negative = in the past). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.round((Date.parse(parisDate(to)) - Date.parse(parisDate(from))) / DAY_MS);
}

/** The instant at which Paris wall-clock time reads `w` (the later one in the autumn overlap). */
function fromWallClock(w: WallClock): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // Paris is UTC+1 or UTC+2: try both offsets and keep the one that reads back as `w`.
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(asUtc - offsetHours * 3_600_000);
    const back = wallClock(candidate);
    if (back.day === w.day && back.hour === w.hour) return candidate;
  }
  // In the spring gap (02:00-03:00 does not exist) Rails moves forward one hour.
  return new Date(asUtc - 3_600_000);
}

/** The instant at which Paris wall-clock time reads this date and time (DS prints Paris times). */
export function parisTime(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return fromWallClock({ year, month, day, hour, minute, second: 0 });
}

/** Adds calendar months in Paris time, clamping to the month's last day as Rails does. */
export function addMonths(instant: Date, months: number): Date {
  const w = wallClock(instant);
  const monthIndex = w.month - 1 + months;
  const year = w.year + Math.floor(monthIndex / 12);
  const month = (((monthIndex % 12) + 12) % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return fromWallClock({ ...w, year, month, day: Math.min(w.day, lastDay) });
}

/** Adds whole calendar days in Paris time (same wall-clock hour, whatever DST does). */
export function addDays(instant: Date, days: number): Date {
  const w = wallClock(instant);
  const target = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return fromWallClock({
    ...w,
    year: target.getUTCFullYear(),
    month: target.getUTCMonth() + 1,
    day: target.getUTCDate(),
  });
}

/** Parses DS's `dd/mm/yyyy` (page text) as midnight Paris time of that day. */
export function parseFrenchDate(text: string): Date | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  return fromWallClock({ year: Number(m[3]), month: Number(m[2]), day: Number(m[1]), hour: 0, minute: 0, second: 0 });
}
