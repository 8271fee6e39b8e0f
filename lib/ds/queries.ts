import type { DossierState } from './model';
import { API_PAGE_SIZE } from './rules';

/**
 * The GraphQL documents Archiviste sends to DS's API v2, and the shapes they return. Light on
 * purpose: only what the expiry watch needs, so a page of 100 dossiers stays far from DS's 30 s
 * timeout. Every document here is validated against DS's schema in tests/unit/queries.test.ts.
 */

export type DemarcheState = 'brouillon' | 'publiee' | 'close' | 'depubliee';
export type DeletedDossierReason =
  | 'expired'
  | 'instructeur_request'
  | 'manager_request'
  | 'procedure_removed'
  | 'user_expired'
  | 'user_removed'
  | 'user_request';

export type Demandeur =
  | { __typename: 'PersonnePhysique'; nom: string; prenom: string }
  | { __typename: 'PersonneMorale'; entreprise: { raisonSociale: string } | null }
  | { __typename: 'PersonneMoraleIncomplete' };

export interface DossierNode {
  number: number;
  state: DossierState;
  archived: boolean;
  dateDepot: string;
  datePassageEnConstruction: string;
  dateTraitement: string | null;
  dateDerniereModification: string;
  /** DS's `expired_at`; null while en instruction (never expires). */
  dateExpiration: string | null;
  usager: { email: string };
  demandeur: Demandeur;
  groupeInstructeur: { label: string };
}

/** A dossier in the corbeille (`pendingDeletedDossiers`) or purged (`deletedDossiers`). */
export interface DeletedDossierNode {
  number: number;
  state: DossierState;
  reason: DeletedDossierReason;
  /** Sic: DS's field name. When it was hidden (corbeille) or purged. */
  dateSupression: string;
}

export interface PageInfo {
  hasNextPage: boolean;
  /** Null on an empty page: never let it overwrite a persisted cursor. */
  endCursor: string | null;
}

export interface Page<T> {
  pageInfo: PageInfo;
  nodes: T[];
}

export interface DemarcheSummary {
  number: number;
  title: string;
  state: DemarcheState;
}

export interface DemarcheDescriptorNode extends DemarcheSummary {
  /** Months. */
  dureeConservationDossiers: number;
}

export type Variables = Record<string, string | number | boolean | null>;

export interface GraphQLRequest {
  query: string;
  variables: Variables;
}

const FRAGMENTS = {
  DossierPage: `fragment DossierPage on DossierConnection {
  pageInfo { hasNextPage endCursor }
  nodes { ...DossierFields }
}`,
  DeletedDossierPage: `fragment DeletedDossierPage on DeletedDossierConnection {
  pageInfo { hasNextPage endCursor }
  nodes { ...DeletedDossierFields }
}`,
  DossierFields: `fragment DossierFields on Dossier {
  number
  state
  archived
  dateDepot
  datePassageEnConstruction
  dateTraitement
  dateDerniereModification
  dateExpiration
  usager { email }
  demandeur {
    __typename
    ... on PersonnePhysique { nom prenom }
    ... on PersonneMorale { entreprise { raisonSociale } }
  }
  groupeInstructeur { label }
}`,
  DeletedDossierFields: `fragment DeletedDossierFields on DeletedDossier {
  number
  state
  reason
  dateSupression
}`,
  DemarcheFields: `fragment DemarcheFields on Demarche {
  number
  title
  state
}`,
  DescriptorFields: `fragment DescriptorFields on DemarcheDescriptor {
  number
  title
  state
  dureeConservationDossiers
}`,
} as const;

/** Appends the fragments the operation spreads, transitively (GraphQL rejects unused ones). */
function withFragments(operation: string): string {
  const used = new Set<string>();
  let text = operation;
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, fragment] of Object.entries(FRAGMENTS)) {
      if (!used.has(name) && new RegExp(`\\.\\.\\.${name}\\b`).test(text)) {
        used.add(name);
        text += `\n${fragment}`;
        grew = true;
      }
    }
  }
  return text;
}

