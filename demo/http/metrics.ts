/**
 * Request counters by route kind (`graphql`, `page:dossier-list`, `file`…), so benchmarks can report
 * "requests per sync" and tests can assert that a feature stayed within its budget.
 */
import type { RouteKind } from './server';

export type RequestCounts = Partial<Record<RouteKind, number>> & { total: number };

export class Metrics {
  private counts: RequestCounts = { total: 0 };
  private bodyBytes = 0;

  count(kind: RouteKind): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.counts.total += 1;
  }

  /** Bytes of file and download bodies sent (attachments, PDFs, ZIPs, exports). */
  addBytes(bytes: number): void {
    this.bodyBytes += bytes;
  }

  snapshot(): { requests: RequestCounts; downloadedBytes: number } {
    return { requests: { ...this.counts }, downloadedBytes: this.bodyBytes };
  }

  reset(): void {
    this.counts = { total: 0 };
    this.bodyBytes = 0;
  }
}
