import { makeZip } from 'client-zip';
import { unzipSync } from 'fflate';
import { md5 } from 'hash-wasm';
import { SyncError } from '@/lib/core/sync/errors';
import { refuseUnknownMarkup } from '@/lib/core/sync/parse-page';
import { type Clock, realClock } from '@/lib/ds/budget';
import type { DossierState } from '@/lib/ds/model';
import { readDossierPage } from '@/lib/ds/read-dossier';
import { type PageMessage, readMessages } from '@/lib/ds/read-messages';
import { dossierPdfUrl, dossierPrintUrl, dossierUrl, dossierZipUrl } from '@/lib/ds/routes';
import type { DossierEntries, DossierZip, ExportResult, MissingFile, SavedFile, ZipInput } from './build-zip';
import { concatBytes, readBody } from './bytes';
import { deferred } from './deferred';
import { type DeletionInfo, DOSSIER_JSON_FORMAT_VERSION } from './dossier-json';
import {
  describeMissing,
  type FileSource,
  type InventoryEntry,
  inventoryCsv,
  inventorySummary,
  isComplete,
  type MissingReason,
} from './inventory';
import { ARCHIVISTE_FILES, dossierPdfName, dossierZipName, type LayoutFolder, ZipPaths } from './layout';
import { type MessagerieEntry, type PageAttachment, pageMessages } from './page-messages';
import { messagerieTranscript, type TranscriptMessage } from './transcript';

/**
 * A dossier's ZIP without a token, from what the signed-in instructeur's cookies reach (GET only):
 * DS's own per-dossier ZIP (`telecharger_pjs`, API-AND-RULES §4) re-laid through {@link ZipPaths},
 * the dossier PDF (`<dossier URL>.pdf`, §5) when DS's ZIP did not bring one, and the messagerie read
 * from the dossier's print page (which, unlike the « Messagerie » tab, marks nothing as read). The
 * output has the API mode's shape (`DossierZip`, `dossier-<n>/…`, `dossier.json`, `messagerie.txt`,
 * `inventaire.csv`); every file is `calculé` (DS gives no checksum this way, Archiviste computes the
 * MD5). What cannot be had is listed `manquant`; when the session is gone, before or during the
 * export, it throws `SyncError('logged-out')`: signed in again, the next try has it all, where a
 * ZIP missing what the session no longer reached would say less than « connectez-vous ».
 *
 * Memory: DS's ZIP is read whole, then unpacked (about twice its size at the peak). DS streams it
 * with data descriptors and no length, which a streaming reader cannot split safely for stored
 * entries; the central directory at the end is the reliable index.
 */

export interface SessionExportOptions {
  /** The DS instance, e.g. `https://demarche.numerique.gouv.fr`. */
  origin: string;
  demarche: number;
  dossier: number;
  /** Must send the user's cookies (the default sends `credentials: 'include'`). */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Tries per download for 5xx, 408, 429, network errors and cut bodies (default 3). */
  maxAttempts?: number;
  csvSeparator?: string;
  exportedAt?: Date;
  /**
   * Reads DS's pages: the print page for the messagerie, always; the dossier page (one more GET) for
   * what the caller did not pass below.
   */
  parse: (html: string, url: string) => Document | null;
  /** What the caller already knows (e.g. from its ledger); otherwise read from the page, if `parse`. */
  state?: DossierState;
  /** Whose dossier it is, as DS shows it (untrusted text). */
  demandeur?: string;
  demarcheTitle?: string;
  deletion?: DeletionInfo | null;
  /** The dossier's last modification, for the PDF's name when DS's ZIP did not bring it. */
  updatedAt?: Date | string;
  signal?: AbortSignal;
}

export const SESSION_MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 1_000;
const SIGN_IN_PATH = /^\/users\/sign_in\/?$/;
const textEncoder = new TextEncoder();
/** `%PDF-`: anything else (an HTML error page served as 200, DS's sign-in page) is not the PDF. */
const isPdf = (bytes: Uint8Array) =>
  bytes.byteLength >= 5 && new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-';

