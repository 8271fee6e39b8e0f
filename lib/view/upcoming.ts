import type { DemarcheRow, DossierRow, InstanceRow } from '@/lib/core/db';
import { type Timeline, timelineOf } from '@/lib/core/retention';
import type { DossierState } from '@/lib/ds/model';
import { dossierUrl } from '@/lib/ds/routes';
import { calendarDaysBetween } from '@/lib/platform/time';

/**
 * The dossiers DS will delete soonest, grouped by démarche: what the popup lists. Pure functions of
 * the database rows and the time.
 */

/** 13 weeks: the span of the popup's list and chart (about three months). */
export const HORIZON_DAYS = 91;

/** `saved`: archived since its last change; `stale`: changed since; `never`: not archived. */
export type ArchiveStatus = 'saved' | 'stale' | 'never';

export function archiveStatus(dossier: Pick<DossierRow, 'archivedAt' | 'dateDerniereModification'>): ArchiveStatus {
  if (!dossier.archivedAt) return 'never';
  const changed = dossier.dateDerniereModification;
  return changed && Date.parse(changed) > Date.parse(dossier.archivedAt) ? 'stale' : 'saved';
}

export interface UpcomingRow {
  origin: string;
  number: number;
  demarche: number;
  state?: DossierState;
  label?: string;
  timeline: Timeline;
  /** When it is gone for good from where the user can act: the purge once in the corbeille, else `expiresAt`. */
  deadline: Date;
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

export interface UpcomingSources {
  instances: InstanceRow[];
  demarches: DemarcheRow[];
  dossiers: DossierRow[];
}

const demarcheKey = (origin: string, number: number) => `${origin}|${number}`;

function deadlineOf(timeline: Timeline): Date | null {
  if (timeline.phase === 'corbeille') return timeline.purgeAt;
  if (timeline.phase === 'notice' || timeline.phase === 'active') return timeline.expiresAt;
  return null;
}

/**
 * Dossiers of watched démarches (unknown démarches count as watched, as discovered ones start so)
 * whose deadline falls within the horizon, soonest first.
 */
export function upcomingRows(sources: UpcomingSources, now: Date, horizonDays = HORIZON_DAYS): UpcomingRow[] {
  const demarches = new Map(sources.demarches.map((d) => [demarcheKey(d.origin, d.number), d]));
  const rows: UpcomingRow[] = [];
  for (const dossier of sources.dossiers) {
    const demarche = demarches.get(demarcheKey(dossier.origin, dossier.demarche));
    if (demarche?.watched === false) continue;
    const timeline = timelineOf(dossier, demarche, now);
    const deadline = deadlineOf(timeline);
    if (!deadline) continue;
    const days = calendarDaysBetween(now, deadline);
    if (days < 0 || days >= horizonDays) continue;
    rows.push({
      origin: dossier.origin,
      number: dossier.number,
      demarche: dossier.demarche,
      state: dossier.state,
      label: dossier.label,
      timeline,
      deadline,
      archive: archiveStatus(dossier),
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
