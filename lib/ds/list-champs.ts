import { type DsApiClient, paginate } from './api';
import type { DossierState } from './model';
import type { GraphQLRequest, Page } from './queries';
import type { Statut } from './routes';
import { API_PAGE_SIZE } from './rules';

/**
 * The champs of a list tab's dossiers through DS's API, for the list spreadsheet in API mode: the
 * démarche's form (its active revision's champ descriptors, in order) and each dossier's champs, 100
 * dossiers a request. DS cannot be asked for dossiers by number, so the tab's dossiers are walked
 * through `demarche.dossiers`, narrowed to what the tab can hold, until every one is found.
 * Validated against DS's schema in tests/unit/list-champs.test.ts.
 */

export interface ListChampDescriptor {
  __typename: string;
  /** The same id as the champs' `champDescriptorId`. */
  id: string;
  label: string;
  /** A repetition's own champs. */
  champDescriptors?: ListChampDescriptor[] | null;
}

export interface ListChamp {
  __typename: string;
  champDescriptorId: string;
  label: string;
  /** DS's text of the value (`champ_value_for_api`). */
  stringValue: string | null;
  /** Pièce justificative champs. */
  files?: { filename: string }[];
  /** Repetition champs: one row per block the usager filled. */
  rows?: { champs: ListChamp[] }[];
}

export interface DossierChamps {
  number: number;
  champs: ListChamp[];
}

export interface TabChamps {
  /** The form, in its order; empty when no request was needed. */
  form: ListChampDescriptor[];
  /** The tab's dossiers the API returned (those it no longer shows are absent). */
  dossiers: DossierChamps[];
  /** Requests sent to DS's API, retries included. */
  requests: number;
}

/** Descriptors and champs that only lay the form out: they hold no value. */
const LAYOUT = new Set([
  'HeaderSectionChampDescriptor',
  'ExplicationChampDescriptor',
  'HeaderSectionChamp',
  'ExplicationChamp',
]);
export const isLayoutChamp = (typename: string): boolean => LAYOUT.has(typename);

const LIST_CHAMPS_QUERY = `query ArchivisteListChamps($number: Int!, $state: DossierState, $archived: Boolean, $first: Int!, $after: String, $withForm: Boolean!) {
  demarche(number: $number) {
    activeRevision @include(if: $withForm) {
      champDescriptors {
        ...ListDescriptorFields
        ... on RepetitionChampDescriptor { champDescriptors { ...ListDescriptorFields } }
      }
    }
    dossiers(state: $state, archived: $archived, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        champs {
          ...ListChampFields
          ... on RepetitionChamp { rows { champs { ...ListChampFields } } }
        }
      }
    }
  }
}
fragment ListDescriptorFields on ChampDescriptor {
  __typename
  id
  label
}
fragment ListChampFields on Champ {
  __typename
  champDescriptorId
  label
  stringValue
  ... on PieceJustificativeChamp { files { filename } }
}`;

interface ListChampsData {
  demarche: {
    activeRevision?: { champDescriptors: ListChampDescriptor[] };
    dossiers: Page<DossierChamps>;
  };
}

/** Which of `demarche.dossiers` a tab can hold: its states (null: any), whether archived (null: either). */
export interface ApiScope {
  states: readonly (DossierState | null)[];
  archived: boolean | null;
}

/**
 * DS's `Dossier.by_statut`, as far as the API's `state` and `archived` filters go. Null for the
 * corbeille: its dossiers are hidden from `demarche.dossiers`.
 */
export function apiScopeOf(statut: Statut): ApiScope | null {
  switch (statut) {
    case 'a-suivre':
    case 'suivis':
      return { states: ['en_construction', 'en_instruction'], archived: null };
    case 'traites':
      return { states: ['accepte', 'refuse', 'sans_suite'], archived: null };
    case 'tous':
      return { states: [null], archived: false };
    case 'archives':
      return { states: [null], archived: true };
    case 'expirant':
      return { states: [null], archived: null };
    case 'supprimes':
      return null;
  }
}

export function listChampsRequest(
  demarche: number,
  scope: { state: DossierState | null; archived: boolean | null },
  after: string | null,
  withForm: boolean,
): GraphQLRequest {
  if (!Number.isSafeInteger(demarche) || demarche <= 0) throw new RangeError(`Not a démarche number: ${demarche}`);
  return {
    query: LIST_CHAMPS_QUERY,
    variables: {
      number: demarche,
      state: scope.state,
      archived: scope.archived,
      first: API_PAGE_SIZE,
      after,
      withForm,
    },
  };
}

/** The champs of `dossiers` (a tab's), walking the démarche's dossiers until each one is found. */
export async function readTabChamps(
  client: DsApiClient,
  request: { demarche: number; statut: Statut; dossiers: readonly number[] },
): Promise<TabChamps> {
  const wanted = new Set(request.dossiers);
  const scope = apiScopeOf(request.statut);
  const start = client.requests;
  let form: ListChampDescriptor[] | null = null;
  const found = new Map<number, DossierChamps>();
  for (const state of wanted.size > 0 ? (scope?.states ?? []) : []) {
    const pages = paginate(async (after) => {
      const { query, variables } = listChampsRequest(
        request.demarche,
        { state, archived: scope!.archived },
        after,
        !form,
      );
      const { demarche } = await client.request<ListChampsData>(query, variables);
      form ??= demarche.activeRevision?.champDescriptors ?? [];
      return demarche.dossiers;
    });
    for await (const page of pages) {
      for (const dossier of page.nodes) if (wanted.has(dossier.number)) found.set(dossier.number, dossier);
      if (found.size === wanted.size) break;
    }
    if (found.size === wanted.size) break;
  }
  return { form: form ?? [], dossiers: [...found.values()], requests: client.requests - start };
}
