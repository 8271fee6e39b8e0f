import type { Timeline } from '@/lib/core/retention';
import type { ArchiveStatus, DossierFate, FateRows } from '@/lib/core/threat';
import type { DossierState } from '@/lib/ds/model';
import { dossierUrl } from '@/lib/ds/routes';

/**
 * The dossiers DS will delete soonest, grouped by démarche: what the popup lists. Pure functions of
 * the database rows and the time.
 */

/** 13 weeks: the span of the popup's list and chart (about three months). */
export const HORIZON_DAYS = 91;

export interface UpcomingRow {
  origin: string;
  number: number;
  demarche: number;
  state?: DossierState;
  label?: string;
  timeline: Timeline;
  /** When it is gone for good from where the user can act: the purge once in the corbeille, else `expiresAt`. */
  deadline: Date;
  /** Within the lead time (or due for purge): what the toolbar badge counts when not saved. */
  threatened: boolean;
  archive: ArchiveStatus;
  archivedAt: Date | null;
  url: string;
}

export interface UpcomingGroup {
  origin: string;
  /** Set only when several instances are known, to tell their démarches apart. */
  instanceName: string | null;
  demarche: number;
  title: string | null;
  rows: UpcomingRow[];
}

export type UpcomingSources = FateRows;

/**
 * Dossiers of watched démarches (unknown démarches count as watched, as discovered ones start so)
 * whose deadline falls within the horizon, soonest first.
 */
export function upcomingRows(fates: readonly DossierFate[], horizonDays = HORIZON_DAYS): UpcomingRow[] {
  const rows: UpcomingRow[] = [];
  for (const { dossier, fate } of fates) {
    if (!fate.deadline || fate.daysLeft === null || fate.daysLeft < 0 || fate.daysLeft >= horizonDays) continue;
    rows.push({
      origin: dossier.origin,
      number: dossier.number,
      demarche: dossier.demarche,
      state: dossier.state,
      label: dossier.label,
      timeline: fate.timeline,
      deadline: fate.deadline,
      threatened: fate.threatened,
      archive: fate.archive,
      archivedAt: dossier.archivedAt ? new Date(dossier.archivedAt) : null,
      url: dossierUrl(dossier.origin, dossier.demarche, dossier.number),
    });
  }
  return rows.sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.number - b.number);
}

/** The "non sauvegardés" filter: never archived, or changed since the last archive. */
export function unsavedOnly(rows: readonly UpcomingRow[]): UpcomingRow[] {
  return rows.filter((row) => row.archive !== 'saved');
}

/** Groups sorted rows by démarche; groups come in the order of their soonest dossier. */
const demarcheKey = (origin: string, number: number) => `${origin}|${number}`;

export function groupByDemarche(rows: readonly UpcomingRow[], sources: UpcomingSources): UpcomingGroup[] {
  const titles = new Map(sources.demarches.map((d) => [demarcheKey(d.origin, d.number), d.title]));
  const names = new Map(sources.instances.map((i) => [i.origin, i.name]));
  const severalInstances = new Set(rows.map((row) => row.origin)).size > 1 || sources.instances.length > 1;
  const groups = new Map<string, UpcomingGroup>();
  for (const row of rows) {
    const key = demarcheKey(row.origin, row.demarche);
    let group = groups.get(key);
    if (!group) {
      group = {
        origin: row.origin,
        instanceName: severalInstances ? (names.get(row.origin) ?? new URL(row.origin).host) : null,
        demarche: row.demarche,
        title: titles.get(key) || null,
        rows: [],
      };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()];
}
