/**
 * Deterministic filler bytes for large attachments: one pseudo-random 1 MiB pool per seed, read
 * from a per-file starting offset and wrapped around, so gigabytes stream as zero-copy views.
 */
import { createRandom } from '../random';

const POOL_SIZE = 1 << 20;

export type Filler = (length: number, start: number) => Iterable<Uint8Array>;

export function createFiller(seed: string): Filler {
  const random = createRandom(seed, 'filler');
  const pool = new Uint8Array(POOL_SIZE);
  const words = new Uint32Array(pool.buffer);
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(random.next() * 0x1_0000_0000);

  return function* filler(length, start) {
    let position = start % POOL_SIZE;
    let remaining = length;
    while (remaining > 0) {
      const take = Math.min(remaining, POOL_SIZE - position, 256 * 1024);
      yield pool.subarray(position, position + take);
      remaining -= take;
      position = (position + take) % POOL_SIZE;
    }
  };
}
