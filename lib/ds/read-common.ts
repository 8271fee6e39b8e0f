import type { PageReport } from '@/lib/ds/model';
import { cleanText, shownText } from '@/lib/ds/page-text';
import { userEmail } from '@/lib/ds/selectors';

/** What every page report carries: where and when it was read, and who is logged in. */
export function baseReport(doc: Document, url: string, now: Date): PageReport {
  const user = shownText(cleanText(doc.querySelector(userEmail)));
  return {
    origin: new URL(url).origin,
    url,
    seenAt: now.toISOString(),
    demarches: [],
    dossiers: [],
    ...(user && { user }),
  };
}
