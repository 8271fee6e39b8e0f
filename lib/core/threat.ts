import type { DemarcheRow, DossierRow, InstanceRow } from '@/lib/core/db';
import { type InstanceRules, rulesByOrigin } from '@/lib/core/instance-rules';
import { type Timeline, timelineOf } from '@/lib/core/retention';
import { calendarDaysBetween } from '@/lib/platform/time';

/**
 * The one place that decides whether a dossier is threatened and whether it is saved. The toolbar
 * badge, the popup, the digests and the page features all ask here, so every count the user sees
 * agrees with every other.
 */

/** `saved`: archived since its last change; `stale`: changed since; `never`: not archived. */
export type ArchiveStatus = 'saved' | 'stale' | 'never';

export function archiveStatus(dossier: Pick<DossierRow, 'archivedAt' | 'dateDerniereModification'>): ArchiveStatus {
  if (!dossier.archivedAt) return 'never';
  const changed = dossier.dateDerniereModification;
  return changed && Date.parse(changed) > Date.parse(dossier.archivedAt) ? 'stale' : 'saved';
}

/** DS shows a message's time to the minute (`Le 14/01/2026 09:31`), never its seconds. */
const MESSAGE_TIME_STEP_MS = 60_000;

/**
 * The change a message DS shows makes to a saved dossier (without a token, pages give no modification
 * date; DS touches the dossier with every message): the latest instant the message can have been
 * sent, when that is after the save, else nothing. Counting from the end of the minute shown, a
 * message sent in the same minute as a save, after it, is not missed; one sent in that minute before
 * it asks for a save it did not need, the safe side for an archive.
 */
export function changeShownByMessage(
  dossier: Pick<DossierRow, 'archivedAt' | 'dateDerniereModification'>,
  lastMessageAt: string,
): string | undefined {
  if (!dossier.archivedAt) return undefined;
  const latest = Date.parse(lastMessageAt) + MESSAGE_TIME_STEP_MS - 1;
  if (!(latest > Date.parse(dossier.archivedAt))) return undefined;
  const known = dossier.dateDerniereModification ? Date.parse(dossier.dateDerniereModification) : Number.NaN;
  return known >= latest ? undefined : new Date(latest).toISOString();
}

/**
 * Watched démarches are synced, counted and notified. A démarche not known yet counts as watched,
 * as discovered démarches start watched: its dossiers are never left out of one count and in another.
 */
export const isWatched = (demarche: Pick<DemarcheRow, 'watched'> | undefined): boolean => demarche?.watched !== false;

/** When it is gone for good from where the user can act: the purge once in the corbeille, else its expiry. */
export function deadlineOf(timeline: Timeline): Date | null {
  if (timeline.phase === 'corbeille') return timeline.purgeAt;
  if (timeline.phase === 'notice' || timeline.phase === 'active') return timeline.expiresAt;
  return null;
}

export interface Fate {
  timeline: Timeline;
  deadline: Date | null;
  /** Paris calendar days until `deadline`. */
  daysLeft: number | null;
  archive: ArchiveStatus;
  /** DS deletes it within the lead time, or its purge from the corbeille is scheduled. */
  threatened: boolean;
  /** Threatened and not saved since its last change: what the toolbar badge counts. */
  atRisk: boolean;
}

export function fateOf(
  dossier: DossierRow,
  demarche: DemarcheRow | undefined,
  rules: InstanceRules,
  leadTimeDays: number,
  now: Date,
): Fate {
  const timeline = timelineOf(dossier, demarche, rules, now);
  const deadline = deadlineOf(timeline);
  const daysLeft = deadline ? calendarDaysBetween(now, deadline) : null;
  const threatened = daysLeft !== null && daysLeft >= 0 && (timeline.phase === 'corbeille' || daysLeft <= leadTimeDays);
  const archive = archiveStatus(dossier);
  return { timeline, deadline, daysLeft, archive, threatened, atRisk: threatened && archive !== 'saved' };
}

export interface FateRows {
  instances: readonly InstanceRow[];
  demarches: readonly DemarcheRow[];
  dossiers: readonly DossierRow[];
}

export interface DossierFate {
  dossier: DossierRow;
  demarche: DemarcheRow | undefined;
  fate: Fate;
}

const demarcheKey = (origin: string, number: number) => `${origin}|${number}`;

/** The fate of every dossier of a watched démarche (purged dossiers included: callers filter by phase). */
export function fatesOf(rows: FateRows, leadTimeDays: number, now: Date): DossierFate[] {
  const demarches = new Map(rows.demarches.map((d) => [demarcheKey(d.origin, d.number), d]));
  const rulesOfOrigin = rulesByOrigin(rows.instances);
  const fates: DossierFate[] = [];
  for (const dossier of rows.dossiers) {
    const demarche = demarches.get(demarcheKey(dossier.origin, dossier.demarche));
    if (!isWatched(demarche)) continue;
    fates.push({
      dossier,
      demarche,
      fate: fateOf(dossier, demarche, rulesOfOrigin(dossier.origin), leadTimeDays, now),
    });
  }
  return fates;
}

/** What the toolbar badge shows: dossiers threatened within the lead time and not saved. */
export function countAtRisk(rows: FateRows, leadTimeDays: number, now: Date): number {
  return fatesOf(rows, leadTimeDays, now).filter(({ fate }) => fate.atRisk).length;
}
