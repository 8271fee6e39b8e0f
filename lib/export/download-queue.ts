/**
 * One queue for the file downloads of an export, shared by every dossier of a bulk archive: at most
 * `concurrency` downloads in flight, and at most `bufferBytes` downloaded and not yet written into
 * the ZIP. Tasks start in the order they were submitted: the dossier being written always gets its
 * files before the dossiers queued behind it, so a full buffer can never wait on itself, and the
 * network stays busy across dossier boundaries (the next dossiers' files are already coming).
 *
 * A file's weight is its size when DS says it, {@link UNKNOWN_SIZE_WEIGHT} otherwise; a file larger
 * than the whole buffer waits until the buffer is empty, then goes alone.
 */

export const UNKNOWN_SIZE_WEIGHT = 1 << 20;
export const DEFAULT_BUFFER_BYTES = 64 << 20;

interface Waiting {
  weight: number;
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class DownloadQueue {
  readonly #concurrency: number;
  readonly #bufferBytes: number;
  readonly #waiting: Waiting[] = [];
  #running = 0;
  #held = 0;

  constructor(options: { concurrency: number; bufferBytes?: number }) {
    this.#concurrency = Math.max(1, Math.floor(options.concurrency));
    this.#bufferBytes = Math.max(1, options.bufferBytes ?? DEFAULT_BUFFER_BYTES);
  }

  /** What a file of `size` bytes (null: unknown) holds of the buffer until {@link release}. */
  weightOf(size: number | null): number {
    return Math.min(size ?? UNKNOWN_SIZE_WEIGHT, this.#bufferBytes);
  }

  /**
   * Runs `task` once a download slot and `weight` bytes of buffer are free, in submission order. The
   * weight stays held after the task settles, until the caller {@link release}s it (its bytes
   * written into the ZIP, or dropped).
   */
  submit<T>(weight: number, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ weight, run: task, resolve: resolve as (value: unknown) => void, reject });
      this.#pump();
    });
  }

  release(weight: number): void {
    this.#held = Math.max(0, this.#held - weight);
    this.#pump();
  }

  #pump(): void {
    while (this.#waiting.length > 0 && this.#running < this.#concurrency) {
      const head = this.#waiting[0]!;
      if (this.#held > 0 && this.#held + head.weight > this.#bufferBytes) return;
      this.#waiting.shift();
      this.#running++;
      this.#held += head.weight;
      let running: Promise<unknown>;
      try {
        running = head.run();
      } catch (error) {
        // A task that throws at once (e.g. its export was stopped) settles like one that rejects.
        running = Promise.reject(error);
      }
      running.then(head.resolve, head.reject).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }
}
