import type { ExportChamp, ExportDossierNode, ExportFile } from '@/lib/ds/queries';
import type { FileSource } from './inventory';
import { dossierPdfName, type LayoutFolder, timestampedName, ZipPaths } from './layout';

/**
 * What goes into a dossier's ZIP, from the API's answer: one entry per file, at its path in DS's
 * layout, with the signed URL to fetch it and what DS says its bytes are (size, base64 MD5).
 */

export type PlannedFileKind = 'pdf' | 'champ' | 'annotation' | 'message' | 'avis' | 'motivation' | 'attestation';

export interface PlannedFile {
  /**
   * Stable across refetches of the same dossier (e.g. `champ:<champ id>:<n>`), to find a file's
   * fresh URL in a new plan.
   */
  key: string;
  kind: PlannedFileKind;
  /** Unique, sanitised, inside `dossier-<n>/`. */
  path: string;
  url: string;
  /** DS's file name (untrusted; for display and dossier.json only). */
  filename: string;
  contentType: string;
  /** DS's base64 MD5; null when DS gives none (the dossier PDF). */
  checksum: string | null;
  /** DS's byte size; null when unknown (the dossier PDF reports 0). */
  size: number | null;
  createdAt: string;
  source: FileSource;
}

export interface ExportPlan {
  dossier: ExportDossierNode;
  /** `dossier-<n>/` */
  root: string;
  files: PlannedFile[];
  /** When the URLs were obtained (ms): DS signs them for one hour. */
  fetchedAt: number;
  /** The paths claimed so far: Archiviste's own files are claimed from it too. */
  paths: ZipPaths;
  /** Each of the API answer's `File` objects (by identity) and its entry. */
  byFile: Map<ExportFile, PlannedFile>;
}

function sizeOf(file: ExportFile): number | null {
  const size = Number(file.byteSizeBigInt);
  if (!Number.isSafeInteger(size) || size < 0) return null;
  // DS reports 0 with an empty checksum for files it renders on request (the dossier PDF).
  return size === 0 && !file.checksum ? null : size;
}

function planned(
  paths: ZipPaths,
  file: ExportFile,
  key: string,
  kind: PlannedFileKind,
  folder: LayoutFolder,
): [ExportFile, PlannedFile] {
  return [
    file,
    {
      key,
      kind,
      path: paths.claim(timestampedName(file.filename, file.createdAt), folder),
      url: file.url,
      filename: file.filename,
      contentType: file.contentType,
      checksum: file.checksum || null,
      size: sizeOf(file),
      createdAt: file.createdAt,
      source: 'API',
    },
  ];
}

/** Files of champs, repetition rows included, in the dossier's order. */
function* champFiles(
  champs: readonly ExportChamp[],
): Generator<{ champ: ExportChamp; file: ExportFile; index: number }> {
  for (const champ of champs) {
    if ('files' in champ) {
      for (const [index, file] of champ.files.entries()) yield { champ, file, index };
    }
    if ('rows' in champ) {
      for (const row of champ.rows) yield* champFiles(row.champs);
    }
  }
}

/**
 * The plan of a dossier's ZIP, in DS's order: the dossier PDF, champ and annotation files and the
 * attestation (`pieces_justificatives/`), message attachments (`messagerie/`), the motivation
 * justificatif (`dossier/`), avis attachments (`avis/`).
 */
export function planDossierExport(dossier: ExportDossierNode, fetchedAt: number): ExportPlan {
  const paths = new ZipPaths(dossier.number);
  const entries: [ExportFile, PlannedFile][] = [];
  const add = (entry: [ExportFile, PlannedFile]) => entries.push(entry);
  if (dossier.pdf) {
    add([
      dossier.pdf,
      {
        key: 'pdf',
        kind: 'pdf',
        path: paths.claim(dossierPdfName(dossier.number, dossier.dateDerniereModification)),
        url: dossier.pdf.url,
        filename: dossier.pdf.filename,
        contentType: dossier.pdf.contentType || 'application/pdf',
        checksum: dossier.pdf.checksum || null,
        size: sizeOf(dossier.pdf),
        createdAt: dossier.dateDerniereModification,
        source: 'API',
      },
    ]);
  }
  for (const { champ, file, index } of champFiles(dossier.champs)) {
    add(planned(paths, file, `champ:${champ.id}:${index}`, 'champ', 'pieces_justificatives'));
  }
  for (const { champ, file, index } of champFiles(dossier.annotations)) {
    add(planned(paths, file, `annotation:${champ.id}:${index}`, 'annotation', 'pieces_justificatives'));
  }
  if (dossier.attestation) {
    add(planned(paths, dossier.attestation, 'attestation', 'attestation', 'pieces_justificatives'));
  }
  for (const message of dossier.messages) {
    for (const [index, file] of message.attachments.entries()) {
      add(planned(paths, file, `message:${message.id}:${index}`, 'message', 'messagerie'));
    }
  }
  if (dossier.motivationAttachment) {
    add(planned(paths, dossier.motivationAttachment, 'motivation', 'motivation', 'dossier'));
  }
  for (const avis of dossier.avis) {
    for (const [index, file] of avis.attachments.entries()) {
      add(planned(paths, file, `avis:${avis.id}:${index}`, 'avis', 'avis'));
    }
  }
  return {
    dossier,
    root: paths.root,
    files: entries.map(([, file]) => file),
    fetchedAt,
    paths,
    byFile: new Map(entries),
  };
}
