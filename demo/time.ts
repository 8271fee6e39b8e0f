/**
 * Europe/Paris calendar arithmetic. DS runs with `config.time_zone = 'Paris'`: its cron jobs fire at
 * Paris wall-clock times, `+ 2.weeks` / `+ 12.months` advance the Paris calendar (keeping the wall
 * time across DST changes), and every date it prints is Paris time. The demo does the same.
 */

export const DAY_MS = 86_400_000;
const ZONE = 'Europe/Paris';

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

const HOUR_MS = 3_600_000;
/** Paris' UTC offset only changes on the hour, so it is cached per UTC hour (Intl is slow). */
const offsetsByHour = new Map<number, number>();

/** Minutes to add to UTC to get Paris wall time at that instant (60 in winter, 120 in summer). */
function offsetMinutes(instant: number): number {
  const hour = Math.floor(instant / HOUR_MS);
  let offset = offsetsByHour.get(hour);
  if (offset === undefined) {
    const at = hour * HOUR_MS;
    const wall: Record<string, number> = {};
    for (const part of partsFormat.formatToParts(new Date(at))) {
      if (part.type !== 'literal') wall[part.type] = Number(part.value);
    }
    offset = Math.round((Date.UTC(wall.year!, wall.month! - 1, wall.day!, wall.hour!, wall.minute!) - at) / 60_000);
    offsetsByHour.set(hour, offset);
  }
  return offset;
}

export function parisWallTime(date: Date): WallTime {
  const wall = new Date(date.getTime() + offsetMinutes(date.getTime()) * 60_000);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** The instant of a Paris wall time (in a DST gap, the instant one hour later, as Rails does). */
export function fromParis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  let instant = asUtc - offsetMinutes(asUtc) * 60_000;
  instant = asUtc - offsetMinutes(instant) * 60_000;
  return new Date(instant);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `time + n.months`: same wall time, day clamped to the end of the target month. */
export function addMonths(date: Date, months: number): Date {
  const w = parisWallTime(date);
  const index = w.year * 12 + (w.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(w.day, daysInMonth(year, month));
  return fromParis(year, month, day, w.hour, w.minute, w.second, date.getUTCMilliseconds());
}

/** `time + n.days` / `n.weeks`: calendar days, keeping the Paris wall time. */
export function addDays(date: Date, days: number): Date {
  const w = parisWallTime(date);
  return fromParis(w.year, w.month, w.day + days, w.hour, w.minute, w.second, date.getUTCMilliseconds());
}

/** The Paris calendar day of an instant as a day count (for `date.to_date - Date.current`). */
export function parisDayNumber(date: Date): number {
  const instant = date.getTime();
  return Math.floor((instant + offsetMinutes(instant) * 60_000) / DAY_MS);
}

/** The instant at `hour`:00 Paris time on a day given by `parisDayNumber`. */
export function parisInstantOnDay(dayNumber: number, hour: number): Date {
  const day = new Date(dayNumber * DAY_MS);
  return fromParis(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-01-24T11:05:00+01:00`, as graphql-ruby's ISO8601DateTime prints a Paris time. */
export function iso8601(date: Date): string {
  const w = parisWallTime(date);
  const offset = offsetMinutes(date.getTime());
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** `2026-01-24` (ISO8601Date). */
export function isoDate(date: Date): string {
  const w = parisWallTime(date);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** `24/01/2026` (`l(date, '%d/%m/%Y')`). */
export function frenchShortDate(date: Date): string {
  const w = parisWallTime(date);
  return `${pad(w.day)}/${pad(w.month)}/${w.year}`;
}

/** French month names, as DS's `I18n.l` writes them. */
export const FRENCH_MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** `24 janvier 2026 11:05`: DS's French `time.formats.default` (`%d %B %Y %R`). */
export function frenchDateTime(date: Date): string {
  const w = parisWallTime(date);
  return `${pad(w.day)} ${FRENCH_MONTHS[w.month - 1]} ${w.year} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** `24-01-2026-11-05`: the stamp DS puts in the file names of a dossier ZIP (`%d-%m-%Y-%H-%M`). */
export function fileNameStamp(date: Date): string {
  const w = parisWallTime(date);
  return `${pad(w.day)}-${pad(w.month)}-${w.year}-${pad(w.hour)}-${pad(w.minute)}`;
}

/** `2026-01-24_11-05`: the stamp of export file names (`%Y-%m-%d_%H-%M`). */
export function exportNameStamp(date: Date): string {
  const w = parisWallTime(date);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}_${pad(w.hour)}-${pad(w.minute)}`;
}

/** `2026-01-24T10:05:00.000000000Z`: the UTC timestamp inside DS's pagination cursors (`%N`). */
export function cursorTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000000Z`;
}
