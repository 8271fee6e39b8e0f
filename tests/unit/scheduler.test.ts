import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isSyncDue, lastSyncRun, SYNC_ALARM, scheduleSync } from '@/lib/platform/scheduler';

describe('scheduler', () => {
  it('creates the periodic alarm once, and again when the interval changes', async () => {
    await scheduleSync(6);
    expect((await fakeBrowser.alarms.get(SYNC_ALARM))?.periodInMinutes).toBe(360);
    await scheduleSync(6);
    expect(await fakeBrowser.alarms.getAll()).toHaveLength(1);
    await scheduleSync(12);
    expect((await fakeBrowser.alarms.get(SYNC_ALARM))?.periodInMinutes).toBe(720);
  });

  it('never polls more often than every 30 minutes', async () => {
    await scheduleSync(0.1);
    expect((await fakeBrowser.alarms.get(SYNC_ALARM))?.periodInMinutes).toBe(30);
  });

  it('catches up at start-up when a sync was missed', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(isSyncDue(null, 6, now)).toBe(true);
    expect(isSyncDue('2026-11-23T07:00:00Z', 6, now)).toBe(false);
    expect(isSyncDue('2026-11-23T06:00:00Z', 6, now)).toBe(true);
    await lastSyncRun.set(now);
    expect(await lastSyncRun.get()).toBe(now.toISOString());
  });
});
