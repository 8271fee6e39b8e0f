import { parisDate } from '@/lib/platform/time';
import type { ExportResult } from '../build-zip';
import { type ArchivePartResult, type ArchiveSource, buildArchivePart } from './archive-part';

/**
 * A bulk archive as a run of parts: one ZIP per démarche, cut every `partSize` dossiers. A part is
 * the unit of durability: it is on disk once its file is closed (the File System Access API writes
 * into a temporary file until then; the downloads API saves it whole), so a dossier is recorded as
 * saved only when its part is written. Closing the tab or the browser loses at most the part in
 * progress, never a written one; the remaining dossiers are the ones of no written part, so a
 * resumed run holds every dossier exactly once across its parts.
 */

export const DEFAULT_PART_SIZE = 1_000;

export interface ArchiveRef {
  origin: string;
  demarche: number;
  dossier: number;
}

export interface PlannedPart {
  origin: string;
  demarche: number;
  dossiers: number[];
}

/** Groups the dossiers by instance and démarche (in their first order), then cuts every `partSize`. */
export function planArchiveParts(refs: readonly ArchiveRef[], partSize = DEFAULT_PART_SIZE): PlannedPart[] {
  const size = Math.max(1, Math.floor(partSize));
  const groups = new Map<string, PlannedPart>();
  for (const ref of refs) {
    const key = `${ref.origin}|${ref.demarche}`;
    let group = groups.get(key);
    if (!group) {
      group = { origin: ref.origin, demarche: ref.demarche, dossiers: [] };
      groups.set(key, group);
    }
    if (!group.dossiers.includes(ref.dossier)) group.dossiers.push(ref.dossier);
  }
  return [...groups.values()].flatMap((group) =>
    Array.from({ length: Math.ceil(group.dossiers.length / size) }, (_, i) => ({
      ...group,
      dossiers: group.dossiers.slice(i * size, (i + 1) * size),
    })),
  );
}

/**
 * `procedure-<d>_<YYYY-MM-DD>_archive-<a>_partie-<k>.zip`: DS's `procedure-<d>` prefix, the day the
 * part was written, the archive it belongs to (two archives of a day never share a name, and a
 * resumed archive's parts go on from its own), the part.
 */
export function archivePartName(demarche: number, at: Date, archive: number, index: number): string {
  return `procedure-${demarche}_${parisDate(at)}_archive-${archive}_partie-${String(index).padStart(3, '0')}.zip`;
}

export interface WrittenPart extends PlannedPart {
  /** The file's name, as written. */
  name: string;
  result: ArchivePartResult;
}

export interface RunArchiveOptions {
  /** What is left to write, in order (see {@link remainingRefs}). */
  refs: readonly ArchiveRef[];
  partSize?: number;
  /** The archive's number, in its parts' names. */
  archive: number;
  /** The number of the first part written by this run (parts already written keep theirs). */
  firstPart: number;
  now: () => Date;
  csvSeparator?: string;
  /** The dossiers of one part, from the API or the session. */
  sourceFor: (part: PlannedPart) => Promise<ArchiveSource>;
  /**
   * Where a part goes: resolves with the file's name as written, once the stream is on disk.
   * Rejects (and leaves nothing) when it cannot be written.
   */
  writePart: (name: string, stream: ReadableStream<Uint8Array>) => Promise<string>;
  /** Called once the part is on disk: record its dossiers (ledger) before the next part starts. */
  onPartWritten: (part: WrittenPart) => Promise<void>;
  onDossier?: (outcome: { dossier: number; result: ExportResult | null; bytes: number }) => void;
  /** Resolves when the archive may go on (pause). */
  proceed?: () => Promise<void>;
  signal?: AbortSignal;
}

/** The dossiers of `all` that no written part holds, in order. */
export function remainingRefs(all: readonly ArchiveRef[], written: readonly PlannedPart[]): ArchiveRef[] {
  const done = new Set(written.flatMap((part) => part.dossiers.map((d) => `${part.origin}|${d}`)));
  return all.filter((ref) => !done.has(`${ref.origin}|${ref.dossier}`));
}

export async function runArchive(options: RunArchiveOptions): Promise<WrittenPart[]> {
  const written: WrittenPart[] = [];
  let index = options.firstPart;
  for (const planned of planArchiveParts(options.refs, options.partSize)) {
    options.signal?.throwIfAborted();
    const exportedAt = options.now();
    const part = buildArchivePart({
      dossiers: planned.dossiers,
      source: await options.sourceFor(planned),
      exportedAt,
      csvSeparator: options.csvSeparator,
      signal: options.signal,
      proceed: options.proceed,
      onDossier: options.onDossier,
    });
    let name: string;
    try {
      name = await options.writePart(
        archivePartName(planned.demarche, exportedAt, options.archive, index),
        part.stream,
      );
    } catch (error) {
      // A part that failed from inside (DS, the network) knows why; the browser words that as its own
      // by the time it reaches the writer. Otherwise the target refused it (disk full): its error.
      throw part.failure() ?? error;
    }
    const done: WrittenPart = { ...planned, name, result: await part.result };
    await options.onPartWritten(done);
    written.push(done);
    index++;
  }
  return written;
}
