/**
 * The demo's settable clock: real time plus an offset, so it keeps ticking like a server clock but
 * tests can jump to any date (D-31, D-14, D-7…) without waiting. Everything time-dependent in the
 * demo (expiry jobs, signed URLs, exports) reads it; only the API rate limiter uses real time, because
 * clients compare its `RateLimit-Reset` epoch with their own clock.
 */
export interface DemoClock {
  now(): Date;
  /** Jumps to an instant (ISO string or Date); the clock keeps ticking from there. */
  set(at: string | Date): void;
  /** Moves forward (or back, with a negative value) by `ms` milliseconds. */
  advance(ms: number): void;
  /** Called after every `set` / `advance` (the instance runs the daily jobs the jump crossed). */
  onChange(listener: () => void): void;
}

function instantOf(at: string | Date): number {
  const instant = new Date(at).getTime();
  if (Number.isNaN(instant)) throw new Error(`Invalid date: ${String(at)}`);
  return instant;
}

export function createClock(start?: string | Date): DemoClock {
  let offset = start === undefined ? 0 : instantOf(start) - Date.now();
  const listeners: Array<() => void> = [];
  const changed = () => {
    for (const listener of listeners) listener();
  };
  return {
    now: () => new Date(Date.now() + offset),
    set(at) {
      offset = instantOf(at) - Date.now();
      changed();
    },
    advance(ms) {
      offset += ms;
      changed();
    },
    onChange: (listener) => listeners.push(listener),
  };
}
