import { storage } from 'wxt/utils/storage';

/**
 * User preferences. They live in `storage.local` (content scripts may read them: nothing secret
 * here; the API token is in the extension database, see lib/core/secrets.ts).
 */
export interface Settings {
  /** Notify this many days before deletion (the first threshold). */
  leadTimeDays: number;
  /** Days-ahead thresholds that each raise one digest per démarche. */
  thresholds: number[];
  syncIntervalHours: number;
  csvSeparator: ';' | ',' | '\t';
  language: 'auto' | 'fr' | 'en';
}

export const DEFAULT_SETTINGS: Settings = {
  leadTimeDays: 30,
  thresholds: [30, 7, 1],
  syncIntervalHours: 6,
  csvSeparator: ';',
  language: 'auto',
};

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

export async function getSettings(): Promise<Settings> {
  return { ...DEFAULT_SETTINGS, ...(await settingsItem.getValue()) };
}

export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await getSettings()), ...patch };
  await settingsItem.setValue(next);
  return next;
}