type Download =
  | { ok: true; bytes: Uint8Array; filename: string | null }
  | { ok: false; reason: MissingReason; loggedOut: boolean };

const isRetryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

/** Base64 of a hex MD5 digest. */
function hexToBase64(hex: string): string {
  let binary = '';
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}

/** DS answered with its sign-in page (Devise redirects there) or refused the session outright. */
function isLoggedOut(response: Response): boolean {
  if (response.status === 401) return true;
  try {
    return response.url !== '' && SIGN_IN_PATH.test(new URL(response.url).pathname);
  } catch {
    return false;
  }
}

/** `filename*=UTF-8''…` or `filename="…"` of a Content-Disposition header. */
function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1]!.trim() : null;
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array | { received: number }> {
  const read = await readBody(body);
  return read.broken ? { received: read.size } : concatBytes(read.chunks, read.size);
}

interface Context {
  fetch: typeof fetch;
  clock: Clock;
  maxAttempts: number;
  signal?: AbortSignal;
  requests: number;
}

/** One GET with the session's cookies, retried when that can help. */
async function download(
  url: string,
  ctx: Context,
  check?: (bytes: Uint8Array) => boolean,
  maxAttempts = ctx.maxAttempts,
): Promise<Download> {
  let last: MissingReason = { kind: 'network' };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await ctx.clock.sleep(BACKOFF_BASE_MS * 2 ** (attempt - 2));
    ctx.signal?.throwIfAborted();
    let response: Response;
    try {
      ctx.requests++;
      response = await ctx.fetch(url, { credentials: 'include', cache: 'no-store', signal: ctx.signal });
    } catch (error) {
      ctx.signal?.throwIfAborted();
      last = { kind: 'network', detail: error instanceof Error ? error.message : undefined };
      continue;
    }
    if (isLoggedOut(response)) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, reason: { kind: 'http', status: 401 }, loggedOut: true };
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      last = { kind: 'http', status: response.status };
      if (isRetryableStatus(response.status)) continue;
      return { ok: false, reason: last, loggedOut: false };
    }
    const announced = Number(response.headers.get('Content-Length') ?? Number.NaN);
    const expected = Number.isSafeInteger(announced) ? announced : null;
    const read = await readAll(response.body);
    ctx.signal?.throwIfAborted();
    if (!(read instanceof Uint8Array)) {
      last = { kind: 'truncated', received: read.received, expected };
      continue;
    }
    if ((expected !== null && read.byteLength < expected) || (check && !check(read))) {
      last = { kind: 'truncated', received: read.byteLength, expected };
      continue;
    }
    return { ok: true, bytes: read, filename: dispositionName(response.headers.get('Content-Disposition')) };
  }
  return { ok: false, reason: last, loggedOut: false };
}

const LAYOUT_FOLDERS = new Set<string>(['pieces_justificatives', 'messagerie', 'avis', 'dossier']);

/**
 * DS's ZIP entries, parsed (null if the archive is unreadable: cut or not a ZIP). Directory entries
 * are dropped.
 */
function unzipEntries(bytes: Uint8Array): [name: string, data: Uint8Array][] | null {
  try {
    const files = unzipSync(bytes, { filter: (file) => !file.name.endsWith('/') });
    return Object.entries(files);
  } catch {
    return null;
  }
}

/**
 * Where one of DS's entries goes in ours: its DS folder kept when it is one of the layout's, every
 * other level folded into the (sanitised) name, always inside `dossier-<n>/`.
 */
function claimDsPath(paths: ZipPaths, dsName: string): string {
  const root = paths.root;
  const inner = dsName.startsWith(root) ? dsName.slice(root.length) : dsName;
  const parts = inner.split('/').filter((p) => p !== '');
  if (parts.length >= 2 && LAYOUT_FOLDERS.has(parts[0]!)) {
    return paths.claim(parts.slice(1).join('_'), parts[0] as LayoutFolder);
  }
  return paths.claim(parts.join('_'));
}

