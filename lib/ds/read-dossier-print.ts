import type { PageDossier, PageReport } from '@/lib/ds/model';
import { baseReport } from '@/lib/ds/read-common';
import { newestMessageAt, readMessages } from '@/lib/ds/read-messages';
import { routeOf } from '@/lib/ds/routes';

/**
 * A dossier's print page (`/procedures/:p/dossiers/:d/print`): Archiviste reads it for the newest
 * message of the messagerie. Its bare layout has no header: no state, no expiry, no user.
 */
export function readDossierPrint(doc: Document, url: string, now: Date): PageReport {
  const route = routeOf(url);
  if (route.kind !== 'dossier-print') throw new TypeError(`Not a dossier print page: ${url}`);
  const report = baseReport(doc, url, now);
  const lastMessageAt = newestMessageAt(readMessages(doc));
  const dossier: PageDossier = {
    number: route.dossier,
    demarche: route.procedure,
    ...(lastMessageAt && { lastMessageAt }),
  };
  report.dossiers.push(dossier);
  return report;
}
