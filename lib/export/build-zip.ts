import { makeZip } from 'client-zip';
import { createMD5, type IHasher, md5 } from 'hash-wasm';
import { SyncError } from '@/lib/core/sync/errors';
import { type Clock, realClock } from '@/lib/ds/budget';
import type { ExportFile } from '@/lib/ds/queries';
import { FILE_URL_LIFETIME_MS } from '@/lib/ds/rules';
import { type ReadBody, readBody, streamOf } from './bytes';
import { type Deferred, deferred } from './deferred';
import { type DeletionInfo, dossierJson } from './dossier-json';
import { DEFAULT_BUFFER_BYTES, DownloadQueue } from './download-queue';
import {
  describeMissing,
  type FileSource,
  type InventoryEntry,
  type InventoryStatus,
  inventoryCsv,
  inventorySummary,
  isComplete,
  type MissingReason,
} from './inventory';
import { ARCHIVISTE_FILES, dossierZipName } from './layout';
import type { ExportPlan, PlannedFile } from './plan';
import { messagerieTranscript } from './transcript';

/**
 * Builds a dossier's ZIP from its plan: downloads the files (4 at a time), hashes each with MD5 as
 * its bytes arrive, checks size and MD5 against DS's, and writes the ZIP with client-zip (stored,
 * no compression, like DS). A file that cannot be had is left out of the ZIP and listed as
 * `manquant` in `inventaire.csv` with its reason; it never fails the export.
 *
 * Memory: each file is buffered whole between its download and its ZIP entry, because a
 * file may only enter the ZIP once its size and MD5 are proven (a ZIP entry cannot be taken back).
 * The {@link DownloadQueue} bounds what is held (64 MB by default, or one larger file alone); the ZIP
 * itself streams out.
 */

export const DEFAULT_CONCURRENCY = 4;
/** Tries per file for 5xx, 408, 429, network errors and truncated bodies. */
export const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 1_000;
/** A file whose server sends nothing for this long is tried again (DS's own timeout is 30 s). */
export const IDLE_TIMEOUT_MS = 30_000;
/** DS signs file URLs for one hour: refetch the plan a little before. */
export const URL_MAX_AGE_MS = FILE_URL_LIFETIME_MS - 5 * 60_000;

export interface BuildZipOptions {
  plan: ExportPlan;
  /** Fresh signed URLs: the same dossier asked again (e.g. `client.exportDossier` + `planDossierExport`). */
  refreshPlan?: () => Promise<ExportPlan>;
  fetch?: typeof fetch;
  clock?: Clock;
  concurrency?: number;
  /** Shared by the dossiers of a bulk archive; `concurrency` is then the queue's. */
  queue?: DownloadQueue;
  maxAttempts?: number;
  urlMaxAgeMs?: number;
  idleTimeoutMs?: number;
  exportedAt?: Date;
  /** The DS instance, for dossier.json. */
  origin?: string;
  deletion?: DeletionInfo | null;
  /** `inventaire.csv`'s separator (the options' setting); `;` by default. */
  csvSeparator?: string;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  /** Files settled (saved or missing) out of `total`. */
  done: number;
  total: number;
  bytes: number;
}

/** A file in the ZIP, as a ledger records it. */
export interface SavedFile {
  path: string;
  size: number;
  /** Base64 MD5 of the bytes in the ZIP. */
  md5: string;
  source: FileSource;
  status: Exclude<InventoryStatus, 'manquant'>;
}

/** A file left out of the ZIP. */
export interface MissingFile {
  path: string;
  source: FileSource;
  reason: MissingReason;
  /** The reason in French, as in the inventory. */
  reasonText: string;
  /** What DS announced, when it did. */
  expectedSize: number | null;
  expectedMd5: string | null;
}

