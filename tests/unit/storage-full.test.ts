import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { isStorageFull } from '@/lib/core/storage-full';
import { problemOf } from '@/lib/core/sync/errors';

/** The browser's « no space » as Dexie throws it, wherever Dexie puts it. */
describe('isStorageFull', () => {
  const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

  it('recognises the quota error alone, as an aborted transaction’s cause, and in a bulk write', () => {
    expect(isStorageFull(new Dexie.QuotaExceededError('full'))).toBe(true);
    expect(isStorageFull(quota())).toBe(true);
    expect(isStorageFull(new Dexie.AbortError('aborted', quota()))).toBe(true);
    expect(isStorageFull(new Dexie.BulkError('bulkPut failed', { 3: quota() }))).toBe(true);
  });

  it('leaves every other failure alone', () => {
    expect(isStorageFull(new Dexie.AbortError('aborted', new Error('other')))).toBe(false);
    expect(isStorageFull(new Dexie.ConstraintError('duplicate'))).toBe(false);
    expect(isStorageFull(new TypeError('Failed to fetch'))).toBe(false);
    expect(isStorageFull(null)).toBe(false);
  });

  it('becomes the « storage-full » problem', () => {
    const at = new Date('2026-01-15T09:00:00Z');
    expect(problemOf(new Dexie.AbortError('aborted', quota()), at)).toEqual({
      code: 'storage-full',
      at: at.toISOString(),
    });
  });
});