/** The alias of a démarche in multi-démarche documents: `d104532`. */
export function demarcheAlias(number: number): string {
  return `d${number}`;
}

/** Inverse of {@link demarcheAlias}; null for anything else. */
export function demarcheOfAlias(alias: unknown): number | null {
  const match = typeof alias === 'string' ? /^d(\d+)$/.exec(alias) : null;
  return match ? Number(match[1]) : null;
}

function checkNumber(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`Not a ${what} number: ${n}`);
}

/** Numbers end up in aliases and variable names: only positive integers, each once. */
function checkNumbers(numbers: readonly number[]): void {
  for (const n of numbers) checkNumber(n, 'démarche');
  if (new Set(numbers).size !== numbers.length) throw new RangeError(`A démarche is listed twice: ${numbers}`);
}

/** Declares an operation variable (once) and returns its `$name`. */
type Declare = (name: string, type: string, value: string | number | null) => string;

function operation(name: string, selection: (v: Declare) => string): GraphQLRequest {
  const defs: string[] = [];
  const variables: Variables = {};
  const v: Declare = (variable, type, value) => {
    if (!(variable in variables)) {
      defs.push(`$${variable}: ${type}`);
      variables[variable] = value;
    }
    return `$${variable}`;
  };
  const body = selection(v);
  const signature = defs.length ? `(${defs.join(', ')})` : '';
  return { query: withFragments(`query ${name}${signature} {\n${body}\n}`), variables };
}

/** One aliased root field per démarche, each with its own `<alias>_…` variables. */
function aliased<T extends { number: number }>(
  name: string,
  items: readonly T[],
  field: (item: T, alias: string, v: Declare) => string,
): GraphQLRequest {
  if (!items.length) throw new RangeError(`${name} needs at least one démarche`);
  checkNumbers(items.map((item) => item.number));
  return operation(name, (v) =>
    items
      .map((item) => {
        const alias = demarcheAlias(item.number);
        return `  ${alias}: ${field(item, alias, v)}`;
      })
      .join('\n'),
  );
}

/** One connection of a poll: where it starts, and how far it got. */
export interface ConnectionWindow {
  since: string;
  after: string | null;
}

/**
 * What one poll request asks about one démarche. A connection left out is not requested (it has
 * no more pages in this poll).
 */
export interface PollTarget {
  number: number;
  /** `dossiers(updatedSince:)`: since a fixed date (it filters and orders); the cursor carries progress. */
  dossiers?: ConnectionWindow;
  /** `pendingDeletedDossiers(deletedSince:)`: dossiers moved to the corbeille. */
  pendingDeleted?: ConnectionWindow;
  /** `deletedDossiers(deletedSince:)`: dossiers purged for good. */
  deleted?: ConnectionWindow;
}

const CONNECTIONS = [
  ['dossiers', 'dossiers', 'updatedSince', 'DossierPage'],
  ['pendingDeleted', 'pendingDeletedDossiers', 'deletedSince', 'DeletedDossierPage'],
  ['deleted', 'deletedDossiers', 'deletedSince', 'DeletedDossierPage'],
] as const;

export type PollConnection = (typeof CONNECTIONS)[number][0];
export const POLL_CONNECTIONS: readonly PollConnection[] = CONNECTIONS.map(([key]) => key);

/**
 * All watched démarches of an instance in one request, through aliases: `d<number>: demarche(…)`
 * with the dossiers changed since the cursor, and the dossiers moved to the corbeille or purged
 * since a date. When nothing changed, this is the whole poll.
 */
