import { signal } from '@preact/signals';
import { jobRemaining } from '@/lib/core/archive/jobs';
import { type ArchiveJobRow, db } from '@/lib/core/db';
import { readToken } from '@/lib/core/secrets';
import { DsApiClient } from '@/lib/ds/api';
import { DEFAULT_CONCURRENCY } from '@/lib/export/build-zip';
import { apiArchiveSource } from '@/lib/export/bulk/api-source';
import type { ArchiveSource } from '@/lib/export/bulk/archive-part';
import { type PlannedPart, type RunArchiveOptions, runArchive } from '@/lib/export/bulk/run-archive';
import { sessionArchiveSource } from '@/lib/export/bulk/session-source';
import { DownloadQueue } from '@/lib/export/download-queue';
import type { ArchiveTarget } from '@/lib/platform/archive-targets';
import { t } from '@/lib/platform/i18n';
import { sendMessage } from '@/lib/platform/messages';
import { BatchedUpdates } from './batched-updates';
import { describeExportProblem } from './export-problem';

/**
 * The export page's archive run: it makes the parts (lib/export/bulk), writes them where the user
 * chose, has the background record each one once on disk, and keeps what the page shows (progress,
 * pause, stop, the end) in signals. The token, read from the extension's database, goes only to
 * its own instance's API client; without one, the user's DS session is used.
 */

/** The export page is no service worker: it waits out DS's one-minute rate-limit window rather than stop. */
const RATE_LIMIT_WAIT_MS = 65_000;
/** How often the progress shown moves: four times a second reads as live. */
const PROGRESS_EVERY_MS = 250;

export type RunPhase = 'ready' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

export interface RunState {
  phase: RunPhase;
  job: ArchiveJobRow;
  doneBefore: number;
  doneNow: number;
  bytesNow: number;
  elapsedMs: number;
  /** The dossier being written now. */
  current: number | null;
  /** Files left out, in every part of the archive. */
  missingFiles: number;
  /** Dossiers DS could not give at all, in every part. */
  failedDossiers: number;
  /** What stopped the run, in French or English, with what to do. */
  error: string | null;
}

export function initialRunState(job: ArchiveJobRow): RunState {
  const remaining = jobRemaining(job).length;
  return {
    phase: remaining === 0 ? 'done' : 'ready',
    job,
    doneBefore: job.refs.length - remaining,
    doneNow: 0,
    bytesNow: 0,
    elapsedMs: 0,
    current: null,
    missingFiles: job.parts.reduce((sum, part) => sum + part.missingFiles, 0),
    failedDossiers: job.parts.reduce((sum, part) => sum + part.failed.length, 0),
    error: null,
  };
}

/** A dossier the archive could not have, in the user's words (its inventory row): as for an export, else the browser's. */
export function explainArchiveFailure(error: unknown): string {
  const coded = error as { code?: unknown; message?: unknown };
  if (typeof coded?.code === 'string') {
    const { message, fix } = describeExportProblem(error, new Date());
    return `${message} ${fix}`;
  }
  return t('archive_write_failed', typeof coded?.message === 'string' ? coded.message : String(error));
}

/** The browser's « no space left »: the folder's quota (File System Access API) or the downloads' disk. */
const isDiskFull = (error: { name?: unknown; message?: unknown } | null) =>
  error?.name === 'QuotaExceededError' || error?.message === 'FILE_NO_SPACE';

/**
 * What stopped the run, in the user's words, with what to do: DS's or the network's problem as for
 * an export, the disk, or the browser's own words for a write that failed otherwise.
 */
export function explainStoppedArchive(error: unknown): string {
  const coded = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (typeof coded?.code === 'string') {
    const { message, fix } = describeExportProblem(error, new Date());
    return t('archive_stopped', message, fix);
  }
  if (isDiskFull(coded)) return t('archive_disk_full');
  return t('archive_write_failed', typeof coded?.message === 'string' ? coded.message : String(error));
}

type DossierWritten = Parameters<NonNullable<RunArchiveOptions['onDossier']>>[0];

export class ArchiveRun {
  readonly state;
  #stop = new AbortController();
  #resume: (() => void) | null = null;
  #paused: Promise<void> | null = null;
  #runningSince = 0;
  readonly #written = new BatchedUpdates<DossierWritten>((done) => this.#count(done), PROGRESS_EVERY_MS);

  constructor(
    job: ArchiveJobRow,
    private readonly parse: (html: string, url: string) => Document | null,
    private readonly clock: () => number = Date.now,
  ) {
    this.state = signal<RunState>(initialRunState(job));
  }

