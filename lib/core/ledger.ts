import { db, type LedgerRow } from '@/lib/core/db';
import type { ExportResult } from '@/lib/export/build-zip';

/**
 * The archive ledger: every export written, with what it holds (files, sizes, MD5s) and what it
 * misses, and why. A dossier counts as saved (`archivedAt`) only after a complete export: a partial
 * one is recorded as such, never as « sauvegardé ».
 */
export async function recordDossierExport(
  origin: string,
  demarche: number,
  result: ExportResult,
  fileName: string,
): Promise<LedgerRow> {
  const [row] = await recordDossierExports(origin, demarche, [result], fileName);
  return row!;
}

/**
 * Dossiers written into one file (a bulk archive's part): their rows added and the complete ones
 * marked saved in two writes, not two per dossier (a part of a thousand dossiers kept the archive
 * waiting seconds). Joins the caller's transaction when there is one.
 */
export async function recordDossierExports(
  origin: string,
  demarche: number,
  results: readonly ExportResult[],
  fileName: string,
): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = results.map((result) => ({
    origin,
    demarche,
    dossier: result.dossier,
    at: result.exportedAt,
    format: 'zip',
    fileName,
    files: result.files.map((file) => ({ name: file.path, size: file.size, checksum: file.md5 })),
    missing: result.missing.map((file) => ({ name: file.path, reason: file.reasonText })),
  }));
  await db.transaction('rw', db.ledger, db.dossiers, async () => {
    const ids = await db.ledger.bulkAdd(rows, { allKeys: true });
    rows.forEach((row, index) => {
      row.id = ids[index];
    });
    await db.dossiers.bulkUpdate(
      results
        .filter((result) => result.complete)
        .map((result) => ({
          key: [origin, result.dossier] as [string, number],
          changes: { archivedAt: result.exportedAt },
        })),
    );
  });
  return rows;
}

/** DS's own PDF of a dossier, saved: recorded, but a PDF alone never makes a dossier « sauvegardé ». */
export async function recordDossierPdf(
  origin: string,
  demarche: number,
  dossier: number,
  file: { name: string; size: number },
  at: string,
): Promise<void> {
  await db.ledger.add({
    origin,
    demarche,
    dossier,
    at,
    format: 'pdf',
    fileName: file.name,
    files: [{ name: file.name, size: file.size }],
    missing: [],
  });
}
