/**
 * The demo's model of DS's records: procedures (démarches), dossiers with the columns DS's expiry
 * rules read and write, and purged dossiers (`deleted_dossiers`). Field names follow DS's columns.
 */

export type DossierState = 'en_construction' | 'en_instruction' | 'accepte' | 'refuse' | 'sans_suite';
export const DOSSIER_STATES: readonly DossierState[] = [
  'en_construction',
  'en_instruction',
  'accepte',
  'refuse',
  'sans_suite',
];
export const isTermine = (state: DossierState): boolean =>
  state === 'accepte' || state === 'refuse' || state === 'sans_suite';

/** `DeletedDossier.reasons` (also `dossiers.hidden_by_reason`). */
export type DeletionReason =
  | 'expired'
  | 'instructeur_request'
  | 'manager_request'
  | 'procedure_removed'
  | 'user_expired'
  | 'user_removed'
  | 'user_request';

export type ChampType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'date'
  | 'integer_number'
  | 'yes_no'
  | 'checkbox'
  | 'drop_down_list'
  | 'piece_justificative'
  | 'repetition'
  | 'header_section'
  | 'explication';

export interface ChampDescriptor {
  /** The stable id (`champDescriptorId`). */
  id: number;
  type: ChampType;
  label: string;
  description: string | null;
  required: boolean;
  options?: readonly string[];
  children?: readonly ChampDescriptor[];
}

export interface Service {
  id: number;
  nom: string;
  organisme: string;
  siret: string;
  typeOrganisme: 'collectivite_territoriale' | 'service_deconcentre_de_l_etat' | 'administration_centrale';
}

export interface Demarche {
  number: number;
  title: string;
  description: string;
  /** Slug of the usager link `/commencer/<path>`. */
  path: string;
  state: 'publiee' | 'close';
  createdAt: Date;
  publishedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** `duree_conservation_dossiers_dans_ds`, in months. */
  dureeConservationMonths: number;
  /** `procedure_expires_when_termine_enabled`: processed dossiers expire too. */
  expiresWhenTermine: boolean;
  /** Whether the instructeur's dossier list shows the optional "Date d’expiration" column. */
  showsExpirationColumn: boolean;
  /** Demandeurs are individuals (PersonnePhysique) rather than legal entities (PersonneMorale). */
  forIndividual: boolean;
  /** An attestation template is active: accepted dossiers get an attestation PDF. */
  hasAttestation: boolean;
  /** Id of the instructeur's `procedure_presentation` (table settings form URLs). */
  presentationId: number;
  groupe: { number: number; label: string };
  service: Service;
  revision: {
    id: number;
    createdAt: Date;
    publishedAt: Date;
    champs: readonly ChampDescriptor[];
    annotations: readonly ChampDescriptor[];
  };
}

export type Demandeur =
  | { kind: 'physique'; civilite: 'M' | 'Mme'; nom: string; prenom: string; dateDeNaissance: Date | null }
  | {
      kind: 'morale';
      siret: string;
      raisonSociale: string;
      rna: string;
      naf: string;
      libelleNaf: string;
      address: { streetNumber: string; streetName: string; postalCode: string; cityName: string; cityCode: string };
    };

/** DS's "news" notifications shown as blue badges (message, modification, avis, annotation). */
export type NewsKind = 'modifie' | 'message' | 'annotation' | 'avis';

export interface Dossier {
  number: number;
  demarche: number;
  state: DossierState;
  archived: boolean;
  createdAt: Date;
  deposeAt: Date;
  enConstructionAt: Date;
  enInstructionAt: Date | null;
  processedAt: Date | null;
  /** `updated_at`: what API `updatedSince` filters on. DS's notice job does NOT touch it. */
  updatedAt: Date;
  /** `conservation_extension`, in months ("Conserver un mois de plus" adds one). */
  conservationExtensionMonths: number;
  enConstructionNoticeSentAt: Date | null;
  termineNoticeSentAt: Date | null;
  /**
   * `expired_at`, persisted as DS does (recomputed at transitions, notices and extensions). Under the
   * 2026 rules an en construction dossier may keep a residual value DS no longer reads: only the
   * « Date d’expiration » list column shows it.
   */
  expiredAt: Date | null;
  hiddenByExpiredAt: Date | null;
  hiddenByAdministrationAt: Date | null;
  hiddenByUserAt: Date | null;
  hiddenReason: DeletionReason | null;
  /** `display_at` of the `dossier_expirant` notification ("Expire dans N J."), if any. */
  expirantNotifiedAt: Date | null;
  /** `display_at` of the `dossier_suppression` notification ("Suppression dans N J."), if any. */
  suppressionNotifiedAt: Date | null;
  /**
   * 2026 rules, en construction: whether its page shows « Ce dossier est en construction, il
   * n’expirera pas » (PR #13212) or nothing (DS's releases differ on that line).
   */
  neverExpiresLine: boolean;
  /** E-mails of the instructeurs following the dossier. */
  followers: string[];
  news: NewsKind[];
  usagerEmail: string;
  demandeur: Demandeur;
  motivation: string | null;
  /**
   * Set by the admin endpoint (benchmarks, tests): exactly this many attachments, all in the
   * démarche's first « pièce justificative » champ, and no other file (no message, avis or motivation
   * attachment); otherwise the generator draws them.
   */
  pieces?: { count: number /** Their bytes in all (default: the instance's `attachmentKb`). */; totalKb?: number };
  /**
   * Set by the admin endpoint: the usager filled it with hostile content (`data/hostile.ts`) —
   * names, text champs, a 1 MB value, attachment names, a message.
   */
  hostile?: boolean;
}

/** A row of `deleted_dossiers`: what remains of a purged dossier. */
export interface DeletedDossier {
  number: number;
  demarche: number;
  state: DossierState;
  reason: DeletionReason;
  deletedAt: Date;
}

/** "Raison sociale" or "NOM Prénom", as DS's `owner_name` shows it in titles. */
export function ownerName(demandeur: Demandeur): string {
  return demandeur.kind === 'morale' ? demandeur.raisonSociale : `${demandeur.nom.toUpperCase()} ${demandeur.prenom}`;
}