  #set(changes: Partial<RunState>): void {
    this.state.value = { ...this.state.value, ...changes };
  }

  #count(done: DossierWritten[]): void {
    this.#tick();
    const s = this.state.value;
    this.#set({
      doneNow: s.doneNow + done.length,
      bytesNow: s.bytesNow + done.reduce((sum, d) => sum + d.bytes, 0),
      current: done.at(-1)!.dossier,
      missingFiles: s.missingFiles + done.reduce((sum, d) => sum + (d.result?.missing.length ?? 0), 0),
      failedDossiers: s.failedDossiers + done.filter((d) => !d.result).length,
    });
  }

  #tick(): void {
    if (this.#runningSince === 0) return;
    const now = this.clock();
    this.#set({ elapsedMs: this.state.value.elapsedMs + (now - this.#runningSince) });
    this.#runningSince = now;
  }

  async #sourceFor(part: PlannedPart, queue: DownloadQueue, exportedAt: Date): Promise<ArchiveSource> {
    const token = await readToken(part.origin);
    if (token) {
      const rows = await db.dossiers.bulkGet(part.dossiers.map((number) => [part.origin, number] as [string, number]));
      return apiArchiveSource({
        client: new DsApiClient({ origin: part.origin, token, maxRetryWaitMs: RATE_LIMIT_WAIT_MS }),
        dossiers: part.dossiers,
        alone: new Set(rows.flatMap((row) => (row?.corbeilleSince ? [row.number] : []))),
        queue,
        explain: explainArchiveFailure,
        exportedAt,
      });
    }
    return sessionArchiveSource({
      origin: part.origin,
      demarche: part.demarche,
      parse: this.parse,
      explain: explainArchiveFailure,
      exportedAt,
    });
  }

  /** Writes what no written part holds yet into `target`, part after part. */
  async start(target: ArchiveTarget): Promise<void> {
    const { job } = this.state.value;
    const id = job.id!;
    this.#stop = new AbortController();
    this.#runningSince = this.clock();
    this.#set({ phase: 'running', error: null });
    await sendMessage('archive-update', { id, state: 'running' });
    const queue = new DownloadQueue({ concurrency: DEFAULT_CONCURRENCY });
    try {
      await runArchive({
        refs: jobRemaining(job),
        partSize: job.partSize,
        archive: id,
        firstPart: job.parts.length + 1,
        now: () => new Date(this.clock()),
        sourceFor: (part) => this.#sourceFor(part, queue, new Date(this.clock())),
        writePart: (name, stream) => target.writePart(name, stream),
        onPartWritten: async (part) => {
          this.#written.flush();
          const { job: updated } = await sendMessage('archive-part-written', {
            id,
            part: {
              name: part.name,
              origin: part.origin,
              demarche: part.demarche,
              dossiers: part.dossiers,
              failed: part.result.failed.map((f) => f.dossier),
              bytes: part.result.bytes,
              missingFiles: part.result.missingFiles,
            },
            results: part.result.written,
          });
          this.#set({ job: updated });
        },
        onDossier: (done) => this.#written.add(done),
        proceed: () => this.#paused ?? Promise.resolve(),
        signal: this.#stop.signal,
      });
      this.#written.flush();
      this.#tick();
      this.#runningSince = 0;
      this.#set({ phase: 'done', current: null });
    } catch (error) {
      this.#written.flush();
      this.#tick();
      this.#runningSince = 0;
      const stopped = this.#stop.signal.aborted;
      await sendMessage('archive-update', { id, state: 'stopped' }).catch(() => {});
      // The part cut short is dropped: what counts as done is what the written parts hold, so
      // « Reprendre » says how many dossiers are really left.
      const { job: written, elapsedMs } = this.state.value;
      this.#set({
        ...initialRunState(written),
        elapsedMs,
        phase: stopped ? 'stopped' : 'failed',
        error: stopped ? null : explainStoppedArchive(error),
      });
    }
  }

  /** Says why nothing started (the folder dialog closed, a folder the browser refused). */
  notStarted(error: string): void {
    this.#set({ error });
  }

  /** Holds the archive before its next dossier (what is downloading finishes). */
  pause(): void {
    if (this.state.value.phase !== 'running' || this.#paused) return;
    this.#written.flush();
    this.#tick();
    this.#runningSince = 0;
    this.#paused = new Promise((resolve) => {
      this.#resume = resolve;
    });
    this.#set({ phase: 'paused' });
    void sendMessage('archive-update', { id: this.state.value.job.id!, state: 'paused' });
  }

  resume(): void {
    if (!this.#paused) return;
    this.#runningSince = this.clock();
    this.#resume?.();
    this.#paused = null;
    this.#resume = null;
    this.#set({ phase: 'running' });
    void sendMessage('archive-update', { id: this.state.value.job.id!, state: 'running' });
  }

  /** Stops now: the part in progress is dropped (its dossiers stay to write), written parts stay. */
  stop(): void {
    this.#stop.abort(new DOMException('Stopped by the user', 'AbortError'));
    this.resume();
  }
}