export interface ExportResult {
  dossier: number;
  /** `dossier-<n>.zip` */
  zipName: string;
  exportedAt: string;
  /** Every file in the ZIP, Archiviste's own (dossier.json, transcript, inventory) included. */
  files: SavedFile[];
  missing: MissingFile[];
  /** Rows of `inventaire.csv`. */
  inventory: InventoryEntry[];
  complete: boolean;
  /** « complet » or « incomplet (2 fichiers) ». */
  summary: string;
  /** Bytes of the files in the ZIP (not counting ZIP headers). */
  bytes: number;
  /** Times the plan was asked again for fresh URLs. */
  planRefreshes: number;
  /** File requests sent, retries included. */
  fileRequests: number;
}

export interface DossierZip {
  name: string;
  /** The ZIP's bytes; read it to the end, or cancel it (which stops the downloads). */
  stream: ReadableStream<Uint8Array>;
  /** Settles once the stream has been read through its last entry. */
  result: Promise<ExportResult>;
}

type Downloaded = {
  ok: true;
  file: PlannedFile;
  /** The file's bytes as they came, whole: held until the ZIP takes them (see {@link DownloadQueue}). */
  chunks: Uint8Array[];
  size: number;
  md5: string;
  status: SavedFile['status'];
};
type Failed = { ok: false; file: PlannedFile; reason: MissingReason };
type Outcome = Downloaded | Failed;

/** Base64 of a few bytes (an MD5 digest), without Node's Buffer. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The browser says it has no network (a failed request then tells nothing about the file). */
const isOffline = () => globalThis.navigator?.onLine === false;

const isRetryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

/** The signed URLs, refreshed once for everyone when they get old or DS says they expired. */
class UrlSource {
  #plan: ExportPlan;
  #generation = 0;
  #refreshing: Promise<void> | null = null;
  #failed = false;
  refreshes = 0;