export function buildPollQuery(targets: readonly PollTarget[], first: number = API_PAGE_SIZE): GraphQLRequest {
  return aliased('ArchivistePoll', targets, (target, alias, v) => {
    const number = v(`${alias}_number`, 'Int!', target.number);
    const connections = CONNECTIONS.flatMap(([key, field, sinceArg, fragment]) => {
      const window = target[key];
      if (!window) return [];
      const since = v(`${alias}_${key}Since`, 'ISO8601DateTime!', window.since);
      const after = v(`${alias}_${key}After`, 'String', window.after);
      const size = v('first', 'Int!', first);
      return [`${key}: ${field}(${sinceArg}: ${since}, first: ${size}, after: ${after}) { ...${fragment} }`];
    });
    return `demarche(number: ${number}) { ...DemarcheFields ${connections.join(' ')} }`;
  });
}

export interface PollDemarcheResult extends DemarcheSummary {
  dossiers?: Page<DossierNode>;
  pendingDeleted?: Page<DeletedDossierNode>;
  deleted?: Page<DeletedDossierNode>;
}
/** `data` of a poll: one entry per alias, null for a démarche DS refused. */
export type PollData = Record<string, PollDemarcheResult | null>;

/**
 * Every dossier of one démarche, by `dateDepot`: the daily scan that re-reads `dateExpiration`, which
 * DS moves without touching `updated_at` (so `updatedSince` misses it).
 */
const SCAN_QUERY = withFragments(`query ArchivisteScan($number: Int!, $first: Int!, $after: String) {
  demarche(number: $number) { ...DemarcheFields dossiers(first: $first, after: $after) { ...DossierPage } }
}`);
export interface ScanData {
  demarche: DemarcheSummary & { dossiers: Page<DossierNode> };
}
export function buildScanQuery(demarche: number, after: string | null, first: number = API_PAGE_SIZE): GraphQLRequest {
  checkNumber(demarche, 'démarche');
  return { query: SCAN_QUERY, variables: { number: demarche, first, after } };
}

/** One dossier, e.g. after the user opened it or before archiving it. */
const DOSSIER_QUERY = withFragments(`query ArchivisteDossier($number: Int!) {
  dossier(number: $number) { ...DossierFields demarche { number } }
}`);
export interface DossierData {
  dossier: DossierNode & { demarche: { number: number } };
}
export function buildDossierQuery(dossier: number): GraphQLRequest {
  checkNumber(dossier, 'dossier');
  return { query: DOSSIER_QUERY, variables: { number: dossier } };
}

/**
 * Title, state and retention of démarches. `demarcheDescriptor` is nullable, so one refused démarche
 * does not void the others; but open-data démarches answer any token, so this proves no access.
 */
export function buildDescribeQuery(numbers: readonly number[]): GraphQLRequest {
  return aliased(
    'ArchivisteDescribe',
    numbers.map((number) => ({ number })),
    ({ number }, alias, v) =>
      `demarcheDescriptor(demarche: { number: ${v(`${alias}_number`, 'Int!', number)} }) { ...DescriptorFields }`,
  );
}
export type DescribeData = Record<string, DemarcheDescriptorNode | null>;

/**
 * Which of these démarches the token reads (DS cannot list them). With no number, `__typename` still
 * goes through DS's token checks (expiry, network, validity).
 */
export function buildProbeQuery(numbers: readonly number[]): GraphQLRequest {
  if (!numbers.length) return operation('ArchivisteProbe', () => '  __typename');
  return aliased(
    'ArchivisteProbe',
    numbers.map((number) => ({ number })),
    ({ number }, alias, v) => `demarche(number: ${v(`${alias}_number`, 'Int!', number)}) { ...DemarcheFields }`,
  );
}
export type ProbeData = Record<string, DemarcheSummary | null>;

/** Who the dossier is about, as a short label: raison sociale, "Prénom Nom", else the usager's e-mail. */
export function dossierLabel(dossier: Pick<DossierNode, 'demandeur' | 'usager'>): string {
  const d = dossier.demandeur;
  if (d.__typename === 'PersonneMorale' && d.entreprise?.raisonSociale) return d.entreprise.raisonSociale;
  if (d.__typename === 'PersonnePhysique') {
    const name = `${d.prenom} ${d.nom}`.trim();
    if (name) return name;
  }
  return dossier.usager.email;
}

