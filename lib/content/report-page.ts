import { observe, onlyArchivisteMarks } from '@/lib/content/observe';
import type { PageReport } from '@/lib/ds/model';
import { readPage } from '@/lib/ds/read-page';
import { liveRegions } from '@/lib/ds/selectors';

export interface PageReporting {
  document: Document;
  /** The page's current URL: Turbo may render a form's redirect in place, under another URL. */
  url: () => string;
  /** Stops watching when aborted. */
  signal: AbortSignal;
  now: () => Date;
  send: (report: PageReport) => Promise<unknown>;
}

/** When to send a reading again after the background did not take it: after 1 s, 4 s, then 15 s. */
const RETRY_DELAYS_MS = [1_000, 4_000, 15_000];

/**
 * Sends what a DS page shows: at once, then again after each burst of DS live updates to the parts
 * that carry data (`#header-top` replaced after a state change, the counters' turbo-stream, the
 * table body). A burst is coalesced into one reading on the next animation frame, when DS's own
 * turbo-streams have rendered; a reading identical to the last one sent is not sent again.
 */
export function reportPage({ document, url, signal, now, send }: PageReporting): void {
  let lastSent = '';
  let pending = false;
  /** Deliveries failed in a row. */
  let failures = 0;

  const report = () => {
    pending = false;
    if (signal.aborted) return;
    const page = readPage(document, url(), now());
    if (!page) return;
    const { seenAt: _seenAt, ...content } = page;
    const key = JSON.stringify(content);
    if (key === lastSent) return;
    lastSent = key;
    send(page).then(
      () => {
        failures = 0;
      },
      (error: unknown) => {
        // The background may be starting (a fresh install, Firefox waking its event page): try again a
        // little later, and at the next change of the page in any case.
        if (lastSent === key) lastSent = '';
        console.warn('Archiviste: page report not delivered', error);
        const delay = RETRY_DELAYS_MS[failures++];
        if (delay !== undefined) setTimeout(() => lastSent === '' && report(), delay);
      },
    );
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(report);
  };

  let started = false;
  observe(
    liveRegions,
    (region) => {
      // A region inserted after the first reading replaces one DS swapped out.
      if (started) schedule();
      // Archiviste's own badges going in are no change of DS's page: no new reading for them.
      const changes = new MutationObserver((records) => {
        if (!onlyArchivisteMarks(records)) schedule();
      });
      changes.observe(region, { childList: true, subtree: true, characterData: true });
      signal.addEventListener('abort', () => changes.disconnect(), { once: true });
    },
    { signal, root: document },
  );
  started = true;
  report();
}
