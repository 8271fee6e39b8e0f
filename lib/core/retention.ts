import type { DemarcheRow, DossierRow } from '@/lib/core/db';
import type { InstanceRules } from '@/lib/core/instance-rules';
import { type ExpirySource, isTermine } from '@/lib/ds/model';
import { CORBEILLE_DAYS, DEFAULT_RETENTION_MONTHS, NOTICE_DAYS } from '@/lib/ds/rules';
import { addDays, addMonths, calendarDaysBetween } from '@/lib/platform/time';

/**
 * Each dossier's deletion timeline, from the best source Archiviste has (API `dateExpiration`, then
 * what DS pages show, then an estimate it marks as such). DS's rules (API-AND-RULES §3, §3b):
 * - en instruction never expires; processed dossiers only where the démarche expires them;
 * - en construction never expires on DS since June 2026 (a stale date DS still shows means nothing);
 *   on an instance still running the older rules it expires from its passage en construction, and
 *   where no evidence says which rules apply yet, that older date is only an estimate;
 * - DS notices the dossier 14 days before `expired_at` (and resets it to notice + 14 days);
 * - at `expired_at` it moves to the corbeille, restorable for 14 days; then it is purged.
 */

export type Phase =
  | 'active' // more than 14 days left
  | 'notice' // within DS's 14-day notice window
  | 'corbeille' // expired: hidden by DS, restorable until `purgeAt`
  | 'purged' // gone for good
  | 'never' // will not be deleted automatically
  | 'unknown'; // no date and nothing to estimate from

export interface Timeline {
  /** When DS removes it from the lists (its `expired_at`). */
  expiresAt: Date | null;
  /** When DS destroys it for good (`expired_at` + 14 days, or corbeille entry + 14 days). */
  purgeAt: Date | null;
  /** Paris calendar days until `expiresAt` (until `purgeAt` once in the corbeille). */
  daysLeft: number | null;
  phase: Phase;
  source: ExpirySource | null;
  /** True when computed by Archiviste, not read from DS. */
  estimated: boolean;
}

type DossierFacts = Pick<
  DossierRow,
  | 'state'
  | 'expiresAt'
  | 'expirySource'
  | 'neverExpires'
  | 'corbeilleSince'
  | 'purgeAt'
  | 'deletedAt'
  | 'dateDepot'
  | 'datePassageEnConstruction'
  | 'dateTraitement'
>;
type DemarcheFacts = Pick<DemarcheRow, 'retentionMonths' | 'expiresWhenTermine'>;

const NONE = { expiresAt: null, purgeAt: null, daysLeft: null, source: null, estimated: false } as const;

/** DS's reference date + retention, for a dossier whose date DS has not shown us. */
export function estimateExpiry(dossier: DossierFacts, demarche?: DemarcheFacts): Date | null {
  if (!dossier.state) return null;
  const reference =
    dossier.state === 'en_construction'
      ? (dossier.datePassageEnConstruction ?? dossier.dateDepot)
      : isTermine(dossier.state)
        ? dossier.dateTraitement
        : undefined;
  if (!reference) return null;
  return addMonths(new Date(reference), demarche?.retentionMonths ?? DEFAULT_RETENTION_MONTHS);
}

export function timelineOf(
  dossier: DossierFacts,
  demarche: DemarcheFacts | undefined,
  rules: Pick<InstanceRules, 'set' | 'basis'>,
  now: Date,
): Timeline {
  if (dossier.deletedAt) return { ...NONE, phase: 'purged' };
  if (dossier.corbeilleSince) {
    const expiresAt = dossier.expiresAt ? new Date(dossier.expiresAt) : null;
    // Trashed by an instructeur only: DS keeps it until the usager deletes it too.
    if (dossier.purgeAt === null) {
      return {
        expiresAt,
        purgeAt: null,
        daysLeft: null,
        phase: 'corbeille',
        source: dossier.expirySource,
        estimated: false,
      };
    }
    const purgeAt = dossier.purgeAt
      ? new Date(dossier.purgeAt)
      : addDays(new Date(dossier.corbeilleSince), CORBEILLE_DAYS);
    return {
      expiresAt,
      purgeAt,
      daysLeft: calendarDaysBetween(now, purgeAt),
      phase: purgeAt <= now ? 'purged' : 'corbeille',
      source: dossier.expirySource,
      estimated: false,
    };
  }
  const enConstruction = dossier.state === 'en_construction';
  if (enConstruction && rules.set === '2026') return { ...NONE, phase: 'never' };
  if (dossier.neverExpires || dossier.state === 'en_instruction') return { ...NONE, phase: 'never' };
  if (dossier.state && isTermine(dossier.state) && demarche?.expiresWhenTermine === false) {
    return { ...NONE, phase: 'never' };
  }

  const known = dossier.expiresAt ? new Date(dossier.expiresAt) : null;
  const expiresAt = known ?? estimateExpiry(dossier, demarche);
  // Without evidence of the instance's rules, even a date DS shows may be one it no longer reads.
  const estimated = !known || (enConstruction && rules.basis === 'assumed');
  if (!expiresAt) return { ...NONE, phase: 'unknown' };
  const purgeAt = addDays(expiresAt, CORBEILLE_DAYS);
  const daysLeft = calendarDaysBetween(now, expiresAt);
  const phase: Phase =
    purgeAt <= now ? 'purged' : expiresAt <= now ? 'corbeille' : daysLeft <= NOTICE_DAYS ? 'notice' : 'active';
  return {
    expiresAt,
    purgeAt,
    daysLeft: phase === 'corbeille' ? calendarDaysBetween(now, purgeAt) : daysLeft,
    phase,
    source: estimated ? 'estimate' : dossier.expirySource,
    estimated,
  };
}