const isRootPdf = (root: string, dsName: string) =>
  dsName.startsWith(`${root}export-`) && dsName.endsWith('.pdf') && !dsName.slice(root.length).includes('/');

interface Known {
  state?: DossierState;
  demandeur?: string;
  demarcheTitle?: string;
  deletion?: DeletionInfo | null;
}

/**
 * The dossier page, read for its state, demandeur and expiry (best effort: a page not had yields
 * nothing). A page whose markup Archiviste does not know stops the export: its dossier.json would
 * say what a misread page said.
 */
async function readPage(options: SessionExportOptions, ctx: Context, now: Date): Promise<Known> {
  const url = dossierUrl(options.origin, options.demarche, options.dossier);
  const page = await download(url, ctx, undefined, 1);
  if (!page.ok) return {};
  const doc = options.parse(new TextDecoder().decode(page.bytes), url);
  if (!doc) return {};
  refuseUnknownMarkup(doc, url, `the export of dossier ${options.dossier}`);
  try {
    const report = readDossierPage(doc, url, now);
    const d = report.dossiers.find((x) => x.number === options.dossier);
    const title = report.demarches.find((x) => x.number === options.demarche)?.title;
    return {
      ...(d?.state && { state: d.state }),
      ...(d?.label && { demandeur: d.label }),
      ...(title && { demarcheTitle: title }),
      ...(d && (d.expiresAt || d.neverExpires) && { deletion: { date: d.expiresAt ?? null, source: 'page' } }),
    };
  } catch {
    return {};
  }
}

/** The messagerie, read from the print page; why it could not be, otherwise. */
async function readMessagerie(
  options: SessionExportOptions,
  ctx: Context,
  entries: readonly MessagerieEntry[],
): Promise<
  { ok: true; read: PageMessage[]; messages: TranscriptMessage<PageAttachment>[] } | Extract<Download, { ok: false }>
> {
  const url = dossierPrintUrl(options.origin, options.demarche, options.dossier);
  const page = await download(url, ctx);
  if (!page.ok) return page;
  const doc = options.parse(new TextDecoder().decode(page.bytes), url);
  const read = doc && readMessages(doc);
  if (!read)
    return { ok: false, reason: { kind: 'unreadable', page: 'page « Imprimer » du dossier' }, loggedOut: false };
  return { ok: true, read, messages: pageMessages(read, entries) };
}

const loggedOutError = (origin: string) =>
  new SyncError('logged-out', `${origin} a redirigé vers la page de connexion`);

interface Entry {
  path: string;
  data: Uint8Array;
  source: FileSource;
  lastModified: Date;
}

/**
 * Downloads DS's ZIP (and the PDF if needed), then returns the ZIP to stream. Throws
 * `SyncError('logged-out')` when the session is gone, before or during the export.
 */
export async function exportDossierZipWithSession(options: SessionExportOptions): Promise<DossierZip> {
  const { name, entries, result } = await sessionDossierEntries(options);
  return { name, stream: makeZip(entries), result };
}

