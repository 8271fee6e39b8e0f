import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';

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

/**
 * A sync under way, written when it starts and erased when it ends: found at a worker's start, it
 * says the browser stopped the previous worker mid-sync. Its alarm wakes a stopped worker within a
 * minute, so an interrupted sync resumes (from the cursors it persisted) instead of waiting hours for
 * the next periodic one.
 */
export const SYNC_RESUME_ALARM = 'archiviste-sync-resume';
/** Resumes of one interrupted sync at most: a sync that kills its worker every time must not loop. */
export const MAX_SYNC_RESUMES = 3;

export interface SyncUnderWay {
  /** The instances asked for; null for all. */
  origins: string[] | null;
  /** How many times this sync was already resumed after an interruption. */
  resumes: number;
}

const underWayItem = storage.defineItem<SyncUnderWay | null>('local:syncUnderWay', { fallback: null });

export const syncUnderWay = {
  get: () => underWayItem.getValue(),
  async start(run: SyncUnderWay): Promise<void> {
    await underWayItem.setValue(run);
    await browser.alarms.create(SYNC_RESUME_ALARM, { delayInMinutes: 1, periodInMinutes: 1 });
  },
  async end(): Promise<void> {
    await underWayItem.setValue(null);
    await browser.alarms.clear(SYNC_RESUME_ALARM);
  },
};
