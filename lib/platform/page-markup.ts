import { storage } from 'wxt/utils/storage';
import type { PageMarkup } from '@/lib/platform/messages';

/** What the last DS page of a tab said of its markup (`features` empty: every feature recognised it). */
export interface TabMarkup extends PageMarkup {
  tabId: number;
  seenAt: string;
}

/**
 * Per tab, in `storage.session`: it outlives Chrome stopping the idle service worker (the popup may
 * open minutes after the page), ends with the browser session like the tabs it describes, and only
 * the extension's own pages read it (session storage is closed to content scripts by default).
 * The background writes it; the popup reads it.
 */
export const pageMarkupItem = storage.defineItem<Record<string, TabMarkup>>('session:pageMarkup', { fallback: {} });

let writes: Promise<void> = Promise.resolve();

/** One change at a time: two tabs loading at once must not overwrite each other's record. */
function change(apply: (records: Record<string, TabMarkup>) => void): Promise<void> {
  const next = writes.then(async () => {
    const records = { ...(await pageMarkupItem.getValue()) };
    apply(records);
    await pageMarkupItem.setValue(records);
  });
  // A failed write is its caller's to report; the next change still runs.
  writes = next.catch(() => undefined);
  return next;
}

export function rememberPageMarkup(tabId: number, markup: PageMarkup, seenAt: Date): Promise<void> {
  return change((records) => {
    records[tabId] = { ...markup, tabId, seenAt: seenAt.toISOString() };
  });
}

/** A closed tab shows no page any more. */
export function forgetTabMarkup(tabId: number): Promise<void> {
  return change((records) => {
    delete records[tabId];
  });
}
