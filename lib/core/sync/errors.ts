import type { ProblemCode, SyncProblem } from '@/lib/core/db';
import { isStorageFull } from '@/lib/core/storage-full';

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

/** Any thrown value as a stored problem; unknown failures count as "DS unreachable". */
export function problemOf(error: unknown, at: Date): SyncProblem {
  if (isStorageFull(error)) return { code: 'storage-full', at: at.toISOString() };
  const coded = error as { code?: unknown; detail?: unknown };
  const code = typeof coded?.code === 'string' ? (coded.code as ProblemCode) : 'unreachable';
  const detail = typeof coded?.detail === 'string' ? coded.detail : undefined;
  return { code, at: at.toISOString(), ...(detail ? { detail } : {}) };
}
