import type { ProblemCode, SyncProblem } from '@/lib/core/db';

/** A sync failure the user can act on: its code picks the French message and fix shown in the UI. */
export class SyncError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'SyncError';
  }
}

/**
 * The browser refused a database write for lack of space: IndexedDB's QuotaExceededError as Dexie
 * throws it, alone, as the cause of an aborted transaction, or among a bulk write's failures.
 */
export function isStorageFull(error: unknown): boolean {
  const failure = error as { name?: unknown; inner?: unknown; failures?: unknown } | null;
  if (!failure || typeof failure !== 'object') return false;
  if (failure.name === 'QuotaExceededError') return true;
  if (failure.inner && isStorageFull(failure.inner)) return true;
  const failures = failure.failures && typeof failure.failures === 'object' ? Object.values(failure.failures) : [];
  return failures.some(isStorageFull);
}

/** Any thrown value as a stored problem; unknown failures count as "DS unreachable". */
export function problemOf(error: unknown, at: Date): SyncProblem {
  if (isStorageFull(error)) return { code: 'storage-full', at: at.toISOString() };
  const coded = error as { code?: unknown; detail?: unknown };
  const code = typeof coded?.code === 'string' ? (coded.code as ProblemCode) : 'unreachable';
  const detail = typeof coded?.detail === 'string' ? coded.detail : undefined;
  return { code, at: at.toISOString(), ...(detail ? { detail } : {}) };
}
