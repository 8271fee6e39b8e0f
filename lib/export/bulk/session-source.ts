import type { DossierEntries } from '../build-zip';
import { sessionDossierEntries } from '../session-export';
import type { ArchiveSource } from './archive-part';

/**
 * A bulk archive's dossiers without a token, from what the signed-in instructeur reaches: each
 * dossier as in its own ZIP (DS's `telecharger_pjs`, the PDF when needed, the messagerie page), GET
 * only. Each prepared dossier holds DS's ZIP in memory until written, so only a few are prepared
 * ahead: memory stays bounded by the largest dossiers, not by the archive.
 */
const SESSION_LOOKAHEAD = 3;

export function sessionArchiveSource(options: {
  origin: string;
  demarche: number;
  parse: (html: string, url: string) => Document | null;
  explain: (error: unknown) => string;
  csvSeparator?: string;
  fetch?: typeof fetch;
  exportedAt: Date;
}): ArchiveSource {
  return {
    prepare: (dossier: number, signal: AbortSignal): Promise<DossierEntries> =>
      sessionDossierEntries({
        origin: options.origin,
        demarche: options.demarche,
        dossier,
        parse: options.parse,
        csvSeparator: options.csvSeparator,
        fetch: options.fetch,
        exportedAt: options.exportedAt,
        signal,
      }),
    explain: options.explain,
    lookahead: SESSION_LOOKAHEAD,
  };
}
