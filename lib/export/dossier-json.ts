import type { ExportChamp, ExportDossierNode, ExportFile } from '@/lib/ds/queries';
import type { ExportPlan } from './plan';

/**
 * `dossier.json`: everything known about the dossier when it was exported, in a stable, versioned
 * shape. File URLs are left out (signed for one hour, useless afterwards); each file says where it
 * is in the ZIP instead.
 */

/** Bump when a field changes meaning or disappears; adding a field keeps the version. */
export const DOSSIER_JSON_FORMAT_VERSION = 1;

/** The deletion date Archiviste knows and where it comes from (e.g. `api`, `page`, `estimation`). */
export interface DeletionInfo {
  /** ISO 8601, or null when the dossier is not due for deletion. */
  date: string | null;
  source: string;
}

export interface DossierJsonOptions {
  plan: Pick<ExportPlan, 'dossier' | 'byFile'>;
  exportedAt: Date;
  /** The DS instance, e.g. `https://demarche.numerique.gouv.fr`. */
  origin?: string;
  deletion?: DeletionInfo | null;
}

export interface DossierJsonFile {
  filename: string;
  contentType: string;
  size: number;
  checksum: string | null;
  createdAt: string;
  /** Path in the ZIP; null if the file was not planned. */
  path: string | null;
}

type JsonChamp = Omit<ExportChamp, 'files' | 'rows'> & {
  files?: DossierJsonFile[];
  rows?: { id: string; champs: JsonChamp[] }[];
};

function fileJson(plan: DossierJsonOptions['plan'], file: ExportFile): DossierJsonFile {
  return {
    filename: file.filename,
    contentType: file.contentType,
    size: Number(file.byteSizeBigInt),
    checksum: file.checksum || null,
    createdAt: file.createdAt,
    path: plan.byFile.get(file)?.path ?? null,
  };
}

function champJson(plan: DossierJsonOptions['plan'], champ: ExportChamp): JsonChamp {
  const { files, rows, ...rest } = champ as ExportChamp & {
    files?: ExportFile[];
    rows?: { id: string; champs: ExportChamp[] }[];
  };
  return {
    ...rest,
    ...(files ? { files: files.map((f) => fileJson(plan, f)) } : {}),
    ...(rows ? { rows: rows.map((r) => ({ id: r.id, champs: r.champs.map((c) => champJson(plan, c)) })) } : {}),
  };
}

/** The document as an object (for tests and callers that embed it). */
export function dossierDocument(options: DossierJsonOptions) {
  const { plan, exportedAt, origin, deletion } = options;
  const d: ExportDossierNode = plan.dossier;
  const file = (f: ExportFile | null) => (f ? fileJson(plan, f) : null);
  return {
    formatVersion: DOSSIER_JSON_FORMAT_VERSION,
    generator: 'Archiviste',
    source: 'API',
    exportedAt: exportedAt.toISOString(),
    origin: origin ?? null,
    number: d.number,
    id: d.id,
    demarche: d.demarche,
    groupeInstructeur: d.groupeInstructeur,
    state: d.state,
    archived: d.archived,
    dates: {
      depot: d.dateDepot,
      passageEnConstruction: d.datePassageEnConstruction,
      passageEnInstruction: d.datePassageEnInstruction,
      traitement: d.dateTraitement,
      derniereModification: d.dateDerniereModification,
      derniereModificationChamps: d.dateDerniereModificationChamps,
      derniereModificationAnnotations: d.dateDerniereModificationAnnotations,
      expiration: d.dateExpiration,
      suppressionParUsager: d.dateSuppressionParUsager,
      suppressionParAdministration: d.dateSuppressionParAdministration,
    },
    deletion: deletion ?? null,
    usager: d.usager,
    demandeur: d.demandeur,
    mandataire: d.deposeParUnTiers ? { nom: d.nomMandataire, prenom: d.prenomMandataire } : null,
    instructeurs: d.instructeurs.map((i) => i.email),
    motivation: d.motivation,
    motivationAttachment: file(d.motivationAttachment),
    attestation: file(d.attestation),
    pdf: file(d.pdf),
    champs: d.champs.map((c) => champJson(plan, c)),
    annotations: d.annotations.map((c) => champJson(plan, c)),
    messages: d.messages.map((m) => ({ ...m, attachments: m.attachments.map((f) => fileJson(plan, f)) })),
    avis: d.avis.map((a) => ({ ...a, attachments: a.attachments.map((f) => fileJson(plan, f)) })),
    traitements: d.traitements,
  };
}

/** `dossier.json`'s text: two-space indented, UTF-8 (no BOM). */
export function dossierJson(options: DossierJsonOptions): string {
  return `${JSON.stringify(dossierDocument(options), null, 2)}\n`;
}
