import { browser } from 'wxt/browser';
import { defineFeature, type Feature, type FeatureContext } from '@/lib/content/feature';
import type { Route } from '@/lib/ds/routes';
import { isFatesChanged, type PageFeatureId, type RequestOf, sendMessage } from '@/lib/platform/messages';
import type { CountdownView, PageFates } from '@/lib/view/page-fates';

/**
 * What the page features share: asking the background for the countdowns and banners of what a
 * DS page shows, hearing when they change, and drawing a countdown badge in DS's own look.
 */

export interface FatesSource {
  ask: (request: Omit<RequestOf<'page-fates'>, 'origin'>) => Promise<PageFates>;
  /** Calls `refresh` each time the background's data changes (a page read, a sync, the options). */
  onChange: (refresh: () => void) => void;
}

/** The background, seen from a DS page of `origin`; stops listening when `signal` aborts. */
export function backgroundFates(origin: string, signal: AbortSignal): FatesSource {
  return {
    ask: (request) => sendMessage('page-fates', { origin, ...request }),
    onChange: (refresh) => {
      const listener = (message: unknown) => {
        if (isFatesChanged(message) && !signal.aborted) refresh();
      };
      browser.runtime.onMessage.addListener(listener);
      signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(listener), { once: true });
    },
  };
}

/** What a feature drawn from the background's data gets: the page, and the background (or a fake one). */
export interface FatesFeatureContext extends FeatureContext {
  fates: FatesSource;
}

/**
 * A page feature that shows the background's data. `recognise` says why a page lacks the markup it
 * reads (DS changed it): the feature then stays off, with one console warning, and the other features
 * go on (see runFeatures). `show` returns false on a page that is not for it.
 */
export function defineFatesFeature(
  id: PageFeatureId,
  include: (route: Route) => boolean,
  recognise: NonNullable<Feature['recognise']>,
  show: (context: FatesFeatureContext) => boolean,
): Feature {
  return defineFeature({
    id,
    include,
    recognise,
    init: (context) =>
      show({ ...context, fates: backgroundFates(context.route.origin, context.signal) }) ? undefined : false,
  });
}

/**
 * Runs `task` once on the next animation frame however many times it is asked for before then (a
 * burst of DS re-renders); a run still waiting for the background is followed by one more.
 */
export function coalesced(task: () => Promise<void>, signal: AbortSignal): () => void {
  let scheduled = false;
  let running: Promise<void> | null = null;
  let again = false;
  const run = async () => {
    scheduled = false;
    if (signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = task().catch((error: unknown) => console.warn('Archiviste: page update failed', error));
    await running;
    running = null;
    if (again) {
      again = false;
      schedule();
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => void run());
  };
  return schedule;
}

const TONES: Record<CountdownView['tone'], string> = {
  neutral: 'fr-badge fr-badge--sm fr-badge--no-icon',
  info: 'fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon',
  warning: 'fr-badge fr-badge--sm fr-badge--warning',
  error: 'fr-badge fr-badge--sm fr-badge--error',
};

let tooltips = 0;

/**
 * A DSFR badge with the countdown (« Supprimé dans 23 j », « estimation »), focusable, described by
 * a tooltip that shows on hover and focus; its data attributes say the same for tests and scripts.
 * Built with text nodes only: nothing of a dossier is ever parsed as HTML.
 */
export function countdownBadge(doc: Document, view: CountdownView): HTMLElement {
  const wrapper = doc.createElement('span');
  wrapper.className = 'archiviste-countdown';
  const badge = doc.createElement('span');
  badge.className = TONES[view.tone];
  badge.tabIndex = 0;
  badge.setAttribute('data-archiviste-countdown', String(view.number));
  badge.setAttribute('data-archiviste-expires-at', view.expiresAt);
  badge.setAttribute('data-archiviste-days-left', view.daysLeft === null ? '' : String(view.daysLeft));
  badge.setAttribute('data-archiviste-source', view.source);
  badge.setAttribute('data-archiviste-saved-at', view.savedAt);
  badge.textContent = view.text;
  if (view.estimate) {
    const estimate = doc.createElement('span');
    estimate.className = 'archiviste-countdown__estimate';
    estimate.textContent = ` · ${view.estimate}`;
    badge.append(estimate);
  }
  const tooltip = doc.createElement('span');
  tooltip.className = 'archiviste-tooltip';
  tooltip.setAttribute('role', 'tooltip');
  tooltip.id = `archiviste-tooltip-${view.number}-${++tooltips}`;
  tooltip.textContent = view.description;
  badge.setAttribute('aria-describedby', tooltip.id);
  wrapper.append(badge, tooltip);
  return wrapper;
}

/** The same badge, redrawn only when what it says changed (DS's morphs and our refreshes stay cheap). */
export function placeCountdown(container: Element, view: CountdownView): void {
  const doc = container.ownerDocument;
  const current = container.querySelector<HTMLElement>(':scope > .archiviste-countdown');
  const key = JSON.stringify(view);
  if (current?.dataset.archivisteView === key) return;
  const badge = countdownBadge(doc, view);
  badge.dataset.archivisteView = key;
  if (current) current.replaceWith(badge);
  else container.append(badge);
}
