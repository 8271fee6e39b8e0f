import { DOSSIER_NEWS, DOSSIER_STATES, type PageDemarche, type PageDossier, type PageReport } from '@/lib/ds/model';
import { ROUTE_KINDS, STATUTS } from '@/lib/ds/routes';
import { MAX_RETENTION_MONTHS, RULES_PROVEN_BY, type RulesShown } from '@/lib/ds/rules';
import { PAGE_FEATURES, type PageMarkup } from '@/lib/platform/messages';
import type { ArchiveSelection } from '../archive/selection';

/**
 * A page report comes from a content script, that is from a DS page: untrusted input. Every field is
 * checked against what the page readers can produce (types, ranges, formats, no unknown keys); one
 * malformed field drops the whole report, since a reader that produced it cannot be trusted either.
 */

type Check = (value: unknown) => boolean;

/** A list page has 100 rows; /procedures up to 100 démarches a page. */
const MAX_ENTRIES = 1_000;
const MAX_TEXT = 1_000;
/** A retention of 60 months, plus extensions of a month each: well under this. */
const MAX_MONTHS = MAX_RETENTION_MONTHS * 4;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId: Check = (value) => Number.isSafeInteger(value) && (value as number) > 0;
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isBoolean: Check = (value) => typeof value === 'boolean';
const isText: Check = (value) => typeof value === 'string' && value.length <= MAX_TEXT;
/** DS opened in 2017; no retention reaches beyond this century: a year outside is no DS date. */
const isDsYear = (year: number) => year >= 2000 && year <= 2100;
/** An ISO 8601 date(-time) whose calendar day exists (`Date.parse` rolls 31 February over to March). */
const isIsoDate: Check = (value) => {
  if (typeof value !== 'string' || !ISO.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  return isDsYear(year) && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
};
const oneOf =
  (values: readonly unknown[]): Check =>
  (value) =>
    values.includes(value);
const orNull =
  (check: Check): Check =>
  (value) =>
    value === null || check(value);

/** Each key's check; keys not listed are refused, absent ones are fine (every field is optional). */
function fits(value: unknown, shape: Record<string, Check>): boolean {
  if (!isObject(value)) return false;
  return Object.entries(value).every(([key, field]) => Object.hasOwn(shape, key) && shape[key]!(field));
}

const listOf =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.length <= MAX_ENTRIES && value.every(check);

/** Each news kind at most once: a row shows each of DS's badges once. */
const isNewsList: Check = (value) =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.length <= DOSSIER_NEWS.length &&
  new Set(value).size === value.length &&
  value.every(oneOf(DOSSIER_NEWS));

const COUNT_KEYS = ['a-suivre', 'suivis', 'traites', 'tous', 'expirant'] as const;

const DEMARCHE: Record<keyof PageDemarche, Check> = {
  number: isId,
  title: isText,
  expiresWhenTermine: isBoolean,
  retentionMonths: (value) => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_MONTHS,
  counts: (value) => fits(value, Object.fromEntries(COUNT_KEYS.map((key) => [key, isCount]))),
};

const DOSSIER: Record<keyof PageDossier, Check> = {
  number: isId,
  demarche: isId,
  state: oneOf(DOSSIER_STATES),
  expiresAt: isIsoDate,
  expirySource: oneOf(['page', 'column', 'badge']),
  inCorbeille: isBoolean,
  purgeAt: orNull(isIsoDate),
  neverExpires: isBoolean,
  label: isText,
  dateDepot: isIsoDate,
  dateTraitement: isIsoDate,
  news: isNewsList,
  lastMessageAt: isIsoDate,
};

const LIST: Record<keyof NonNullable<PageReport['list']>, Check> = {
  demarche: isId,
  statut: oneOf(STATUTS),
  page: isId,
  pageCount: isId,
};

const RULES: Record<keyof RulesShown, Check> = {
  set: oneOf(['2026', '2025']),
  evidence: (value) => typeof value === 'string' && Object.hasOwn(RULES_PROVEN_BY, value),
};

const isOrigin: Check = (value) => {
  if (typeof value !== 'string' || value.length > MAX_TEXT) return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
};

const REPORT: Record<keyof PageReport, Check> = {
  origin: isOrigin,
  url: (value) => isText(value) && URL.canParse(value as string),
  seenAt: isIsoDate,
  demarches: listOf((value) => fits(value, DEMARCHE)),
  dossiers: listOf((value) => fits(value, DOSSIER)),
  list: (value) => fits(value, LIST),
  user: isText,
  rules: (value) => fits(value, RULES) && RULES_PROVEN_BY[(value as RulesShown).evidence] === (value as RulesShown).set,
};

const REQUIRED_REPORT: readonly (keyof PageReport)[] = ['origin', 'url', 'seenAt', 'demarches', 'dossiers'];
const REQUIRED_DEMARCHE: readonly (keyof PageDemarche)[] = ['number', 'title'];
const REQUIRED_DOSSIER: readonly (keyof PageDossier)[] = ['number', 'demarche'];

const has = (value: Record<string, unknown>, keys: readonly string[]) => keys.every((key) => value[key] !== undefined);

/** The report when every field is well-formed and its URL is on its origin; null otherwise. */
export function checkPageReport(value: unknown): PageReport | null {
  if (!fits(value, REPORT) || !has(value as Record<string, unknown>, REQUIRED_REPORT)) return null;
  const report = value as unknown as PageReport;
  if (new URL(report.url).origin !== report.origin) return null;
  if (!report.demarches.every((d) => has(d as unknown as Record<string, unknown>, REQUIRED_DEMARCHE))) return null;
  if (!report.dossiers.every((d) => has(d as unknown as Record<string, unknown>, REQUIRED_DOSSIER))) return null;
  if (report.list && !has(report.list as unknown as Record<string, unknown>, Object.keys(LIST))) return null;
  return report;
}

/** A `page-fates` request: dossier and démarche numbers of the sender's own instance, a page's worth. */
export function checkFatesRequest(
  value: unknown,
  senderOrigin: string | null,
): { origin: string; dossiers: number[]; demarches: number[] } | null {
  const shape = { origin: isOrigin, dossiers: listOf(isId), demarches: listOf(isId) };
  if (!fits(value, shape) || !has(value as Record<string, unknown>, Object.keys(shape))) return null;
  const request = value as { origin: string; dossiers: number[]; demarches: number[] };
  return request.origin === senderOrigin ? request : null;
}

/** An `export-dossier` request: one dossier of one démarche of the sender's own instance. */
export function checkExportRequest(
  value: unknown,
  senderOrigin: string | null,
): { origin: string; demarche: number; dossier: number } | null {
  const shape = { origin: isOrigin, demarche: isId, dossier: isId };
  if (!fits(value, shape) || !has(value as Record<string, unknown>, Object.keys(shape))) return null;
  const request = value as { origin: string; demarche: number; dossier: number };
  return request.origin === senderOrigin ? request : null;
}

/** An `export-list` request: one tab of one démarche of the sender's own instance, as CSV or PDF. */
export function checkListExportRequest(
  value: unknown,
  senderOrigin: string | null,
): { origin: string; demarche: number; statut: (typeof STATUTS)[number]; format: 'csv' | 'pdf' } | null {
  const shape = { origin: isOrigin, demarche: isId, statut: oneOf(STATUTS), format: oneOf(['csv', 'pdf']) };
  if (!fits(value, shape) || !has(value as Record<string, unknown>, Object.keys(shape))) return null;
  const request = value as {
    origin: string;
    demarche: number;
    statut: (typeof STATUTS)[number];
    format: 'csv' | 'pdf';
  };
  return request.origin === senderOrigin ? request : null;
}

/** A reason is a few words, a short page value at most (lib/ds/recognise.ts). */
const MAX_REASON = 200;
const FEATURE_OFF: Record<keyof PageMarkup['features'][number], Check> = {
  id: oneOf(PAGE_FEATURES),
  reason: (value) => typeof value === 'string' && value.length > 0 && value.length <= MAX_REASON,
};

/** A `page-markup` report: the sender's own instance, a known page kind, each feature at most once. */
export function checkMarkupReport(value: unknown, senderOrigin: string | null): PageMarkup | null {
  const shape = {
    origin: isOrigin,
    route: oneOf(ROUTE_KINDS),
    features: (features: unknown) =>
      Array.isArray(features) &&
      features.length <= PAGE_FEATURES.length &&
      features.every((feature) => fits(feature, FEATURE_OFF) && has(feature, Object.keys(FEATURE_OFF))) &&
      new Set(features.map((feature: { id: unknown }) => feature.id)).size === features.length,
  };
  if (!fits(value, shape) || !has(value as Record<string, unknown>, Object.keys(shape))) return null;
  const report = value as unknown as PageMarkup;
  return report.origin === senderOrigin ? report : null;
}

/** A calendar month, `YYYY-MM`, from DS's first years on (2017) to well beyond any retention. */
const isMonth: Check = (value) => {
  const match = typeof value === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value) : null;
  return match !== null && isDsYear(Number(match[1]));
};

