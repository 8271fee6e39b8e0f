import { SyncError } from '@/lib/core/sync/errors';
import type { PageReport } from '@/lib/ds/model';

/** Reads a fetched DS page into a report; `null` when DS answered with its sign-in page. */
export type PageParser = (html: string, url: string, now: Date) => Promise<PageReport | null>;

const TIMEOUT_MS = 25_000;

/** This one page is not for this user (a démarche or dossier they lost access to, or gone). */
export class PageUnavailableError extends Error {
  constructor(readonly url: string) {
    super(`Page unavailable: ${url}`);
  }
}

/**
 * GETs a DS page with the user's session cookies (the extension's host permission makes the
 * request same-site for the cookies). Only GETs: the background never changes anything on DS.
 */
export async function fetchPage(
  url: string,
  parse: PageParser,
  now: Date,
  fetcher: typeof fetch = fetch,
): Promise<PageReport> {
  let response: Response;
  try {
    response = await fetcher(url, {
      credentials: 'include',
      redirect: 'follow',
      headers: { accept: 'text/html' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    // AbortSignal.timeout's abort: DS answered nothing within 25 s (it gives up itself at 30 s).
    if (error instanceof DOMException && error.name === 'TimeoutError') throw new SyncError('too-slow');
    throw new SyncError('unreachable', new URL(url).origin);
  }
  const landed = new URL(response.url || url);
  // The user's DS session is for DS: a page another origin served is never read as DS's.
  if (landed.origin !== new URL(url).origin) {
    void response.body?.cancel();
    throw new SyncError('redirected', landed.origin);
  }
  if (landed.pathname.startsWith('/users/sign_in')) throw new SyncError('logged-out');
  if (response.status === 404 || response.status === 403) throw new PageUnavailableError(url);
  if (response.status >= 500) throw new SyncError('server-error', String(response.status));
  if (!response.ok) throw new SyncError('unreachable', String(response.status));
  const report = await parse(await response.text(), response.url || url, now);
  if (!report) throw new SyncError('logged-out');
  return report;
}
