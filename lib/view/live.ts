import { type ReadonlySignal, useSignal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { useEffect } from 'preact/hooks';
import { DEFAULT_SETTINGS, getSettings, type Settings, settingsItem } from '@/lib/platform/settings';
import { storageFullSince } from '@/lib/platform/storage-full';

/**
 * Database rows and stored settings as signals that follow every change, whoever made it (the
 * background's sync, another extension page). `undefined` until the first answer.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: readonly unknown[] = []): ReadonlySignal<T | undefined> {
  const result = useSignal<T | undefined>(undefined);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        result.value = value;
      },
      error: (error: unknown) => console.error('Archiviste: live query failed', error),
    });
    return () => subscription.unsubscribe();
  }, deps);
  return result;
}

/** The settings, with defaults for what was never saved. */
export function useSettings(): ReadonlySignal<Settings | undefined> {
  const result = useSignal<Settings | undefined>(undefined);
  useEffect(() => {
    let live = true;
    getSettings().then((settings) => {
      if (live) result.value = settings;
    });
    const unwatch = settingsItem.watch((settings) => {
      result.value = { ...DEFAULT_SETTINGS, ...settings };
    });
    return () => {
      live = false;
      unwatch();
    };
  }, []);
  return result;
}

/** When the browser last refused a database write for lack of space; null while writes go through. */
export function useStorageFullSince(): ReadonlySignal<string | null> {
  const result = useSignal<string | null>(null);
  useEffect(() => {
    let live = true;
    storageFullSince.getValue().then((since) => {
      if (live) result.value = since;
    });
    const unwatch = storageFullSince.watch((since) => {
      result.value = since;
    });
    return () => {
      live = false;
      unwatch();
    };
  }, []);
  return result;
}