/*
 * Exporting one dossier (the dossier ZIP in API mode): everything DS's API tells about it, and
 * every file with its signed URL (valid one hour), DS's base64 MD5 and size. Separate from the
 * light watch documents above; validated against DS's schema in tests/unit/export-query.test.ts.
 */

/** DS's `File`. `byteSizeBigInt` is a BigInt scalar: a string on DS, sometimes a number. */
export interface ExportFile {
  url: string;
  filename: string;
  contentType: string;
  /** Base64 MD5; empty for the dossier PDF (rendered on request). */
  checksum: string;
  byteSizeBigInt: string | number;
  createdAt: string;
}

interface ExportChampBase {
  id: string;
  champDescriptorId: string;
  label: string;
  stringValue: string | null;
  updatedAt: string;
  prefilled: boolean;
}
export type ExportChamp =
  | (ExportChampBase & { __typename: 'PieceJustificativeChamp'; files: ExportFile[] })
  | (ExportChampBase & { __typename: 'RepetitionChamp'; rows: { id: string; champs: ExportChamp[] }[] })
  | (ExportChampBase & { __typename: string });

export interface ExportMessage {
  id: string;
  email: string;
  body: string;
  createdAt: string;
  discardedAt: string | null;
  attachments: ExportFile[];
  correction: { reason: string; dateResolution: string | null } | null;
}

export interface ExportAvis {
  id: string;
  question: string;
  questionLabel: string | null;
  questionAnswer: boolean | null;
  reponse: string | null;
  dateQuestion: string;
  dateReponse: string | null;
  claimant: { email: string } | null;
  expert: { email: string } | null;
  attachments: ExportFile[];
}

export interface ExportTraitement {
  event: string;
  dateTraitement: string;
  emailAgentTraitant: string | null;
  motivation: string | null;
}

export type ExportDemandeur =
  | {
      __typename: 'PersonnePhysique';
      civilite: string | null;
      nom: string;
      prenom: string;
      dateDeNaissance: string | null;
      email: string | null;
    }
  | {
      __typename: 'PersonneMorale';
      siret: string;
      naf: string | null;
      libelleNaf: string;
      address: { label: string };
      entreprise: { raisonSociale: string; siren: string } | null;
      association: { rna: string; titre: string } | null;
    }
  | { __typename: 'PersonneMoraleIncomplete'; siret: string };

export interface ExportDossierNode {
  id: string;
  number: number;
  state: DossierState;
  archived: boolean;
  dateDepot: string;
  datePassageEnConstruction: string;
  datePassageEnInstruction: string | null;
  dateTraitement: string | null;
  dateDerniereModification: string;
  dateDerniereModificationChamps: string;
  dateDerniereModificationAnnotations: string;
  dateExpiration: string | null;
  dateSuppressionParUsager: string | null;
  dateSuppressionParAdministration: string | null;
  demarche: { number: number; title: string; dureeConservationDossiers: number };
  groupeInstructeur: { number: number; label: string };
  usager: { email: string };
  demandeur: ExportDemandeur;
  deposeParUnTiers: boolean | null;
  nomMandataire: string | null;
  prenomMandataire: string | null;
  instructeurs: { email: string }[];
  motivation: string | null;
  motivationAttachment: ExportFile | null;
  attestation: ExportFile | null;
  pdf: ExportFile | null;
  champs: ExportChamp[];
  annotations: ExportChamp[];
  messages: ExportMessage[];
  avis: ExportAvis[];
  traitements: ExportTraitement[];
}

export interface ExportDossierData {
  dossier: ExportDossierNode;
}

