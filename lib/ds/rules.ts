/**
 * DS's retention rules and constants (app/services/expired.rb, app/models/dossier.rb at e1338d7).
 * DS runs its expiry jobs in Europe/Paris time, so calendar days are counted there.
 */

export const DS_TIME_ZONE = 'Europe/Paris';
/** DS e-mails and shows "Expire dans N J." this many days before `expired_at`. */
export const NOTICE_DAYS = 14;
/** An expired dossier stays restorable in the corbeille this long before the purge. */
export const CORBEILLE_DAYS = 14;
/** `duree_conservation_dossiers_dans_ds` when a démarche does not say otherwise. */
export const DEFAULT_RETENTION_MONTHS = 12;
export const MAX_RETENTION_MONTHS = 60;
/** "Conserver un mois de plus" extends by one month. */
export const INSTRUCTEUR_EXTENSION_MONTHS = 1;

/** API limits: pages of 100, 400 requests per minute per token, 30 s server timeout. */
export const API_PAGE_SIZE = 100;
export const API_RATE_LIMIT_PER_MINUTE = 400;
export const API_SERVER_TIMEOUT_MS = 30_000;
/** File URLs from the API are signed for one hour. */
export const FILE_URL_LIFETIME_MS = 60 * 60 * 1000;
/** Dossier lists are paginated by 100. */
export const LIST_PAGE_SIZE = 100;