/** Each kind's fields: all required, except the optional filters of `at-risk`. */
const SELECTIONS: Record<ArchiveSelection['kind'], { shape: Record<string, Check>; required: string[] }> = {
  'at-risk': { shape: { kind: isText, origin: isOrigin, demarche: isId }, required: ['kind'] },
  tab: {
    shape: { kind: isText, origin: isOrigin, demarche: isId, statut: oneOf(STATUTS) },
    required: ['kind', 'origin', 'demarche', 'statut'],
  },
  month: {
    shape: { kind: isText, origin: isOrigin, demarche: isId, month: isMonth },
    required: ['kind', 'origin', 'demarche', 'month'],
  },
  demarche: { shape: { kind: isText, origin: isOrigin, demarche: isId }, required: ['kind', 'origin', 'demarche'] },
};

/**
 * An `archive-start` request. From a DS page, it names the page's own instance (a page never starts
 * an archive of another instance, nor of every instance); from the extension's own pages (the
 * popup), any instance or none. A démarche filter needs its instance: numbers are per instance.
 */
export function checkArchiveSelection(
  value: unknown,
  senderOrigin: string | null,
  fromExtensionPage = false,
): ArchiveSelection | null {
  if (!isObject(value)) return null;
  // Its own fields only: nothing read through a prototype.
  const fields: Record<string, unknown> = Object.fromEntries(Object.entries(value));
  if (typeof fields.kind !== 'string' || !Object.hasOwn(SELECTIONS, fields.kind)) return null;
  const { shape, required } = SELECTIONS[fields.kind as ArchiveSelection['kind']];
  if (!fits(fields, shape) || !has(fields, required)) return null;
  if (fields.demarche !== undefined && fields.origin === undefined) return null;
  if (!fromExtensionPage && fields.origin !== senderOrigin) return null;
  return fields as unknown as ArchiveSelection;
}
