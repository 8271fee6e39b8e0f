import { storage } from 'wxt/utils/storage';

/**
 * The one `now()` of the extension. Demo builds (`--mode demo`) may shift it, so that tests and
 * `npm start` can travel in time together with the local DS instance's clock; production builds
 * compile the shift away.
 */
const demoOffset = storage.defineItem<number>('local:demoClockOffsetMs', { fallback: 0 });
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Loads the demo clock shift (no-op outside demo builds). Call once at start-up of each context. */
export async function initClock(): Promise<void> {
  if (import.meta.env.MODE !== 'demo') return;
  offsetMs = await demoOffset.getValue();
  demoOffset.watch((value) => {
    offsetMs = value ?? 0;
  });
}

/** Tests only: fixes the clock shift directly. */
export function setClockOffsetForTests(ms: number): void {
  offsetMs = ms;
}
