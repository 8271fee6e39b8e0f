import { makeZip } from 'client-zip';
import type { DossierEntries, ExportResult, ZipInput } from '../build-zip';
import { deferred } from '../deferred';
import { describeMissing, type InventoryEntry, inventoryCsv, type MissingReason } from '../inventory';
import { dossierFolder } from '../layout';

/**
 * One ZIP of a bulk archive: DS's archive layout (`export/dossier-<n>/…`, API-AND-RULES §4), each
 * dossier as in its own ZIP (`dossier.json`, transcript, its `inventaire.csv`), then one
 * `inventaire.csv` at the archive's root for every file of every dossier, and DS's
 * `export/-LISTE-DES-FICHIERS-EN-ERREURS.txt` when anything is missing.
 *
 * Dossiers are prepared (their files queued for download) up to `lookahead` ahead of the one being
 * written, so the network never waits at a dossier boundary; what is held in memory is bounded by
 * the sources' shared download queue, never by the archive's size. The ZIP streams out (client-zip
 * writes Zip64 records when the archive passes 4 GB).
 */

export const ARCHIVE_ROOT = 'export/';
export const ARCHIVE_INVENTORY = 'inventaire.csv';
/** DS's own name for what its archive could not include. */
export const ARCHIVE_ERRORS = `${ARCHIVE_ROOT}-LISTE-DES-FICHIERS-EN-ERREURS.txt`;

/** Where a bulk archive's dossiers come from (API or session): one call per dossier, in order. */
export interface ArchiveSource {
  /** Starts dossier `number`'s downloads; rejects when the dossier cannot be had at all. */
  prepare(number: number, signal: AbortSignal): Promise<DossierEntries>;
  /** The failure in the user's words, for the inventory. */
  explain(error: unknown): string;
  /** How many dossiers may be prepared ahead of the one being written (what each holds in memory). */
  lookahead: number;
}

/** A dossier the archive could not hold at all. */
export interface DossierFailure {
  dossier: number;
  reason: MissingReason;
}

export interface ArchivePartResult {
  /** Written into the ZIP, complete or not (a missing file is in its result). */
  written: ExportResult[];
  failed: DossierFailure[];
  /** Bytes of the files in the ZIP. */
  bytes: number;
  /** Files listed `manquant` (whole dossiers are in `failed`). */
  missingFiles: number;
}

export interface ArchivePartOptions {
  dossiers: readonly number[];
  source: ArchiveSource;
  exportedAt: Date;
  csvSeparator?: string;
  signal?: AbortSignal;
  /** Resolves when the archive may go on (pause): asked before each dossier. */
  proceed?: () => Promise<void>;
  /** Each dossier once its last entry is in the ZIP stream (not yet on disk: see {@link ArchivePart.result}). */
  onDossier?: (outcome: { dossier: number; result: ExportResult | null; bytes: number }) => void;
}

export interface ArchivePart {
  stream: ReadableStream<Uint8Array>;
  /** Settles once the stream has been read to its end (then every entry is in it). */
  result: Promise<ArchivePartResult>;
  /**
   * What failed the part from inside (DS, the network), once it did: the writer only sees the
   * browser's words for it. Undefined while it goes on, or when the writer stopped reading.
   */
  failure(): unknown;
}

/**
 * Failures that are not the dossier's but the whole archive's: the token, the network, DS's rate
 * limit, the session, DS's markup. Every dossier after it would fail the same way and be written « non obtenu »
 * for good; the part stops instead (it is not written), and « Reprendre » makes it again once fixed.
 */
const STOPS_THE_ARCHIVE: ReadonlySet<string> = new Set([
  'token-expired',
  'token-invalid',
  'network-forbidden',
  'unreachable',
  'too-slow',
  'rate-limited',
  'logged-out',
  'permission-missing',
  'page-unrecognized',
]);

const stopsTheArchive = (error: unknown) => STOPS_THE_ARCHIVE.has(String((error as { code?: unknown } | null)?.code));

const encoder = new TextEncoder();
const prefixed = (path: string) => `${ARCHIVE_ROOT}${path}`;

/** DS's error list: one line per missing file, with why. */
export function errorListText(missing: readonly InventoryEntry[]): string {
  return `${missing.map((entry) => `${entry.path} : ${describeMissing(entry.reason!)}`).join('\n')}\n`;
}

export function buildArchivePart(options: ArchivePartOptions): ArchivePart {
  const lookahead = Math.max(1, options.source.lookahead);
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const result = deferred<ArchivePartResult>();
  let failure: unknown;

  // A dossier's entries hold its downloaded files until they are dropped from here: each is let go
  // once written, so a part holds the dossiers in flight, never the thousand it has written.
  const prepared: (Promise<DossierEntries> | undefined)[] = [];
  const prepareThrough = (index: number) => {
    while (prepared.length < Math.min(index + 1, options.dossiers.length)) {
      const promise = options.source.prepare(options.dossiers[prepared.length]!, stop.signal);
      // Read in order by the writer; never an unhandled rejection meanwhile.
      promise.catch(() => {});
      prepared.push(promise);
    }
  };

  async function* entries(): AsyncGenerator<ZipInput, void, undefined> {
    const written: ExportResult[] = [];
    const failed: DossierFailure[] = [];
    const inventory: InventoryEntry[] = [];
    let bytes = 0;
    try {
      for (const [index, number] of options.dossiers.entries()) {
        await options.proceed?.();
        stop.signal.throwIfAborted();
        prepareThrough(index + lookahead - 1);
        let dossier: DossierEntries;
        try {
          dossier = await prepared[index]!;
          prepared[index] = undefined;
        } catch (error) {
          prepared[index] = undefined;
          stop.signal.throwIfAborted();
          if (stopsTheArchive(error)) throw error;
          const reason: MissingReason = { kind: 'dossier', detail: options.source.explain(error) };
          failed.push({ dossier: number, reason });
          inventory.push({
            path: prefixed(dossierFolder(number)),
            size: null,
            md5: null,
            source: 'API',
            status: 'manquant',
            reason,
          });
          options.onDossier?.({ dossier: number, result: null, bytes: 0 });
          continue;
        }
        for await (const entry of dossier.entries) {
          yield { ...entry, name: prefixed(entry.name) };
        }
        const done = await dossier.result;
        for (const entry of done.inventory) inventory.push({ ...entry, path: prefixed(entry.path) });
        bytes += done.bytes;
        written.push(done);
        options.onDossier?.({ dossier: number, result: done, bytes: done.bytes });
      }
      const missing = inventory.filter((entry) => entry.status === 'manquant');
      const exportedAt = options.exportedAt;
      if (missing.length)
        yield { name: ARCHIVE_ERRORS, lastModified: exportedAt, input: encoder.encode(errorListText(missing)) };
      yield {
        name: ARCHIVE_INVENTORY,
        lastModified: exportedAt,
        input: encoder.encode(inventoryCsv(inventory, { separator: options.csvSeparator })),
      };
      result.resolve({ written, failed, bytes, missingFiles: missing.length - failed.length });
    } catch (error) {
      failure = error;
      result.reject(error);
      throw error;
    } finally {
      if (!stop.signal.aborted) stop.abort(new DOMException('Archive closed', 'AbortError'));
      options.signal?.removeEventListener('abort', onAbort);
      result.reject(new DOMException('The archive stream was cancelled', 'AbortError'));
    }
  }

  return { stream: makeZip(entries()), result: result.promise, failure: () => failure };
}
