import { recordDossierExport, recordDossierPdf } from '@/lib/core/ledger';
import { readToken } from '@/lib/core/secrets';
import { isStorageFull } from '@/lib/core/storage-full';
import type { DossierExportRequest } from '@/lib/export/run-export';
import { saveMadeFile } from '@/lib/platform/downloads';
import { t } from '@/lib/platform/i18n';
import type { FileExporter, MadeFile, MadeZip } from '@/lib/platform/offscreen';
import { noteStorageFull, noteStorageWritten } from '@/lib/platform/storage-full';
import { parisDate } from '@/lib/platform/time';

/**
 * One click, one dossier saved, with or without a token: its ZIP made and verified (lib/export), written through the
 * browser's downloads, then recorded in the ledger — as « sauvegardé » only when complete. Every
 * failure becomes one French sentence with what to do; nothing is recorded for a file not written.
 */
export async function saveDossier(
  request: { origin: string; demarche: number; dossier: number },
  context: {
    makeZip: (request: DossierExportRequest) => Promise<MadeZip>;
    csvSeparator: string;
    /** The failure to make the ZIP in the user's words (the same as for a sync: expired token…). */
    explain: (error: unknown) => string;
    /** When the save starts: what it holds is DS's dossier as of then (the dossier's `archivedAt`). */
    now: Date;
  },
): Promise<{ text: string; complete: boolean; fileName: string }> {
  // With a token, through the API; without one, from DS's own ZIP and PDF with the user's session.
  const token = await readToken(request.origin);
  let made: MadeZip;
  try {
    made = await context.makeZip({
      ...request,
      token,
      csvSeparator: context.csvSeparator,
      exportedAt: context.now.toISOString(),
    });
  } catch (error) {
    throw new Error(context.explain(error));
  }
  const fileName = await saveMadeFile(made, made.name);
  const unrecorded = await recordWritten(
    () => recordDossierExport(request.origin, request.demarche, made.result, fileName),
    fileName,
    context.now,
  );
  if (unrecorded) return { text: unrecorded, complete: false, fileName };
  const { complete, missing } = made.result;
  // Through the API every attachment is checked against DS's MD5; without a token DS gives none.
  const saved = token ? t('export_saved', fileName) : t('export_saved_computed', fileName);
  return {
    text: complete ? saved : t('export_incomplete', missing.length, fileName),
    complete,
    fileName,
  };
}

/** `dossier-<n>_procedure-<d>_<YYYY-MM-DD>.pdf`: the number, the démarche and the day, at a glance. */
export const dossierPdfFileName = (request: { demarche: number; dossier: number }, at: Date) =>
  `dossier-${request.dossier}_procedure-${request.demarche}_${parisDate(at)}.pdf`;

/** DS's own PDF of a dossier, saved under a clear name and recorded in the ledger. */
export async function saveDossierPdf(
  request: { origin: string; demarche: number; dossier: number },
  context: { exporter: FileExporter; explain: (error: unknown) => string; now: Date },
): Promise<{ text: string; fileName: string }> {
  const name = dossierPdfFileName(request, context.now);
  let made: MadeFile;
  try {
    made = await context.exporter.makeFile({ format: 'dossier-pdf', name, ...request });
  } catch (error) {
    throw new Error(context.explain(error));
  }
  await saveMadeFile(made, name);
  const unrecorded = await recordWritten(
    () =>
      recordDossierPdf(
        request.origin,
        request.demarche,
        request.dossier,
        { name, size: made.size },
        context.now.toISOString(),
      ),
    name,
    context.now,
  );
  return { text: unrecorded ?? t('export_pdf_saved', name), fileName: name };
}

/**
 * Records a written file in the ledger; null when done. A full storage cannot take the file back:
 * the user keeps it and is told the ledger could not note it, so the dossier does not count as
 * « sauvegardé ».
 */
async function recordWritten(record: () => Promise<unknown>, fileName: string, now: Date): Promise<string | null> {
  try {
    await record();
  } catch (error) {
    if (!isStorageFull(error)) throw error;
    await noteStorageFull(now);
    return t('export_saved_unrecorded', fileName, t('problem_storage_full'), t('problem_storage_full_fix'));
  }
  await noteStorageWritten();
  return null;
}
