import { storage } from 'wxt/utils/storage';

/**
 * When the browser last refused a database write for lack of space (the extension's quota, the
 * disk), for the status line; null once a write went through again. Kept in `storage.local`, outside
 * the database that is full.
 */
export const storageFullSince = storage.defineItem<string | null>('local:storageFullSince', { fallback: null });

export async function noteStorageFull(at: Date): Promise<void> {
  await storageFullSince.setValue(at.toISOString());
}

/** A database write went through: the storage is no longer full. */
export async function noteStorageWritten(): Promise<void> {
  if (await storageFullSince.getValue()) await storageFullSince.removeValue();
}
