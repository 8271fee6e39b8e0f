import type { PageReport } from '@/lib/ds/model';
import { readDossierPage } from '@/lib/ds/read-dossier';
import { readDossierList } from '@/lib/ds/read-dossier-list';
import { readDossierPrint } from '@/lib/ds/read-dossier-print';
import { readProcedures } from '@/lib/ds/read-procedures';
import { routeOf } from '@/lib/ds/routes';
import { signInEmailField } from '@/lib/ds/selectors';

/**
 * Token-less mode: what the DS pages the instructeur is logged into say about démarches, dossiers
 * and expiry dates. Pure functions of the document, its URL and the time it was read.
 */

/** DS's sign-in page, where DS sends a logged-out user (so "no dossiers" can be told from "logged out"). */
export function isSignInPage(doc: Document): boolean {
  return doc.querySelector(signInEmailField) !== null;
}

/** Reads any page Archiviste knows; null for other pages and for the sign-in page. */
export function readPage(doc: Document, url: string, now: Date): PageReport | null {
  if (isSignInPage(doc)) return null;
  switch (routeOf(url).kind) {
    case 'procedures':
      return readProcedures(doc, url, now);
    case 'dossier-list':
      return readDossierList(doc, url, now);
    case 'dossier':
      return readDossierPage(doc, url, now);
    case 'dossier-print':
      return readDossierPrint(doc, url, now);
    default:
      return null;
  }
}
