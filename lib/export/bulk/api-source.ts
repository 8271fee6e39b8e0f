import type { DsApiClient } from '@/lib/ds/api';
import { type Clock, realClock } from '@/lib/ds/budget';
import { EXPORT_BATCH_SIZE, type ExportDossierNode } from '@/lib/ds/queries';
import { DossierNotFoundError } from '../api-export';
import { type DossierEntries, dossierZipEntries } from '../build-zip';
import type { DownloadQueue } from '../download-queue';
import { type ExportPlan, planDossierExport } from '../plan';
import type { ArchiveSource } from './archive-part';

/**
 * A bulk archive's dossiers through the API: asked {@link EXPORT_BATCH_SIZE} at a time, in the
 * archive's order, as the writer nears them (signed URLs are fresh when used, and a slow archive
 * never holds URLs older than DS's hour: each dossier asks again for its own when they age); every
 * file through the one shared {@link DownloadQueue}, verified against DS's MD5 as in a single
 * dossier's ZIP.
 */
const API_LOOKAHEAD = 16;

export interface ApiSourceOptions {
  client: Pick<DsApiClient, 'exportDossier' | 'exportDossiers' | 'origin'>;
  /** The archive's dossiers, in order: batches follow it. */
  dossiers: readonly number[];
  /**
   * Dossiers known to be in DS's corbeille. DS's API answers a batch holding one it no longer gives
   * with an error for the whole batch, then the batch is asked again without it: these are asked
   * one by one instead (a quick « not found » each, or the dossier if DS gives it after all).
   */
  alone?: ReadonlySet<number>;
  queue: DownloadQueue;
  explain: (error: unknown) => string;
  csvSeparator?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  exportedAt: Date;
}

export function apiArchiveSource(options: ApiSourceOptions): ArchiveSource {
  const clock = options.clock ?? realClock;
  const batches = new Map<number, Promise<{ nodes: Map<number, ExportDossierNode>; at: number }>>();
  const alone = options.alone ?? new Set<number>();
  const batched = options.dossiers.filter((number) => !alone.has(number));
  const indexOf = new Map(batched.map((number, index) => [number, index]));

  const fetchBatch = (first: number) => {
    let batch = batches.get(first);
    if (!batch && first < batched.length) {
      const numbers = batched.slice(first, first + EXPORT_BATCH_SIZE);
      batch = options.client.exportDossiers(numbers).then((nodes) => ({ nodes, at: clock.now() }));
      batch.catch(() => {});
      batches.set(first, batch);
    }
    return batch;
  };
  /** The batch holding `number`; the next one is asked for at once, so the archive never waits at a batch's end. */
  const batchOf = (number: number) => {
    const first = Math.floor((indexOf.get(number) ?? 0) / EXPORT_BATCH_SIZE) * EXPORT_BATCH_SIZE;
    const batch = fetchBatch(first)!;
    fetchBatch(first + EXPORT_BATCH_SIZE);
    return batch;
  };

  const fetchPlan = async (number: number) => {
    const node = await options.client.exportDossier(number);
    if (!node) throw new DossierNotFoundError(number);
    return planDossierExport(node, clock.now());
  };

  return {
    async prepare(number: number, signal: AbortSignal): Promise<DossierEntries> {
      let plan: ExportPlan;
      if (alone.has(number)) plan = await fetchPlan(number);
      else {
        const { nodes, at } = await batchOf(number);
        const node = nodes.get(number);
        if (!node) throw new DossierNotFoundError(number);
        // The batch's answer is not needed again: let it go as the archive moves on.
        nodes.delete(number);
        plan = planDossierExport(node, at);
      }
      return dossierZipEntries({
        plan,
        refreshPlan: () => fetchPlan(number),
        queue: options.queue,
        origin: options.client.origin,
        csvSeparator: options.csvSeparator,
        fetch: options.fetch,
        clock,
        exportedAt: options.exportedAt,
        signal,
      });
    },
    explain: options.explain,
    // Files wait in the shared queue, which bounds memory: look far enough ahead to keep it busy.
    lookahead: API_LOOKAHEAD,
  };
}
