/**
 * DS's expiry rules (app/models/dossier.rb, app/services/expired.rb), restated for the demo's
 * records. Brouillons do not exist here: instructeurs never see them.
 *
 * Two rule sets (../shared/ds/API-AND-RULES.md §3 and §3b):
 * - `2026`, DS since June 2026 (PR #13212): en construction dossiers never expire, like en
 *   instruction ones; only terminé dossiers do (when their démarche expires them);
 * - `2025`, DS before (and forks that have not caught up): en construction dossiers expire too,
 *   counted from their last passage en construction.
 */
import { type Demarche, type Dossier, type DossierState, isTermine } from '../data/model';
import { addDays, addMonths } from '../time';

export type RuleSet = '2026' | '2025';
export const RULE_SETS: readonly RuleSet[] = ['2026', '2025'];
/** The demo models DS as it runs since June 2026 unless told otherwise. */
export const DEFAULT_RULES: RuleSet = '2026';
export const isRuleSet = (value: unknown): value is RuleSet => (RULE_SETS as readonly unknown[]).includes(value);

/** `Expired::REMAINING_WEEKS_BEFORE_EXPIRATION` and `Dossier::REMAINING_WEEKS_BEFORE_DELETION`, in days. */
export const NOTICE_DAYS = 14;
export const CORBEILLE_DAYS = 14;

/** Whether dossiers in this state can expire at all under the rules (the démarche's flag aside). */
export function stateExpires(state: DossierState, rules: RuleSet): boolean {
  return isTermine(state) || (state === 'en_construction' && rules === '2025');
}

/** `expirable?`: the dossier page shows `p.expires_at` only for these. */
export function isExpirable(dossier: Dossier, demarche: Demarche, rules: RuleSet): boolean {
  if (isTermine(dossier.state)) return demarche.expiresWhenTermine;
  return stateExpires(dossier.state, rules);
}

/** The notice timestamp of the dossier's current state (`<state>_close_to_expiration_notice_sent_at`). */
export function noticeSentAt(dossier: Dossier, rules: RuleSet): Date | null {
  if (!stateExpires(dossier.state, rules)) return null;
  return dossier.state === 'en_construction' ? dossier.enConstructionNoticeSentAt : dossier.termineNoticeSentAt;
}

/** `expiration_date_reference`: the date the retention period counts from. */
function expirationReference(dossier: Dossier, rules: RuleSet): Date | null {
  if (!stateExpires(dossier.state, rules)) return null;
  return dossier.state === 'en_construction' ? dossier.enConstructionAt : dossier.processedAt;
}

/** `duree_totale_conservation_in_months`. */
export function retentionMonths(dossier: Dossier, demarche: Demarche): number {
  return demarche.dureeConservationMonths + dossier.conservationExtensionMonths;
}

/**
 * `expiration_date`: two weeks after the notice once it was sent, otherwise the reference date plus
 * the retention; none for dossiers that never expire (en instruction; en construction since 2026).
 */
export function expirationDate(dossier: Dossier, demarche: Demarche, rules: RuleSet): Date | null {
  const notice = noticeSentAt(dossier, rules);
  if (notice) return addDays(notice, NOTICE_DAYS);
  const reference = expirationReference(dossier, rules);
  return reference ? addMonths(reference, retentionMonths(dossier, demarche)) : null;
}

/**
 * The "old date" of an en construction dossier: its last passage en construction plus the
 * retention, when the 2025 rules would have expired it (before any notice). Null for other states.
 * Under the 2026 rules DS reads it nowhere; the demo exposes it so tests can pick dossiers an
 * extension still running the old rules would wrongly announce.
 */
export function oldRulesExpirationDate(dossier: Dossier, demarche: Demarche): Date | null {
  if (dossier.state !== 'en_construction') return null;
  return addMonths(dossier.enConstructionAt, retentionMonths(dossier, demarche));
}

/**
 * `update_expired_at`: a column write, which leaves `updated_at` alone. Under the 2026 rules it
 * clears an en construction dossier's residual `expired_at` (`expiration_date` is nil).
 */
export function updateExpiredAt(dossier: Dossier, demarche: Demarche, rules: RuleSet): void {
  dossier.expiredAt = expirationDate(dossier, demarche, rules);
}

/**
 * What DS reads as the dossier's expiry (API `dateExpiration`, badges, tabs): `expired_at`, except
 * for dossiers that never expire, whose column may hold a stale value (en construction since 2026).
 */
export function effectiveExpiredAt(dossier: Dossier, rules: RuleSet): Date | null {
  return stateExpires(dossier.state, rules) ? dossier.expiredAt : null;
}

/** `close_to_expiration?`: fewer than two weeks left and not yet expired. */
export function isCloseToExpiration(dossier: Dossier, now: Date, rules: RuleSet): boolean {
  const expiredAt = effectiveExpiredAt(dossier, rules);
  if (!expiredAt) return false;
  return expiredAt < addDays(now, NOTICE_DAYS) && now < expiredAt;
}

/** `has_expired?`: the notice is more than two weeks old. */
export function hasExpired(dossier: Dossier, now: Date, rules: RuleSet): boolean {
  const notice = noticeSentAt(dossier, rules);
  return notice !== null && notice < addDays(now, -NOTICE_DAYS);
}

/** `visible_by_user`. */
export function isVisibleByUser(dossier: Dossier): boolean {
  return !dossier.hiddenByUserAt && !dossier.hiddenByExpiredAt;
}

/** `visible_by_administration`: what instructeur lists and the API's `dossiers` show. */
export function isVisibleByAdministration(dossier: Dossier): boolean {
  return (
    !dossier.hiddenByAdministrationAt &&
    !dossier.hiddenByExpiredAt &&
    (isVisibleByUser(dossier) || dossier.state !== 'en_construction')
  );
}

/** `hidden_for_administration`: the API's `pendingDeletedDossiers` (not the expired ones). */
export function isPendingDeletion(dossier: Dossier): boolean {
  return Boolean(dossier.hiddenByAdministrationAt) || (dossier.state === 'en_construction' && !!dossier.hiddenByUserAt);
}

/** In the instructeur's `supprimes` tab (corbeille): terminé dossiers hidden by the administration, or expired. */
export function isInCorbeille(dossier: Dossier): boolean {
  return (isTermine(dossier.state) && !!dossier.hiddenByAdministrationAt) || !!dossier.hiddenByExpiredAt;
}

/** `extend_conservation(1.month)` ("Conserver un mois de plus"): a regular update, so `updated_at` moves. */
export function extendConservation(dossier: Dossier, demarche: Demarche, now: Date, rules: RuleSet): void {
  dossier.conservationExtensionMonths += 1;
  dossier.enConstructionNoticeSentAt = null;
  dossier.termineNoticeSentAt = null;
  dossier.updatedAt = now;
  updateExpiredAt(dossier, demarche, rules);
  dossier.expirantNotifiedAt = null;
}

/** `extend_conservation_and_restore`: also takes the dossier out of the corbeille. */
export function extendConservationAndRestore(dossier: Dossier, demarche: Demarche, now: Date, rules: RuleSet): void {
  extendConservation(dossier, demarche, now, rules);
  dossier.hiddenByExpiredAt = null;
  dossier.hiddenReason = null;
  dossier.hiddenByAdministrationAt = null;
  dossier.suppressionNotifiedAt = null;
}
