/**
 * Updates that arrive faster than a person can read them (a bulk archive writes dozens of dossiers
 * a second), applied together at most every `everyMs`: each application re-renders the page, and
 * rendering each dossier cost the archive as much CPU as hashing its files. The first update waits
 * `everyMs` at most; {@link BatchedUpdates.flush} applies what waits at once (a part written, the end).
 */
export class BatchedUpdates<T> {
  #pending: T[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly apply: (updates: T[]) => void,
    private readonly everyMs: number,
  ) {}

  add(update: T): void {
    this.#pending.push(update);
    this.#timer ??= setTimeout(() => this.flush(), this.everyMs);
  }

  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.length === 0) return;
    const updates = this.#pending;
    this.#pending = [];
    this.apply(updates);
  }
}
