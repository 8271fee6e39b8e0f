import type { PageReport } from '@/lib/ds/model';
import { isSignInPage, readPage } from '@/lib/ds/read-page';

/** Reads fetched DS page HTML where a DOM exists (Firefox background, offscreen document). */
export function parsePageHtml(html: string, url: string, now: Date): PageReport | null {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return isSignInPage(doc) ? null : readPage(doc, url, now);
}
