import type { Statut } from '@/lib/ds/routes';
import type { ArchiveRef } from '@/lib/export/bulk/run-archive';

/**
 * What the user asked a bulk archive to hold, from where they asked it: the démarche banner (what
 * DS deletes within the lead time and is not saved), the menu beside DS's downloads (this tab, the
 * dossiers processed in a month, the whole démarche), or the popup (every unsaved threatened
 * dossier, across démarches). The background turns it into the list of dossiers, once, when the
 * archive starts: the archive holds what was asked then, even if DS changes meanwhile.
 */
export type ArchiveSelection =
  | { kind: 'at-risk'; origin?: string; demarche?: number }
  | { kind: 'tab'; origin: string; demarche: number; statut: Statut }
  | { kind: 'month'; origin: string; demarche: number; month: string }
  | { kind: 'demarche'; origin: string; demarche: number };

export interface ResolvedSelection {
  refs: ArchiveRef[];
  /** What it is, in the UI's language: « Démarche 12 : 5 dossiers supprimés d’ici 30 jours ». */
  title: string;
}
