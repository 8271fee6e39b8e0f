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
  const row: LedgerRow = {
    origin,
    demarche,
    dossier: result.dossier,
    at: result.exportedAt,
    format: 'zip',
    fileName,
    files: result.files.map((file) => ({ name: file.path, size: file.size, checksum: file.md5 })),
    missing: result.missing.map((file) => ({ name: file.path, reason: file.reasonText })),
  };
  await db.transaction('rw', db.ledger, db.dossiers, async () => {
    row.id = await db.ledger.add(row);
    if (result.complete) await db.dossiers.update([origin, result.dossier], { archivedAt: result.exportedAt });
  });
  return row;
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