const EXPORT_FRAGMENTS = `fragment ExportFileFields on File {
  url
  filename
  contentType
  checksum
  byteSizeBigInt
  createdAt
}
fragment ExportChampFields on Champ {
  __typename
  id
  champDescriptorId
  label
  stringValue
  updatedAt
  prefilled
  ... on PieceJustificativeChamp { files { ...ExportFileFields } }
}
fragment ExportRootChampFields on Champ {
  ...ExportChampFields
  ... on RepetitionChamp { rows { id champs { ...ExportChampFields } } }
}`;

const EXPORT_DOSSIER_FRAGMENT = `fragment ExportDossierFields on Dossier {
  id
  number
  state
  archived
  dateDepot
  datePassageEnConstruction
  datePassageEnInstruction
  dateTraitement
  dateDerniereModification
  dateDerniereModificationChamps
  dateDerniereModificationAnnotations
  dateExpiration
  dateSuppressionParUsager
  dateSuppressionParAdministration
  demarche { number title dureeConservationDossiers }
  groupeInstructeur { number label }
  usager { email }
  demandeur {
    __typename
    ... on PersonnePhysique { civilite nom prenom dateDeNaissance email }
    ... on PersonneMorale {
      siret naf libelleNaf
      address { label }
      entreprise { raisonSociale siren }
      association { rna titre }
    }
    ... on PersonneMoraleIncomplete { siret }
  }
  deposeParUnTiers
  nomMandataire
  prenomMandataire
  instructeurs { email }
  motivation
  motivationAttachment { ...ExportFileFields }
  attestation { ...ExportFileFields }
  pdf { ...ExportFileFields }
  champs { ...ExportRootChampFields }
  annotations { ...ExportRootChampFields }
  messages {
    id email body createdAt discardedAt
    attachments { ...ExportFileFields }
    correction { reason dateResolution }
  }
  avis {
    id question questionLabel questionAnswer reponse dateQuestion dateReponse
    claimant { email }
    expert { email }
    attachments { ...ExportFileFields }
  }
  traitements { event dateTraitement emailAgentTraitant motivation }
}`;

const EXPORT_DOSSIER_QUERY = `query ArchivisteExportDossier($number: Int!) {
  dossier(number: $number) { ...ExportDossierFields }
}
${EXPORT_DOSSIER_FRAGMENT}
${EXPORT_FRAGMENTS}`;

/**
 * Everything about one dossier for its export, files included (their URLs expire in one hour).
 * Not named `build…`: tests/unit/queries.test.ts lists the watch documents by that prefix; this one
 * is checked in tests/unit/export-query.test.ts.
 */
export function exportDossierRequest(dossier: number): GraphQLRequest {
  checkNumber(dossier, 'dossier');
  return { query: EXPORT_DOSSIER_QUERY, variables: { number: dossier } };
}

/**
 * Dossiers asked together for a bulk archive: DS's page size, and DS sets no complexity limit
 * (API-AND-RULES §1: `max_complexity nil`, depth 15, which an alias does not deepen).
 */
export const EXPORT_BATCH_SIZE = 100;

/**
 * The same as {@link exportDossierRequest} for up to {@link EXPORT_BATCH_SIZE} dossiers, one aliased
 * `dossier` field each (`d<number>`), so a bulk archive of 10,000 dossiers costs 100 requests of DS's
 * 400 a minute, not 10,000.
 */
export function exportDossiersRequest(dossiers: readonly number[]): GraphQLRequest {
  if (dossiers.length > EXPORT_BATCH_SIZE) throw new RangeError(`At most ${EXPORT_BATCH_SIZE} dossiers a request`);
  const request = aliased(
    'ArchivisteExportDossiers',
    dossiers.map((number) => ({ number })),
    ({ number }, alias, v) => `dossier(number: ${v(`${alias}_number`, 'Int!', number)}) { ...ExportDossierFields }`,
  );
  return { ...request, query: `${request.query}\n${EXPORT_DOSSIER_FRAGMENT}\n${EXPORT_FRAGMENTS}` };
}
