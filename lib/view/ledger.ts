import { db, type LedgerRow } from '@/lib/core/db';
import { toCsv } from '@/lib/export/csv';

/**
 * The options page's view of the archive ledger, and its CSV: the proof of what was archived. One
 * line per file of each export (present, with its size and MD5, or missing, with the reason), so an
 * archivist can check any file of any ZIP against it.
 */

export interface LedgerSummary {
  exports: number;
  dossiers: number;
  /** Exports with at least one missing file. */
  incomplete: number;
}

export function summarizeLedger(rows: readonly LedgerRow[]): LedgerSummary {
  return {
    exports: rows.length,
    dossiers: new Set(rows.map((row) => `${row.origin}|${row.dossier}`)).size,
    incomplete: rows.filter((row) => row.missing.length > 0).length,
  };
}

const HEADER = [
  'Date',
  'Instance',
  'Démarche',
  'Dossier',
  'Archive',
  'Complète',
  'Fichier',
  'Taille (octets)',
  'MD5 (base64)',
  'Statut',
  'Raison',
];

export function ledgerCsv(rows: readonly LedgerRow[], separator: string): string {
  const lines = rows.flatMap((row) => {
    const common = [
      row.at,
      row.origin,
      row.demarche,
      row.dossier,
      row.fileName,
      row.missing.length === 0 ? 'oui' : 'non',
    ];
    return [
      ...row.files.map((file) => [...common, file.name, file.size, file.checksum ?? '', 'présent', '']),
      ...row.missing.map((file) => [...common, file.name, '', '', 'manquant', file.reason]),
    ];
  });
  return toCsv(HEADER, lines, { separator });
}

export async function readLedger(): Promise<LedgerRow[]> {
  return db.ledger.orderBy('at').toArray();
}

/** `registre-archiviste_<YYYY-MM-DD>.csv`. */
export const ledgerFileName = (now: Date) => `registre-archiviste_${now.toISOString().slice(0, 10)}.csv`;
