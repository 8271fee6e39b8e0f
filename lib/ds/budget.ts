import { API_RATE_LIMIT_PER_MINUTE } from './rules';

/** Our own ceiling, well under DS's 400 requests per minute per token. */
export const BUDGET_PER_MINUTE = 300;
const MINUTE_MS = 60_000;

export interface Clock {
  /** Milliseconds, like `Date.now()`. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A sliding-window budget: `take()` resolves once sending one more request keeps the last minute
 * under the limit, so a long scan waits instead of meeting DS's 429.
 */
export class RequestBudget {
  readonly #sent: number[] = [];

  constructor(
    readonly limit: number = BUDGET_PER_MINUTE,
    private readonly clock: Clock = realClock,
  ) {
    if (limit < 1 || limit >= API_RATE_LIMIT_PER_MINUTE) throw new RangeError(`Budget must stay under DS's limit`);
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.#sent.length && this.#sent[0]! <= now - MINUTE_MS) this.#sent.shift();
      if (this.#sent.length < this.limit) {
        this.#sent.push(now);
        return;
      }
      await this.clock.sleep(this.#sent[0]! + MINUTE_MS - now);
    }
  }
}

const shared = new Map<string, RequestBudget>();

/**
 * DS counts requests per token (its throttle is keyed on the Authorization header); Archiviste keeps
 * one token per instance, so one budget per origin, shared by every client of that origin.
 */
export function budgetFor(origin: string): RequestBudget {
  let budget = shared.get(origin);
  if (!budget) {
    budget = new RequestBudget();
    shared.set(origin, budget);
  }
  return budget;
}