  constructor(
    plan: ExportPlan,
    private readonly refreshPlan: (() => Promise<ExportPlan>) | undefined,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {
    this.#plan = plan;
  }

  get generation(): number {
    return this.#generation;
  }

  /** False without a way to refresh, or once a refresh failed (no storm of failing requests). */
  get canRefresh(): boolean {
    return this.refreshPlan !== undefined && !this.#failed;
  }

  /** The current entry for this file (fresh URL), refreshing first if the URLs are too old; null if gone. */
  async current(file: PlannedFile): Promise<PlannedFile | null> {
    if (this.canRefresh && this.clock.now() - this.#plan.fetchedAt > this.maxAgeMs) {
      await this.refresh(this.#generation);
    }
    return this.#plan.files.find((f) => f.key === file.key) ?? null;
  }

  /** Refreshes unless someone already did since `seen`. A failed refresh leaves the old URLs. */
  async refresh(seen: number): Promise<void> {
    if (!this.canRefresh || seen < this.#generation) return;
    this.#refreshing ??= (async () => {
      try {
        this.refreshes++;
        this.#plan = await this.refreshPlan!();
      } catch {
        // Keep the old URLs: the files that need new ones end up `manquant` (lien expiré).
        this.#failed = true;
      } finally {
        this.#generation++;
        this.#refreshing = null;
      }
    })();
    await this.#refreshing;
  }
}

/**
 * One try's signal: the caller's, plus a watchdog that gives up when the server sends nothing for
 * `idleMs` (DS's own timeout is 30 s). A slow but moving file goes on; a stalled one is tried again
 * instead of holding its download slot for ever.
 */
function attemptSignal(parent: AbortSignal, idleMs: number) {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  // One timer per try, not one per chunk (a bulk archive reads tens of thousands of chunks): data
  // only notes its time; the timer, when it fires, waits again for what is left of the period.
  let lastData = performance.now();
  const check = () => {
    const quiet = performance.now() - lastData;
    if (quiet >= idleMs) controller.abort(new DOMException('No data from the server', 'TimeoutError'));
    else timer = setTimeout(check, idleMs - quiet);
  };
  let timer = setTimeout(check, idleMs);
  return {
    signal: controller.signal,
    touch() {
      lastData = performance.now();
    },
    timedOut: () => !parent.aborted && controller.signal.aborted,
    done() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * MD5 hashers not in use. Making one instantiates a WebAssembly module, which costs more than
 * hashing a small file: each is reset and used again (one per download in flight, at most).
 */
const idleHashers: IHasher[] = [];

/** Reads a body through MD5 as it arrives, keeping its chunks for the ZIP. */
async function readHashed(body: ReadableStream<Uint8Array>, onChunk: () => void): Promise<ReadBody & { md5: string }> {
  const hasher = idleHashers.pop() ?? (await createMD5());
  hasher.init();
  try {
    const read = await readBody(body, (chunk) => {
      onChunk();
      hasher.update(chunk);
    });
    return read.broken
      ? { chunks: [], size: read.size, md5: '', broken: true }
      : { ...read, md5: base64(hasher.digest('binary')) };
  } finally {
    idleHashers.push(hasher);
  }
}

interface DownloadContext {
  fetch: typeof fetch;
  urls: UrlSource;
  clock: Clock;
  maxAttempts: number;
  signal: AbortSignal;
  idleTimeoutMs: number;
  countRequest: () => void;
}

/** One file: fetched, hashed, verified; retried when that can help. */
async function downloadFile(planned: PlannedFile, ctx: DownloadContext): Promise<Outcome> {
  let refreshedForThisFile = false;
  let lastFailure: MissingReason = { kind: 'network' };
  for (let attempt = 1; attempt <= ctx.maxAttempts; attempt++) {
    if (attempt > 1) await ctx.clock.sleep(BACKOFF_BASE_MS * 2 ** (attempt - 2));
    ctx.signal.throwIfAborted();
    const generation = ctx.urls.generation;
    const file = await ctx.urls.current(planned);
    if (!file) return { ok: false, file: planned, reason: { kind: 'expired' } };
    ctx.signal.throwIfAborted();
    const watch = attemptSignal(ctx.signal, ctx.idleTimeoutMs);
    try {
      const outcome = await tryOnce(file, ctx, watch);
      if (outcome === 'refresh') {
        if (!refreshedForThisFile && ctx.urls.canRefresh) {
          refreshedForThisFile = true;
          await ctx.urls.refresh(generation);
          attempt--;
          continue;
        }
        return { ok: false, file, reason: { kind: 'expired' } };
      }
      if ('retry' in outcome) {
        // Offline, every file would fail the same way: the export stops and says so, instead of
        // writing a ZIP of missing files that the next click could have made whole.
        if (isOffline()) throw new SyncError('unreachable', 'offline');
        lastFailure = outcome.retry;
        continue;
      }
      return outcome;
    } finally {
      watch.done();
    }
  }
  return { ok: false, file: planned, reason: lastFailure };
}

/** One request for a file: its outcome, a failure worth another try, or `refresh` (its URL expired). */
async function tryOnce(
  file: PlannedFile,
  ctx: DownloadContext,
  watch: ReturnType<typeof attemptSignal>,
): Promise<Outcome | { retry: MissingReason } | 'refresh'> {
  const timeout: MissingReason = { kind: 'timeout', seconds: Math.round(ctx.idleTimeoutMs / 1000) };
  let response: Response;
  try {
    ctx.countRequest();
    // Signed URLs carry their own authorisation: no cookie, no token, no cache.
    response = await ctx.fetch(file.url, { credentials: 'omit', cache: 'no-store', signal: watch.signal });
  } catch (error) {
    ctx.signal.throwIfAborted();
    if (watch.timedOut()) return { retry: timeout };
    return { retry: { kind: 'network', detail: error instanceof Error ? error.message : undefined } };
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel().catch(() => {});
    // DS's storage answers an expired signature with 401/403.
    return 'refresh';
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    const failure: MissingReason = { kind: 'http', status: response.status };
    return isRetryableStatus(response.status) ? { retry: failure } : { ok: false, file, reason: failure };
  }
  const announced = Number(response.headers.get('Content-Length') ?? Number.NaN);
  const expected = file.size ?? (Number.isSafeInteger(announced) ? announced : null);
  const read = await readHashed(response.body, watch.touch);
  ctx.signal.throwIfAborted();
  if (read.broken && watch.timedOut()) return { retry: timeout };
  if (read.broken || (expected !== null && read.size < expected)) {
    return { retry: { kind: 'truncated', received: read.size, expected } };
  }
  if (file.size !== null && read.size !== file.size) {
    return { ok: false, file, reason: { kind: 'size', received: read.size, expected: file.size } };
  }
  if (file.checksum && read.md5 !== file.checksum) {
    return { ok: false, file, reason: { kind: 'checksum', expected: file.checksum, actual: read.md5 } };
  }
  return {
    ok: true,
    file,
    // Kept as they came, neither joined (a copy and an allocation per file, which made the
    // archive's garbage collector work as hard as its hashing) nor a Blob (the browser's blob
    // registry: two trips between processes per file).
    chunks: read.chunks,
    size: read.size,
    md5: read.md5,
    status: file.checksum ? 'vérifié' : 'calculé',
  };
}

const textEncoder = new TextEncoder();

/** One entry of a ZIP, as client-zip takes it. */
export interface ZipInput {
  name: string;
  lastModified: Date;
  input: Blob | Uint8Array | ReadableStream<Uint8Array>;
  /** Bytes of a stream's input, when known. */
  size?: number;
}

/** A dossier's entries, for its own ZIP or for a bulk archive that holds many dossiers. */
export interface DossierEntries {
  /** `dossier-<n>.zip` */
  name: string;
  /** Pull them in order; stopping early (return/throw) stops the dossier's downloads. */
  entries: AsyncGenerator<ZipInput, void, undefined>;
  /** Settles once the last entry has been pulled. */
  result: Promise<ExportResult>;
}

/**
 * The dossier's ZIP: DS's layout (the plan's paths), then `dossier.json`, `messagerie.txt` and
 * `inventaire.csv` at the dossier's root. Downloads start at once; the stream must be read.
 */
export function buildDossierZip(options: BuildZipOptions): DossierZip {
  const { name, entries, result } = dossierZipEntries(options);
  return { name, stream: makeZip(entries), result };
}

/** {@link buildDossierZip}'s entries: its files are queued for download at once. */
export function dossierZipEntries(options: BuildZipOptions): DossierEntries {
  const { plan } = options;
  const clock = options.clock ?? realClock;
  const queue =
    options.queue ??
    new DownloadQueue({
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      bufferBytes: DEFAULT_BUFFER_BYTES,
    });
  const exportedAt = options.exportedAt ?? new Date(clock.now());
  const fetchFn = options.fetch ?? fetch;
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const urls = new UrlSource(plan, options.refreshPlan, clock, options.urlMaxAgeMs ?? URL_MAX_AGE_MS);
  let fileRequests = 0;
  const ctx: DownloadContext = {
    // Called unbound: a browser's fetch throws "Illegal invocation" with another `this`.
    fetch: (input, init) => fetchFn(input, init),
    urls,
    clock,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    signal: stop.signal,
    idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    countRequest: () => {
      fileRequests++;
    },
  };

  const files = plan.files;
  // Each downloaded file holds its weight of the queue's buffer until the ZIP has taken it.
  const weights = files.map((file) => queue.weightOf(file.size));
  // Each slot is emptied once the ZIP has its entry: a finished dossier holds none of its bytes.
  const outcomes: (Deferred<Outcome> | undefined)[] = files.map((file, index) => {
    const outcome = deferred<Outcome>();
    queue
      .submit(weights[index]!, () => {
        stop.signal.throwIfAborted();
        return downloadFile(file, ctx);
      })
      .then(outcome.resolve, outcome.reject);
    return outcome;
  });
  let released = 0;
  const releaseThrough = (count: number) => {
    for (; released < count; released++) queue.release(weights[released]!);
  };

  const result = deferred<ExportResult>();
  const name = dossierZipName(plan.dossier.number);

  async function* entries() {
    const saved: SavedFile[] = [];
    const missing: MissingFile[] = [];
    const inventory: InventoryEntry[] = [];
    const inZip = new Map<ExportFile, string>();
    const apiFileByKey = new Map([...plan.byFile].map(([apiFile, p]) => [p.key, apiFile]));
    let bytes = 0;
    let done = 0;
    const progress = () => options.onProgress?.({ done, total: files.length, bytes });
    try {
      for (const [index, planned] of files.entries()) {
        const outcome = await outcomes[index]!.promise;
        outcomes[index] = undefined;
        done++;
        if (outcome.ok) {
          bytes += outcome.size;
          const entry = {
            path: planned.path,
            size: outcome.size,
            md5: outcome.md5,
            source: planned.source,
            status: outcome.status,
          };
          saved.push(entry);
          inventory.push({ ...entry, originalName: planned.filename });
          const apiFile = apiFileByKey.get(planned.key);
          if (apiFile) inZip.set(apiFile, planned.path);
          progress();
          yield {
            name: planned.path,
            lastModified: new Date(planned.createdAt),
            input: streamOf(outcome.chunks),
            size: outcome.size,
          };
        } else {
          const { reason } = outcome;
          missing.push({
            path: planned.path,
            source: planned.source,
            reason,
            reasonText: describeMissing(reason),
            expectedSize: planned.size,
            expectedMd5: planned.checksum,
          });
          inventory.push({
            path: planned.path,
            size: planned.size,
            md5: planned.checksum,
            source: planned.source,
            status: 'manquant',
            reason,
            originalName: planned.filename,
          });
          progress();
        }
        // The ZIP asked for the next entry: this file's bytes are written.
        releaseThrough(index + 1);
      }

      const own = async (fileName: string, text: string) => {
        const data = textEncoder.encode(text);
        const path = plan.paths.has(`${plan.root}${fileName}`) ? `${plan.root}${fileName}` : plan.paths.claim(fileName);
        const entry: SavedFile = {
          path,
          size: data.byteLength,
          md5: base64(hexBytes(await md5(data))),
          source: 'Archiviste',
          status: 'calculé',
        };
        saved.push(entry);
        bytes += data.byteLength;
        return { entry, zip: { name: path, lastModified: exportedAt, input: data } };
      };
      const json = await own(
        ARCHIVISTE_FILES.dossierJson,
        dossierJson({ plan, exportedAt, origin: options.origin, deletion: options.deletion }),
      );
      inventory.push(json.entry);
      yield json.zip;
      const transcript = await own(
        ARCHIVISTE_FILES.transcript,
        messagerieTranscript({
          dossier: plan.dossier.number,
          messages: plan.dossier.messages,
          exportedAt,
          pathOf: (file) => inZip.get(file),
        }),
      );
      inventory.push(transcript.entry);
      yield transcript.zip;
      const csv = await own(ARCHIVISTE_FILES.inventory, inventoryCsv(inventory, { separator: options.csvSeparator }));
      yield csv.zip;

      result.resolve({
        dossier: plan.dossier.number,
        zipName: name,
        exportedAt: exportedAt.toISOString(),
        files: saved,
        missing,
        inventory,
        complete: isComplete(inventory),
        summary: inventorySummary(inventory),
        bytes,
        planRefreshes: urls.refreshes,
        fileRequests,
      });
    } catch (error) {
      result.reject(error);
      throw error;
    } finally {
      // Finished, failed or cancelled: stop what still runs, and give back the buffer its files
      // hold (each once settled: a download in flight still holds its bytes until it stops).
      if (!stop.signal.aborted) stop.abort(new DOMException('ZIP closed', 'AbortError'));
      for (let index = released; index < files.length; index++) {
        const give = () => queue.release(weights[index]!);
        const pending = outcomes[index];
        // Emptied: its entry was taken (the ZIP stopped while writing it), its download settled.
        if (pending) pending.promise.then(give, give);
        else give();
      }
      released = files.length;
      options.signal?.removeEventListener('abort', onAbort);
      result.reject(new DOMException('The ZIP stream was cancelled', 'AbortError'));
    }
  }

  return { name, entries: entries(), result: result.promise };
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
