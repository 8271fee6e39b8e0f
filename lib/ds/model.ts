import type { RulesShown } from '@/lib/ds/rules';

/**
 * DS's domain vocabulary as Archiviste uses it, shared by the page readers, the API client and the
 * retention rules. Dates are ISO 8601 strings, as DS's API sends them.
 */

/** GraphQL `DossierState`. Instructeurs never see brouillons. */
export type DossierState = 'en_construction' | 'en_instruction' | 'accepte' | 'refuse' | 'sans_suite';
export const DOSSIER_STATES: readonly DossierState[] = [
  'en_construction',
  'en_instruction',
  'accepte',
  'refuse',
  'sans_suite',
];
export const isTermine = (state: DossierState) => state === 'accepte' || state === 'refuse' || state === 'sans_suite';

/**
 * Where an expiry date came from, best first: the API's `dateExpiration`; the dossier page's
 * `p.expires_at`; the list's "Date d’expiration" column; DS's "Expire dans N J." / "Suppression dans
 * N J." badges (day precision); Archiviste's own estimate from state, dates and retention.
 */
export type ExpirySource = 'api' | 'page' | 'column' | 'badge' | 'estimate';
export const EXPIRY_SOURCE_RANK: Record<ExpirySource, number> = { api: 5, page: 4, column: 3, badge: 2, estimate: 1 };

/**
 * DS's "news" notifications (`DossierNotification.type_news`), the blue badges a list row shows its
 * followers until they open the matching tab: the dossier changed, a message, an annotation, an avis.
 */
export type DossierNews = 'dossier_modifie' | 'message' | 'annotation_instructeur' | 'avis_externe';
export const DOSSIER_NEWS: readonly DossierNews[] = [
  'dossier_modifie',
  'message',
  'annotation_instructeur',
  'avis_externe',
];

/** One dossier as a DS page shows it (token-less mode). Fields the page does not show are absent. */
export interface PageDossier {
  number: number;
  demarche: number;
  state?: DossierState;
  /** ISO date(-time) of deletion, when the page shows one. */
  expiresAt?: string;
  expirySource?: Exclude<ExpirySource, 'api' | 'estimate'>;
  /** The dossier sits in the corbeille (hidden, restorable until purged). */
  inCorbeille?: boolean;
  /**
   * In the corbeille: when DS purges it ("Suppression dans N J.", day precision), or null when no
   * purge is scheduled (put there by an instructeur only: DS keeps it until the usager deletes it too).
   */
  purgeAt?: string | null;
  /** DS says it will not be deleted: « … il n’expirera pas ». */
  neverExpires?: boolean;
  /** Whose dossier it is: e-mail or name, as shown (untrusted text). */
  label?: string;
  dateDepot?: string;
  dateTraitement?: string;
  /** A list row's news badges, in DS's order; absent when it shows none. */
  news?: DossierNews[];
  /** Its messagerie's newest message (its « Messagerie » tab, its print page): the minute DS shows, ISO. */
  lastMessageAt?: string;
}

/** One démarche as a DS page shows it. */
export interface PageDemarche {
  number: number;
  title: string;
  /** False when the démarche has no "expirants" tab: processed dossiers are never deleted. */
  expiresWhenTermine?: boolean;
  /** Months, from a dossier page's "(12 mois après …)". */
  retentionMonths?: number;
  /** Counters shown on /procedures (tab name → count). */
  counts?: Partial<Record<'a-suivre' | 'suivis' | 'traites' | 'tous' | 'expirant', number>>;
}

/** What a content script reports after reading a DS page. */
export interface PageReport {
  origin: string;
  url: string;
  /** ISO time the page was read. */
  seenAt: string;
  demarches: PageDemarche[];
  dossiers: PageDossier[];
  /**
   * For a full dossier list page: the démarche, tab and page it lists, so dossiers absent from it
   * can be recognised as gone from that tab.
   */
  list?: { demarche: number; statut: string; page: number; pageCount: number };
  /** The user e-mail shown in the header; absent when logged out. */
  user?: string;
  /** Which expiry rules the page proves the instance runs, when it shows an en construction dossier's fate. */
  rules?: RulesShown;
}
