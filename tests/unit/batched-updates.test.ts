import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchedUpdates } from '@/lib/view/batched-updates';

describe('BatchedUpdates', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies what arrived within the period at once, at its end', () => {
    const applied: number[][] = [];
    const updates = new BatchedUpdates<number>((batch) => applied.push(batch), 250);
    updates.add(1);
    updates.add(2);
    vi.advanceTimersByTime(249);
    expect(applied).toEqual([]);
    updates.add(3);
    vi.advanceTimersByTime(1);
    expect(applied).toEqual([[1, 2, 3]]);
    updates.add(4);
    vi.advanceTimersByTime(250);
    expect(applied).toEqual([[1, 2, 3], [4]]);
  });

  it('flush applies what waits now, once, and nothing when nothing waits', () => {
    const applied: number[][] = [];
    const updates = new BatchedUpdates<number>((batch) => applied.push(batch), 250);
    updates.flush();
    updates.add(1);
    updates.flush();
    vi.advanceTimersByTime(1_000);
    expect(applied).toEqual([[1]]);
  });
});
