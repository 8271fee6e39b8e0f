/**
 * What the export page shows while an archive runs: dossiers and bytes done out of the total, the
 * speed, the time left and the current dossier. Pure, so it is tested without a browser.
 */

export interface ProgressSample {
  /** Dossiers in written parts before this run started (a resumed archive). */
  doneBefore: number;
  /** Dossiers handed to the ZIP by this run. */
  doneNow: number;
  total: number;
  /** File bytes handed to the ZIP by this run. */
  bytesNow: number;
  /** Milliseconds this run has been working (pauses excluded). */
  elapsedMs: number;
}

export interface ProgressView {
  done: number;
  total: number;
  /** 0–100, whole. */
  percent: number;
  /** Bytes per second, this run; null before anything was written. */
  bytesPerSecond: number | null;
  /** Milliseconds left at this run's pace; null until the pace is known. */
  remainingMs: number | null;
}

export function progressView(sample: ProgressSample): ProgressView {
  const done = Math.min(sample.total, sample.doneBefore + sample.doneNow);
  const seconds = sample.elapsedMs / 1000;
  const percent = sample.total === 0 ? 100 : Math.floor((done / sample.total) * 100);
  const bytesPerSecond = sample.bytesNow > 0 && seconds > 0 ? sample.bytesNow / seconds : null;
  const left = sample.total - done;
  const remainingMs = sample.doneNow > 0 ? Math.round((sample.elapsedMs / sample.doneNow) * left) : null;
  return { done, total: sample.total, percent, bytesPerSecond, remainingMs };
}

/** `1 h 05 min`, `3 min 20 s`, `12 s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  return `${seconds} s`;
}