/** {@link exportDossierZipWithSession}'s entries, downloaded and hashed: for a ZIP of its own or a bulk archive. */
export async function sessionDossierEntries(options: SessionExportOptions): Promise<DossierEntries> {
  const clock = options.clock ?? realClock;
  const exportedAt = options.exportedAt ?? new Date(clock.now());
  const fetchFn = options.fetch ?? fetch;
  const ctx: Context = {
    // Called unbound: a browser's fetch throws "Illegal invocation" with another `this`.
    fetch: (input, init) => fetchFn(input, init),
    clock,
    maxAttempts: Math.max(1, options.maxAttempts ?? SESSION_MAX_ATTEMPTS),
    signal: options.signal,
    requests: 0,
  };
  const number = options.dossier;
  const paths = new ZipPaths(number);
  // Archiviste's own names first: a DS file called `dossier.json` becomes `dossier (2).json`.
  const jsonPath = paths.claim(ARCHIVISTE_FILES.dossierJson);
  const transcriptPath = paths.claim(ARCHIVISTE_FILES.transcript);
  const csvPath = paths.claim(ARCHIVISTE_FILES.inventory);

  const entries: Entry[] = [];
  const inventory: InventoryEntry[] = [];
  const missing: MissingFile[] = [];
  const addMissing = (path: string, source: FileSource, reason: MissingReason) => {
    inventory.push({ path, size: null, md5: null, source, status: 'manquant', reason });
    missing.push({
      path,
      source,
      reason,
      reasonText: describeMissing(reason),
      expectedSize: null,
      expectedMd5: null,
    });
  };
  const addFile = async (
    path: string,
    data: Uint8Array,
    source: FileSource,
    lastModified: Date,
    originalName?: string,
  ) => {
    entries.push({ path, data, source, lastModified });
    const md5Base64 = hexToBase64(await md5(data));
    inventory.push({ path, size: data.byteLength, md5: md5Base64, source, status: 'calculé', originalName });
  };

  // DS's ZIP: every file DS would give, the PDF included.
  let loggedOut = false;
  let hasPdf = false;
  /** DS's message attachments, to name their place in the transcript. */
  const messagerie: MessagerieEntry[] = [];
  // A cut or unreadable archive counts as truncated, and is asked again.
  const parsed: { entries: [string, Uint8Array][] | null } = { entries: null };
  const zip = await download(dossierZipUrl(options.origin, options.demarche, number), ctx, (bytes) => {
    parsed.entries = unzipEntries(bytes);
    return parsed.entries !== null;
  });
  if (zip.ok && parsed.entries) {
    for (const [dsName, data] of parsed.entries) {
      const pdf = isRootPdf(paths.root, dsName);
      hasPdf ||= pdf;
      const path = claimDsPath(paths, dsName);
      if (dsName.startsWith(`${paths.root}messagerie/`)) messagerie.push({ dsName, path });
      // DS's own name of the entry, as its ZIP held it (before it became a safe path here).
      await addFile(path, data, 'archive DS', exportedAt, dsName.split('/').at(-1));
    }
  } else if (!zip.ok) {
    loggedOut ||= zip.loggedOut;
    // Not a path in this ZIP: DS's own download, whose content is missing.
    addMissing(dossierZipName(number), 'archive DS', zip.reason);
  }

  // The dossier PDF, when DS's ZIP did not bring it.
  const pdfName = dossierPdfName(number, options.updatedAt ?? exportedAt);
  if (!hasPdf) {
    const pdf = await download(dossierPdfUrl(options.origin, options.demarche, number), ctx, isPdf);
    if (pdf.ok) await addFile(paths.claim(pdfName), pdf.bytes, 'page DS', exportedAt);
    else {
      loggedOut ||= pdf.loggedOut;
      addMissing(paths.claim(pdfName), 'page DS', pdf.reason);
    }
  }
  if (loggedOut) throw loggedOutError(options.origin);

  let known: Known = {};
  const wanted = options.state === undefined || options.demandeur === undefined;
  if (wanted) known = await readPage(options, ctx, exportedAt);

  // The messagerie as text, in the same words as with a token; when it cannot be read, the
  // inventory says so and why.
  const messages = await readMessagerie(options, ctx, messagerie);
  if (!messages.ok && messages.loggedOut) throw loggedOutError(options.origin);
  if (messages.ok) {
    const transcript = messagerieTranscript({
      dossier: number,
      messages: messages.messages,
      exportedAt,
      pathOf: (file) => file.path ?? undefined,
    });
    await addFile(transcriptPath, textEncoder.encode(transcript), 'Archiviste', exportedAt);
  } else addMissing(transcriptPath, 'page DS', messages.reason);

  const document = {
    formatVersion: DOSSIER_JSON_FORMAT_VERSION,
    generator: 'Archiviste',
    source: 'session',
    exportedAt: exportedAt.toISOString(),
    origin: options.origin,
    number,
    demarche: { number: options.demarche, title: options.demarcheTitle ?? known.demarcheTitle ?? null },
    state: options.state ?? known.state ?? null,
    demandeur: options.demandeur ?? known.demandeur ?? null,
    deletion: options.deletion ?? known.deletion ?? null,
    // As DS's page shows them (the minute, the author's name or e-mail); null when it could not be read.
    messages: messages.ok
      ? messages.read.map((m, i) => ({
          author: m.author,
          createdAt: m.at,
          body: m.body,
          attachments: messages.messages[i]!.attachments,
        }))
      : null,
    files: inventory.map((e) => ({
      path: e.path,
      source: e.source,
      size: e.size,
      md5: e.md5,
      ...(e.reason && { missing: describeMissing(e.reason) }),
    })),
  };
  const jsonBytes = textEncoder.encode(`${JSON.stringify(document, null, 2)}\n`);
  await addFile(jsonPath, jsonBytes, 'Archiviste', exportedAt);
  const csvBytes = textEncoder.encode(inventoryCsv(inventory, { separator: options.csvSeparator }));
  const csvEntry: SavedFile = {
    path: csvPath,
    size: csvBytes.byteLength,
    md5: hexToBase64(await md5(csvBytes)),
    source: 'Archiviste',
    status: 'calculé',
  };
  entries.push({ path: csvPath, data: csvBytes, source: 'Archiviste', lastModified: exportedAt });

  const files: SavedFile[] = [
    ...inventory.flatMap((e): SavedFile[] =>
      e.status === 'manquant' ? [] : [{ path: e.path, size: e.size!, md5: e.md5!, source: e.source, status: e.status }],
    ),
    csvEntry,
  ];
  const name = dossierZipName(number);
  const result: ExportResult = {
    dossier: number,
    zipName: name,
    exportedAt: exportedAt.toISOString(),
    files,
    missing,
    inventory,
    complete: isComplete(inventory),
    summary: inventorySummary(inventory),
    bytes: files.reduce((sum, f) => sum + f.size, 0),
    planRefreshes: 0,
    fileRequests: ctx.requests,
  };

  const done = deferred<ExportResult>();
  async function* zipEntries(): AsyncGenerator<ZipInput, void, undefined> {
    try {
      for (const entry of entries.splice(0)) {
        yield { name: entry.path, lastModified: entry.lastModified, input: entry.data };
      }
      done.resolve(result);
    } finally {
      done.reject(new DOMException('The ZIP stream was cancelled', 'AbortError'));
    }
  }
  return { name, entries: zipEntries(), result: done.promise };
}

/**
 * DS's own PDF of a dossier (the dossier URL + `.pdf`), with the user's session, retried like the
 * ZIP's parts; checked to be a PDF, not DS's sign-in page served in its place.
 */
export async function fetchDossierPdf(options: {
  origin: string;
  demarche: number;
  dossier: number;
  fetch?: typeof fetch;
}): Promise<Uint8Array> {
  const fetchFn = options.fetch ?? fetch;
  const ctx: Context = {
    fetch: (input, init) => fetchFn(input, init),
    clock: realClock,
    maxAttempts: SESSION_MAX_ATTEMPTS,
    requests: 0,
  };
  const pdf = await download(dossierPdfUrl(options.origin, options.demarche, options.dossier), ctx, isPdf);
  if (pdf.ok) return pdf.bytes;
  throw new SyncError(pdf.loggedOut ? 'logged-out' : 'unreachable', describeMissing(pdf.reason));
}
