import { browser } from 'wxt/browser';
import { storage } from '#imports';

/**
 * The periodic sync alarm. Chrome may drop alarms across restarts, so it is re-created on install
 * and start-up; a sync that should have run while the browser was closed runs at start-up.
 */
export const SYNC_ALARM = 'archiviste-sync';

const lastRunItem = storage.defineItem<string | null>('local:lastSyncRunAt', { fallback: null });

export async function scheduleSync(intervalHours: number): Promise<void> {
  const periodInMinutes = Math.max(30, Math.round(intervalHours * 60));
  const existing = await browser.alarms.get(SYNC_ALARM);
  if (existing?.periodInMinutes === periodInMinutes) return;
  await browser.alarms.create(SYNC_ALARM, { periodInMinutes, delayInMinutes: periodInMinutes });
}

export function isSyncDue(lastRunAt: string | null, intervalHours: number, now: Date): boolean {
  return lastRunAt === null || now.getTime() - Date.parse(lastRunAt) >= intervalHours * 3_600_000;
}

export const lastSyncRun = {
  get: () => lastRunItem.getValue(),
  set: (at: Date) => lastRunItem.setValue(at.toISOString()),
};
