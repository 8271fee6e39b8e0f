import { signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { DS_TIME_ZONE } from '@/lib/ds/rules';
import { DEFAULT_SETTINGS, getSettings, type Settings, settingsItem } from '@/lib/platform/settings';
import en from '@/public/_locales/en/messages.json';
import fr from '@/public/_locales/fr/messages.json';

/**
 * The UI strings. `public/_locales/*` stay the one source of truth: the browser reads them for the
 * manifest, and the pages bundle them so that the "language" setting can override the browser's
 * choice. `t()` reads the `locale` signal, so a component that calls it re-renders when the
 * language changes.
 */

export type Locale = 'fr' | 'en';
export type MessageKey = keyof typeof fr;

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
const BUNDLES: Record<Locale, Partial<Record<string, Message>>> = { fr, en };
const TAGS: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export const locale = signal<Locale>('fr');

/** `auto` follows the browser's UI language; French unless it is English, as the manifest's default. */
export function resolveLocale(setting: Settings['language'], uiLanguage: string): Locale {
  if (setting !== 'auto') return setting;
  return uiLanguage.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/** Loads the language setting and follows its changes. Call once at start-up of each page. */
export async function initI18n(): Promise<void> {
  // In a service worker Chromium answers `i18n.getUILanguage()` with its build's default (en-US)
  // where the pages get the user's language: there, the browser's language preference says it.
  const uiLanguage =
    typeof document === 'undefined' && globalThis.navigator?.language
      ? globalThis.navigator.language
      : browser.i18n.getUILanguage();
  const apply = (settings: Settings) => {
    locale.value = resolveLocale(settings.language, uiLanguage);
  };
  apply(await getSettings());
  settingsItem.watch((settings) => apply({ ...DEFAULT_SETTINGS, ...settings }));
}

/** Same substitution rules as `browser.i18n.getMessage`: named `$placeholders$`, `$1`…`$9`, `$$`. */
function substitute(entry: Message, substitutions: readonly (string | number)[]): string {
  const named = entry.message.replace(/\$([a-z0-9_@]+)\$/gi, (match, name: string) => {
    const placeholder = Object.entries(entry.placeholders ?? {}).find(
      ([key]) => key.toLowerCase() === name.toLowerCase(),
    );
    return placeholder ? placeholder[1].content : match;
  });
  return named.replace(/\$\$|\$([1-9])/g, (_, index?: string) =>
    index ? String(substitutions[Number(index) - 1] ?? '') : '$',
  );
}

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const entry = BUNDLES[locale.value][key] ?? BUNDLES.fr[key];
  return entry ? substitute(entry, substitutions) : key;
}

/** BCP 47 tag of the UI language, for `Intl`. */
function localeTag(): string {
  return TAGS[locale.value];
}

/** `05/12/2026`, the Paris calendar date (DS's). */
export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(localeTag(), { timeZone: DS_TIME_ZONE, dateStyle: 'short' }).format(date);
}

/** `05/12`, for chart axes. */
export function formatDayMonth(date: Date): string {
  return new Intl.DateTimeFormat(localeTag(), { timeZone: DS_TIME_ZONE, day: '2-digit', month: '2-digit' }).format(
    date,
  );
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** `4,1 Go`, `820 ko` (decimal units, like the file managers of the systems DS's users have). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  const key = `${localeTag()}|${unit}|${digits}`;
  let format = byteFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(localeTag(), {
      style: 'unit',
      unit: BYTE_UNITS[unit],
      unitDisplay: 'short',
      maximumFractionDigits: digits,
    });
    byteFormats.set(key, format);
  }
  return format.format(value);
}

/** Making a number format costs far more than using one: the export page formats bytes as they come. */
const byteFormats = new Map<string, Intl.NumberFormat>();

/** `mai 2026` for `2026-05`: a calendar month, named in the UI language. */
export function formatMonth(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  // Mid-month at noon UTC: the same month in every time zone.
  return new Intl.DateTimeFormat(localeTag(), { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(year, index - 1, 15, 12)),
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** `il y a 5 minutes`, `hier`, `à l’instant`: how long ago `then` was, seen from `now`. */
export function formatAgo(then: Date, now: Date): string {
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(localeTag(), { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return t('common_just_now');
}
