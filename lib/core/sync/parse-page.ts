import { SyncError } from '@/lib/core/sync/errors';
import type { PageReport } from '@/lib/ds/model';
import { isSignInPage, readPage } from '@/lib/ds/read-page';
import { fetchedPageProblem } from '@/lib/ds/recognise';

const warn = (run: string, reason: string) =>
  console.warn(`Archiviste: ${run} stopped: DS page not recognised (${reason})`);

/**
 * A fetched DS page whose markup Archiviste does not know is refused whole: read anyway, it would
 * give dossiers without a state, or take the ones it missed for gone. `warnAs` names the run it
 * stops, for its one console warning, when the caller does not warn itself.
 */
export function refuseUnknownMarkup(doc: Document, url: string, warnAs?: string): void {
  const reason = fetchedPageProblem(doc, url);
  if (!reason) return;
  if (warnAs) warn(warnAs, reason);
  throw new SyncError('page-unrecognized', reason);
}

/** The one console warning of a run a refused page stopped (a bug report's first clue). */
export function warnIfUnrecognised(error: unknown, run: string): void {
  const { code, detail } = (error ?? {}) as { code?: unknown; detail?: unknown };
  if (code === 'page-unrecognized') warn(run, String(detail ?? ''));
}

/** Reads fetched DS page HTML where a DOM exists (Firefox background, offscreen document). */
export function parsePageHtml(html: string, url: string, now: Date): PageReport | null {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  if (isSignInPage(doc)) return null;
  refuseUnknownMarkup(doc, url);
  return readPage(doc, url, now);
}
