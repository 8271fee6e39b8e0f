/**
 * DS URL routing, as pure functions of the URL: which page this is, which procedure, statut and
 * dossier it shows, and the URLs of the pages and downloads Archiviste uses. Mirrors DS's
 * config/routes.rb (instructeur scope, no path prefix).
 */

export const STATUTS = ['a-suivre', 'suivis', 'traites', 'tous', 'expirant', 'archives', 'supprimes'] as const;
export type Statut = (typeof STATUTS)[number];

export const DOSSIER_TABS = [
  'messagerie',
  'annotations-privees',
  'avis',
  'avis_new',
  'personnes-impliquees',
  'pieces_jointes',
  'reaffectation',
  'rendez-vous',
] as const;
export type DossierTab = (typeof DOSSIER_TABS)[number];

export type Route =
  | { kind: 'procedures'; origin: string; page: number }
  | { kind: 'dossier-list'; origin: string; procedure: number; statut: Statut; page: number }
  | { kind: 'dossier'; origin: string; procedure: number; statut: Statut; dossier: number; tab: DossierTab | null }
  /** « Imprimer > Tout le dossier »: the whole dossier, its messagerie included, in DS's bare print layout. */
  | { kind: 'dossier-print'; origin: string; procedure: number; dossier: number }
  | { kind: 'other'; origin: string };

export type RouteKind = Route['kind'];
export const ROUTE_KINDS = [
  'procedures',
  'dossier-list',
  'dossier',
  'dossier-print',
  'other',
] as const satisfies readonly RouteKind[];

const STATUT = `(${STATUTS.join('|')})`;
const PROCEDURES = /^\/procedures\/?$/;
const DOSSIER_LIST = new RegExp(`^/procedures/(\\d+)(?:/${STATUT})?/?$`);
const DOSSIER = new RegExp(`^/procedures/(\\d+)(?:/${STATUT})?/dossiers/(\\d+)(?:/(${DOSSIER_TABS.join('|')}))?/?$`);
/** A non-nested route, like `telecharger_pjs`: no statut segment. */
const DOSSIER_PRINT = /^\/procedures\/(\d+)\/dossiers\/(\d+)\/print\/?$/;

function pageOf(url: URL): number {
  const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
  return Number.isFinite(page) && page > 0 ? page : 1;
}

/** Parses any URL into a DS route; unknown paths are `other`. */
export function routeOf(href: string | URL): Route {
  const url = new URL(href);
  const { origin, pathname } = url;
  if (PROCEDURES.test(pathname)) return { kind: 'procedures', origin, page: pageOf(url) };
  const list = DOSSIER_LIST.exec(pathname);
  if (list) {
    return {
      kind: 'dossier-list',
      origin,
      procedure: Number(list[1]),
      statut: (list[2] as Statut) ?? 'a-suivre',
      page: pageOf(url),
    };
  }
  const dossier = DOSSIER.exec(pathname);
  if (dossier) {
    return {
      kind: 'dossier',
      origin,
      procedure: Number(dossier[1]),
      statut: (dossier[2] as Statut) ?? 'a-suivre',
      dossier: Number(dossier[3]),
      tab: (dossier[4] as DossierTab) ?? null,
    };
  }
  const print = DOSSIER_PRINT.exec(pathname);
  if (print) return { kind: 'dossier-print', origin, procedure: Number(print[1]), dossier: Number(print[2]) };
  return { kind: 'other', origin };
}

export const isProcedures = (r: Route): r is Extract<Route, { kind: 'procedures' }> => r.kind === 'procedures';
export const isDossierList = (r: Route): r is Extract<Route, { kind: 'dossier-list' }> => r.kind === 'dossier-list';
export const isDossierPage = (r: Route): r is Extract<Route, { kind: 'dossier' }> => r.kind === 'dossier';

/** `/procedures/:p` is the à-suivre tab: DS omits the default statut and `page=1`. */
export function dossierListUrl(origin: string, procedure: number, statut: Statut = 'a-suivre', page = 1): string {
  const path = statut === 'a-suivre' ? `/procedures/${procedure}` : `/procedures/${procedure}/${statut}`;
  return `${origin}${path}${page > 1 ? `?page=${page}` : ''}`;
}

export function proceduresUrl(origin: string, page = 1): string {
  return `${origin}/procedures${page > 1 ? `?page=${page}` : ''}`;
}

export function dossierUrl(origin: string, procedure: number, dossier: number, statut: Statut = 'tous'): string {
  return `${origin}/procedures/${procedure}/${statut}/dossiers/${dossier}`;
}

/**
 * The dossier's print page. It shows the whole messagerie like the « Messagerie » tab, but reading
 * it changes nothing on DS: opening that tab marks the usager's messages « Lu » and clears the
 * instructeur's « Message » notification (DS's after_actions), which only the instructeur may do.
 */
export function dossierPrintUrl(origin: string, procedure: number, dossier: number): string {
  return `${origin}/procedures/${procedure}/dossiers/${dossier}/print`;
}

/** DS renders the dossier PDF on the fly at the dossier URL plus `.pdf`. */
export function dossierPdfUrl(origin: string, procedure: number, dossier: number, statut: Statut = 'tous'): string {
  return `${dossierUrl(origin, procedure, dossier, statut)}.pdf`;
}

/** The dossier and all its attachments as one ZIP (no statut segment: a non-nested route). */
export function dossierZipUrl(origin: string, procedure: number, dossier: number): string {
  return `${origin}/procedures/${procedure}/dossiers/${dossier}/telecharger_pjs`;
}

export function graphqlUrl(origin: string): string {
  return `${origin}/api/v2/graphql`;
}

export function signInUrl(origin: string): string {
  return `${origin}/users/sign_in`;
}
