/**
 * DS's expiry rules (app/models/dossier.rb, app/services/expired.rb), restated for the demo's
 * records. Brouillons do not exist here: instructeurs never see them.
 */
import { type Demarche, type Dossier, isTermine } from '../data/model';
import { addDays, addMonths } from '../time';

/** `Expired::REMAINING_WEEKS_BEFORE_EXPIRATION` and `Dossier::REMAINING_WEEKS_BEFORE_DELETION`, in days. */
export const NOTICE_DAYS = 14;
export const CORBEILLE_DAYS = 14;

/** `expirable?`: the dossier page shows `p.expires_at` only for these. */
export function isExpirable(dossier: Dossier, demarche: Demarche): boolean {
  return dossier.state === 'en_construction' || (isTermine(dossier.state) && demarche.expiresWhenTermine);
}

/** The notice timestamp of the dossier's current state (`<state>_close_to_expiration_notice_sent_at`). */
export function noticeSentAt(dossier: Dossier): Date | null {
  if (dossier.state === 'en_construction') return dossier.enConstructionNoticeSentAt;
  if (isTermine(dossier.state)) return dossier.termineNoticeSentAt;
  return null;
}

/** `expiration_date_reference`: the date the retention period counts from. */
function expirationReference(dossier: Dossier): Date | null {
  if (dossier.state === 'en_construction') return dossier.enConstructionAt;
  if (isTermine(dossier.state)) return dossier.processedAt;
  return null;
}

/** `duree_totale_conservation_in_months`. */
export function retentionMonths(dossier: Dossier, demarche: Demarche): number {
  return demarche.dureeConservationMonths + dossier.conservationExtensionMonths;
}

/**
 * `expiration_date`: two weeks after the notice once it was sent, otherwise the reference date plus
 * the retention; none for en_instruction dossiers, which never expire.
 */
export function expirationDate(dossier: Dossier, demarche: Demarche): Date | null {
  const notice = noticeSentAt(dossier);
  if (notice) return addDays(notice, NOTICE_DAYS);
  const reference = expirationReference(dossier);
  return reference ? addMonths(reference, retentionMonths(dossier, demarche)) : null;
}

/** `update_expired_at`: a column write, which leaves `updated_at` alone. */
export function updateExpiredAt(dossier: Dossier, demarche: Demarche): void {
  dossier.expiredAt = expirationDate(dossier, demarche);
}

/** `close_to_expiration?`: fewer than two weeks left and not yet expired. */
export function isCloseToExpiration(dossier: Dossier, now: Date): boolean {
  if (dossier.state === 'en_instruction' || !dossier.expiredAt) return false;
  return dossier.expiredAt < addDays(now, NOTICE_DAYS) && now < dossier.expiredAt;
}

/** `has_expired?`: the notice is more than two weeks old. */
export function hasExpired(dossier: Dossier, now: Date): boolean {
  const notice = noticeSentAt(dossier);
  return notice !== null && dossier.state !== 'en_instruction' && notice < addDays(now, -NOTICE_DAYS);
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
export function extendConservation(dossier: Dossier, demarche: Demarche, now: Date): void {
  dossier.conservationExtensionMonths += 1;
  dossier.enConstructionNoticeSentAt = null;
  dossier.termineNoticeSentAt = null;
  dossier.updatedAt = now;
  updateExpiredAt(dossier, demarche);
  dossier.expirantNotifiedAt = null;
}

/** `extend_conservation_and_restore`: also takes the dossier out of the corbeille. */
export function extendConservationAndRestore(dossier: Dossier, demarche: Demarche, now: Date): void {
  extendConservation(dossier, demarche, now);
  dossier.hiddenByExpiredAt = null;
  dossier.hiddenReason = null;
  dossier.hiddenByAdministrationAt = null;
  dossier.suppressionNotifiedAt = null;
}
