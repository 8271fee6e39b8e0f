import type { MessageKey } from '@/lib/platform/i18n';
import type { Settings } from '@/lib/platform/settings';

/** The options page's settings form: what its fields show, and the settings they make once checked. */

export const SYNC_INTERVALS_HOURS = [1, 3, 6, 12, 24] as const;
export const CSV_SEPARATORS: readonly Settings['csvSeparator'][] = [';', ',', '\t'];
export const LANGUAGES: readonly Settings['language'][] = ['auto', 'fr', 'en'];
/** DS keeps dossiers at most 60 months; a year ahead is already more than any notice needs. */
const MAX_DAYS = 365;

export interface SettingsFields {
  leadTimeDays: string;
  /** The later reminders, « 7, 1 ». */
  reminders: string;
  syncIntervalHours: string;
  csvSeparator: string;
  language: string;
}

export type FieldErrors = Partial<Record<keyof SettingsFields, MessageKey>>;

export function fieldsOf(settings: Settings): SettingsFields {
  return {
    leadTimeDays: String(settings.leadTimeDays),
    reminders: settings.thresholds.filter((days) => days < settings.leadTimeDays).join(', '),
    syncIntervalHours: String(settings.syncIntervalHours),
    csvSeparator: settings.csvSeparator,
    language: settings.language,
  };
}

const isDays = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_DAYS;

/** The thresholds are the lead time then the reminders, from the furthest to the nearest. */
export function parseSettingsFields(fields: SettingsFields): { settings: Settings } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const leadTimeDays = Number(fields.leadTimeDays.trim());
  if (!fields.leadTimeDays.trim() || !isDays(leadTimeDays)) errors.leadTimeDays = 'options_error_days';

  const reminders = fields.reminders
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);
  if (!reminders.every(isDays)) errors.reminders = 'options_error_reminders';
  else if (!errors.leadTimeDays && reminders.some((days) => days >= leadTimeDays)) {
    errors.reminders = 'options_error_reminders_order';
  }

  const syncIntervalHours = Number(fields.syncIntervalHours);
  if (!(SYNC_INTERVALS_HOURS as readonly number[]).includes(syncIntervalHours)) {
    errors.syncIntervalHours = 'options_error_choice';
  }
  const csvSeparator = CSV_SEPARATORS.find((separator) => separator === fields.csvSeparator);
  if (!csvSeparator) errors.csvSeparator = 'options_error_choice';
  const language = LANGUAGES.find((value) => value === fields.language);
  if (!language) errors.language = 'options_error_choice';

  if (Object.keys(errors).length > 0 || !csvSeparator || !language) return { errors };
  return {
    settings: {
      leadTimeDays,
      thresholds: [...new Set([leadTimeDays, ...reminders])].sort((a, b) => b - a),
      syncIntervalHours,
      csvSeparator,
      language,
    },
  };
}
