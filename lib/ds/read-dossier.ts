import { isTermine, type PageDossier, type PageReport } from '@/lib/ds/model';
import { cleanText, ownText, parseDsDate, parseState, shownText } from '@/lib/ds/page-text';
import { baseReport } from '@/lib/ds/read-common';
import { newestMessageAt, readMessages } from '@/lib/ds/read-messages';
import { isDossierPage, routeOf } from '@/lib/ds/routes';
import { rulesShownBy } from '@/lib/ds/rules';
import {
  dossierDemarche,
  dossierHeading,
  dossierStateBadge,
  expiresAt,
  expiresAtEnInstruction,
  expiryCalloutTitle,
  headerTop,
} from '@/lib/ds/selectors';

/**
 * `shared.dossiers.header.expires_at.*`: "Expirera le 24/01/2026 (12 mois après le dépôt du dossier)"
 * (two spaces before the parenthesis for accepté/refusé, collapsed by cleanText). N is the total
 * retention, extensions included.
 */
const EXPIRES_AT = /^Expirera le (\d{2}\/\d{2}\/\d{4}) \((\d{1,3}) mois après /;
/** `banner.expiration_date_extended`, appended once an instructeur or the usager extended it. */
const EXTENDED = 'la date de conservation a déjà été étendue';
/** `banner.title_expired`: its two weeks' notice is over; DS hides it at its next expiry run. */
const EXPIRED = 'Ce dossier a expiré';
const HEADING = /^Dossier n° (\d+) – (.*)$/;

/** "Expirera le …": the date DS deletes the dossier, and the démarche's retention if not extended. */
function readExpiry(text: string): { expiresAt: Date; months?: number } | undefined {
  const m = EXPIRES_AT.exec(text);
  const date = m && parseDsDate(m[1]!);
  if (!date) return undefined;
  return text.includes(EXTENDED) ? { expiresAt: date } : { expiresAt: date, months: Number(m[2]) };
}

/** One dossier's page (any of its tabs): state, owner, DS's expiry banner, and on « Messagerie » its newest message. */
export function readDossierPage(doc: Document, url: string, now: Date): PageReport {
  const route = routeOf(url);
  if (!isDossierPage(route)) throw new TypeError(`Not a dossier page: ${url}`);
  const report = baseReport(doc, url, now);
  if (!doc.querySelector(headerTop)) return report;

  const state = parseState(cleanText(doc.querySelector(dossierStateBadge)));
  const [, headingNumber, owner] = HEADING.exec(cleanText(doc.querySelector(dossierHeading))) ?? [];
  const label = Number(headingNumber) === route.dossier && owner ? shownText(owner) : undefined;
  const expiry = readExpiry(cleanText(doc.querySelector(expiresAt)));
  const neverExpires = doc.querySelector(expiresAtEnInstruction) !== null;
  const expired = cleanText(doc.querySelector(expiryCalloutTitle)) === EXPIRED;
  const lastMessageAt = route.tab === 'messagerie' ? newestMessageAt(readMessages(doc)) : undefined;

  const dossier: PageDossier = {
    number: route.dossier,
    demarche: route.procedure,
    ...(state && { state }),
    ...(expiry && { expiresAt: expiry.expiresAt.toISOString(), expirySource: 'page' as const }),
    ...(expired && { inCorbeille: true }),
    ...(neverExpires && { neverExpires }),
    ...(label && { label }),
    ...(lastMessageAt && { lastMessageAt }),
  };
  report.dossiers.push(dossier);
  // Only an en construction dossier tells DS's two rule sets apart: « Expirera le » or nothing.
  if (state === 'en_construction') report.rules = rulesShownBy(expiry ? 'page-expires' : 'page-no-expiry');

  const title = doc.querySelector(dossierDemarche);
  if (title) {
    // DS shows both banners only where processed dossiers expire; their absence proves nothing.
    const expiresWhenTermine = neverExpires || (state !== undefined && isTermine(state) && expiry !== undefined);
    report.demarches.push({
      number: route.procedure,
      title: shownText(ownText(title)),
      ...(expiresWhenTermine && { expiresWhenTermine }),
      ...(expiry?.months !== undefined && { retentionMonths: expiry.months }),
    });
  }
  return report;
}
