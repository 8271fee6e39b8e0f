import { type ArchiveJobRow, type ArchivePartRow, db } from '@/lib/core/db';
import { recordDossierExports } from '@/lib/core/ledger';
import type { ExportResult } from '@/lib/export/build-zip';
import { type ArchiveRef, DEFAULT_PART_SIZE, remainingRefs } from '@/lib/export/bulk/run-archive';
import type { ArchiveSelection, ResolvedSelection } from './selection';

/**
 * Bulk archives in the database (owned by the background; the export page asks through messages):
 * the dossiers asked for, frozen when the archive starts, and each part once it is on disk. A
 * part's dossiers enter the ledger in the same transaction as the part, so what the badges count
 * as saved and what the archive says it wrote never disagree, even if the browser stops between.
 */

export async function createArchiveJob(
  selection: ArchiveSelection,
  resolved: ResolvedSelection,
  now: Date,
): Promise<ArchiveJobRow> {
  const job: ArchiveJobRow = {
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    title: resolved.title,
    selection,
    refs: resolved.refs,
    partSize: DEFAULT_PART_SIZE,
    parts: [],
    state: 'new',
  };
  job.id = await db.archiveJobs.add(job);
  return job;
}

export const readArchiveJob = (id: number) => db.archiveJobs.get(id);

/** Newest first. */
export const listArchiveJobs = async (limit = 20) =>
  db.archiveJobs.orderBy('createdAt').reverse().limit(limit).toArray();

/** What no written part holds yet. */
export const jobRemaining = (job: Pick<ArchiveJobRow, 'refs' | 'parts'>): ArchiveRef[] =>
  remainingRefs(job.refs, job.parts);

export async function updateArchiveJob(
  id: number,
  changes: Partial<Pick<ArchiveJobRow, 'state' | 'partSize'>>,
  now: Date,
): Promise<ArchiveJobRow | undefined> {
  await db.archiveJobs.update(id, { ...changes, updatedAt: now.toISOString() });
  return db.archiveJobs.get(id);
}

/**
 * A part on disk: its dossiers go to the ledger (« sauvegardé » for the complete ones), the part to
 * the job; the job is `done` once no dossier is left.
 */
export async function recordArchivePart(
  id: number,
  part: Omit<ArchivePartRow, 'writtenAt'>,
  results: readonly ExportResult[],
  now: Date,
): Promise<ArchiveJobRow> {
  return db.transaction('rw', db.archiveJobs, db.ledger, db.dossiers, async () => {
    const job = await db.archiveJobs.get(id);
    if (!job) throw new Error(`No archive ${id}`);
    if (job.parts.some((p) => p.name === part.name)) return job;
    const inPart = new Set(part.dossiers);
    const stray = results.find((result) => !inPart.has(result.dossier));
    if (stray) throw new Error(`Dossier ${stray.dossier} is not in ${part.name}`);
    await recordDossierExports(part.origin, part.demarche, results, part.name);
    job.parts.push({ ...part, writtenAt: now.toISOString() });
    job.state = jobRemaining(job).length === 0 ? 'done' : job.state;
    job.updatedAt = now.toISOString();
    await db.archiveJobs.put(job);
    return job;
  });
}
