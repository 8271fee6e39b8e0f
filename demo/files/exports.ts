/**
 * Procedure exports (`download_export`): asynchronous like DS's `Export` jobs. A request creates an
 * export (or reuses an identical one pending or made less than 5 minutes ago); it becomes ready
 * after a delay, then its file is served from the storage origin under
 * `dossiers_<path>_<YYYY-MM-DD_HH-MM>.<ext>`. The file is built at download time from the dossiers
 * snapshotted at request time (the ones purged since are left out).
 */
import { randomBytes } from 'node:crypto';
import type { DossierContent } from '../data/content';
import { type Demarche, type Dossier, isTermine } from '../data/model';
import { displayValue } from '../pages/dossier';
import { stateLabel } from '../pages/format';
import type { RuleSet } from '../rules/expiry';
import type { Statut } from '../rules/statuts';
import { exportNameStamp, iso8601 } from '../time';
import { dossierZipEntries } from './dossier-files';
import { type Table, toCsv, toOds, toXlsx } from './spreadsheet';
import { type ZipEntry, zipStream } from './zip';

export const EXPORT_FORMATS = ['xlsx', 'ods', 'csv', 'zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const isExportFormat = (value: string | null): value is ExportFormat =>
  (EXPORT_FORMATS as readonly string[]).includes(value ?? '');

const REUSE_MS = 5 * 60_000;

export interface ExportRecord {
  key: string;
  demarche: number;
  format: ExportFormat;
  statut: Statut;
  includeArchived: boolean;
  createdAt: Date;
  readyAt: Date;
  dossiers: readonly number[];
  filename: string;
}

export class Exports {
  private readonly records: ExportRecord[] = [];

  constructor(private readonly delayMs: number) {}

  /** `Export.find_or_create_fresh_export`. */
  request(
    demarche: Demarche,
    format: ExportFormat,
    statut: Statut,
    includeArchived: boolean,
    dossiers: readonly number[],
    now: Date,
  ): ExportRecord {
    const reusable = this.records.find(
      (r) =>
        r.demarche === demarche.number &&
        r.format === format &&
        r.statut === statut &&
        r.includeArchived === includeArchived &&
        (!this.isReady(r, now) || now.getTime() - r.readyAt.getTime() < REUSE_MS),
    );
    if (reusable) return reusable;
    const record: ExportRecord = {
      key: randomBytes(14).toString('hex'),
      demarche: demarche.number,
      format,
      statut,
      includeArchived,
      createdAt: now,
      readyAt: new Date(now.getTime() + this.delayMs),
      dossiers,
      filename: `dossiers_${demarche.path}_${exportNameStamp(now)}.${format}`,
    };
    this.records.push(record);
    return record;
  }

  isReady(record: ExportRecord, now: Date): boolean {
    return now >= record.readyAt;
  }

  /** The most recent export of a tab (`last_export_for(statut)`). */
  last(demarche: number, statut: Statut): ExportRecord | undefined {
    return this.records.findLast((r) => r.demarche === demarche && r.statut === statut);
  }

  ofDemarche(demarche: number): ExportRecord[] {
    return this.records.filter((r) => r.demarche === demarche).reverse();
  }

  byKey(key: string): ExportRecord | undefined {
    return this.records.find((r) => r.key === key);
  }
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  zip: 'application/zip',
};

export interface ExportedDossier {
  dossier: Dossier;
  content: DossierContent;
}

const date = (value: Date | null) => (value ? iso8601(value) : '');

/** The "Dossiers" sheet: DS's fixed columns, then every champ and annotation (no repetitions). */
function dossiersTable(demarche: Demarche, dossiers: Iterable<ExportedDossier>): Table {
  const fillable = (d: { type: string }) => !['header_section', 'explication', 'repetition'].includes(d.type);
  const champs = demarche.revision.champs.filter(fillable);
  const annotations = demarche.revision.annotations.filter(fillable);
  const identity = demarche.forIndividual ? ['Civilité', 'Nom', 'Prénom'] : ['Entreprise raison sociale'];
  const header = [
    'ID',
    'Email',
    'FranceConnect ?',
    ...identity,
    'À archiver',
    'État du dossier',
    'Dernière mise à jour le',
    'Dernière mise à jour du dossier le',
    'Déposé le',
    'Passé en instruction le',
    'Traité le',
    'Motivation de la décision',
    'Instructeurs',
    ...champs.map((c) => c.label),
    ...annotations.map((c) => c.label),
  ];
  const rows = [...dossiers].map(({ dossier: d, content }) => {
    const who =
      d.demandeur.kind === 'physique'
        ? [d.demandeur.civilite, d.demandeur.nom, d.demandeur.prenom]
        : [d.demandeur.raisonSociale];
    const champText = (values: DossierContent['champs'], id: number) => {
      const champ = values.find((c) => c.descriptor.id === id);
      return champ ? displayValue(champ) : '';
    };
    return [
      String(d.number),
      d.usagerEmail,
      'false',
      ...who,
      d.archived ? 'true' : 'false',
      stateLabel(d.state),
      date(d.updatedAt),
      date(d.updatedAt),
      date(d.deposeAt),
      date(d.enInstructionAt),
      date(isTermine(d.state) ? d.processedAt : null),
      d.motivation ?? '',
      d.followers.join(' '),
      ...champs.map((c) => champText(content.champs, c.id)),
      ...annotations.map((c) => champText(content.annotations, c.id)),
    ];
  });
  return { sheet: 'Dossiers', rows: [header, ...rows] };
}

/** The export file's bytes, in its format; `dossiers` is consumed lazily (once). */
export function exportFile(
  record: ExportRecord,
  demarche: Demarche,
  dossiers: Iterable<ExportedDossier>,
  rules: RuleSet,
): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  switch (record.format) {
    case 'csv':
      return [toCsv(dossiersTable(demarche, dossiers))];
    case 'xlsx':
      return toXlsx(dossiersTable(demarche, dossiers), record.createdAt);
    case 'ods':
      return toOds(dossiersTable(demarche, dossiers), record.createdAt);
    case 'zip': {
      const entries = function* (): Generator<ZipEntry> {
        for (const { dossier, content } of dossiers) {
          yield* dossierZipEntries(dossier, demarche, content, rules, 'export/');
        }
      };
      return zipStream(entries());
    }
  }
}
