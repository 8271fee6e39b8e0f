import { type CsvOptions, toCsv } from './csv';

/**
 * `inventaire.csv`: every file of an export with its path, size, MD5 (base64, as DS gives it),
 * where it came from and whether it is proven complete. A file that could not be saved is listed
 * as `manquant` with the reason in French; it never fails the export silently.
 */

/** Where a file came from. */
export type FileSource = 'API' | 'page DS' | 'archive DS' | 'Archiviste';

/**
 * `vérifié`: size and MD5 match DS's; `calculé`: DS gave no checksum, Archiviste computed it;
 * `manquant`: not in the ZIP, see the reason.
 */
export type InventoryStatus = 'vérifié' | 'calculé' | 'manquant';

/** Why a file is missing. */
export type MissingReason =
  | { kind: 'http'; status: number }
  | { kind: 'checksum'; expected: string; actual: string }
  | { kind: 'truncated'; received: number; expected: number | null }
  | { kind: 'size'; received: number; expected: number }
  | { kind: 'expired' }
  | { kind: 'network'; detail?: string }
  | { kind: 'timeout'; seconds: number }
  /** A whole dossier of a bulk archive that could not be had (gone from DS, session lost…). */
  | { kind: 'dossier'; detail: string }
  /** A DS page came, but not as Archiviste can read it (DS changed its markup). */
  | { kind: 'unreadable'; page: string };

export interface InventoryEntry {
  path: string;
  /** Bytes received (for a missing file, DS's announced size when known). */
  size: number | null;
  /** Base64 MD5 of the bytes in the ZIP; for a missing file, DS's checksum when known. */
  md5: string | null;
  source: FileSource;
  status: InventoryStatus;
  /** Only for `manquant`. */
  reason?: MissingReason;
  /**
   * The file's name as DS gave it, before it became a safe path (untrusted: `../x.pdf`, `CON`,
   * bidi overrides…): a spreadsheet cell, neutralised like the others. Absent for Archiviste's files.
   */
  originalName?: string;
}

const bytes = (n: number) => `${n.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ')} octets`;

/** The reason as one French phrase, for the inventory and the UI. */
export function describeMissing(reason: MissingReason): string {
  switch (reason.kind) {
    case 'http':
      return reason.status === 404 ? 'erreur HTTP 404 (fichier introuvable)' : `erreur HTTP ${reason.status}`;
    case 'checksum':
      return 'somme de contrôle différente';
    case 'truncated':
      return reason.expected === null
        ? `fichier tronqué (${bytes(reason.received)} reçus)`
        : `fichier tronqué (${bytes(reason.received)} sur ${bytes(reason.expected)})`;
    case 'size':
      return `taille différente (${bytes(reason.received)} au lieu de ${bytes(reason.expected)})`;
    case 'expired':
      return 'lien expiré';
    case 'network':
      return reason.detail ? `erreur réseau (${reason.detail})` : 'erreur réseau';
    case 'timeout':
      return `pas de données pendant ${reason.seconds} s`;
    case 'dossier':
      return `dossier non obtenu (${reason.detail})`;
    case 'unreadable':
      return `${reason.page} illisible (DS a changé sa page ?)`;
  }
}

export function missingCount(entries: readonly InventoryEntry[]): number {
  return entries.filter((e) => e.status === 'manquant').length;
}

/** True when nothing is missing. */
export function isComplete(entries: readonly InventoryEntry[]): boolean {
  return missingCount(entries) === 0;
}

/** « complet », or « incomplet (2 fichiers) ». */
export function inventorySummary(entries: readonly InventoryEntry[]): string {
  const missing = missingCount(entries);
  if (!missing) return 'complet';
  return `incomplet (${missing} fichier${missing > 1 ? 's' : ''})`;
}

export const INVENTORY_HEADER = [
  'Chemin',
  'Taille (octets)',
  'MD5 (base64)',
  'Source',
  'Statut',
  'Raison',
  'Nom d’origine',
] as const;

/** The inventory as CSV (UTF-8 with BOM, neutralised cells). */
export function inventoryCsv(entries: readonly InventoryEntry[], options: CsvOptions = {}): string {
  return toCsv(
    INVENTORY_HEADER,
    entries.map((e) => [
      e.path,
      e.size,
      e.md5,
      e.source,
      e.status,
      e.reason ? describeMissing(e.reason) : '',
      e.originalName,
    ]),
    options,
  );
}
