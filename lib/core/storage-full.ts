/**
 * The browser refused a database write for lack of space: IndexedDB's QuotaExceededError as Dexie
 * throws it, alone, as the cause of an aborted transaction, or among a bulk write's failures.
 * Core knowledge (no extension API), so the sync and exports classify it wherever they run.
 */
export function isStorageFull(error: unknown): boolean {
  const failure = error as { name?: unknown; inner?: unknown; failures?: unknown } | null;
  if (!failure || typeof failure !== 'object') return false;
  if (failure.name === 'QuotaExceededError') return true;
  if (failure.inner && isStorageFull(failure.inner)) return true;
  const failures = failure.failures && typeof failure.failures === 'object' ? Object.values(failure.failures) : [];
  return failures.some(isStorageFull);
}
