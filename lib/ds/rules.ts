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

/**
 * DS's two rule sets for en construction dossiers (API-AND-RULES §3b). Since June 2026 (PR #13212)
 * an en construction dossier never expires, like one en instruction: `dateExpiration` is null, its
 * page shows no « Expirera le », the `expirant` tab leaves it out, and a residual `expired_at` may
 * still show in a « Date d’expiration » column, meaning nothing. Before, it expired from its last
 * passage en construction + the démarche's retention. Forks follow DS's releases at their own pace.
 */
export type RuleSet = '2026' | '2025';

/** What DS showed that proves which rule set an instance runs. */
export type RulesEvidence =
  | 'api-null' // the API gave no `dateExpiration` to an en construction dossier
  | 'api-date' // the API dated an en construction dossier
  | 'page-no-expiry' // an en construction dossier page without « Expirera le »
  | 'page-expires' // an en construction dossier page with « Expirera le »
  | 'expirant-tab'; // the `expirant` tab listed an en construction dossier

export const RULES_PROVEN_BY: Readonly<Record<RulesEvidence, RuleSet>> = {
  'api-null': '2026',
  'page-no-expiry': '2026',
  'api-date': '2025',
  'page-expires': '2025',
  'expirant-tab': '2025',
};

export interface RulesShown {
  set: RuleSet;
  evidence: RulesEvidence;
}

export const rulesShownBy = (evidence: RulesEvidence): RulesShown => ({ set: RULES_PROVEN_BY[evidence], evidence });

/** What an API page of dossiers proves: only en construction dossiers tell the two rule sets apart. */
export function rulesShownByApi(
  nodes: readonly { state: string; dateExpiration: string | null }[],
): RulesShown | undefined {
  const enConstruction = nodes.filter((node) => node.state === 'en_construction');
  if (enConstruction.length === 0) return undefined;
  return rulesShownBy(enConstruction.some((node) => node.dateExpiration !== null) ? 'api-date' : 'api-null');
}
