/**
 * Rack::Attack's `/api/v2/graphql` throttle: 400 requests per minute, keyed on the Authorization
 * header, fixed one-minute windows on the real clock. Throttled calls get 429 with `Retry-After`,
 * `RateLimit-Remaining: 0` and `RateLimit-Reset: <epoch>`.
 */
export const DEFAULT_LIMIT = 400;
const PERIOD_S = 60;

export type Throttle = { allowed: true } | { allowed: false; retryAfter: number; reset: number };

export class RateLimiter {
  private counts = new Map<string, number>();
  private window = -1;

  check(key: string, limit: number, nowMs = Date.now()): Throttle {
    const epoch = Math.floor(nowMs / 1000);
    const window = Math.floor(epoch / PERIOD_S);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= limit) return { allowed: true };
    const retryAfter = PERIOD_S - (epoch % PERIOD_S);
    return { allowed: false, retryAfter, reset: epoch + retryAfter };
  }

  reset(): void {
    this.counts.clear();
  }
}

export const THROTTLED_BODY =
  "Calme toi, cowboy ! T'enchaines un peu trop les requêtes. Respire un peu réessaie dans un petit moment.\n" +
  "Calm down, cowboy! You're making too many requests. Take a breather and try again soon.\n";
