import { Window } from 'happy-dom';
import { db } from '@/lib/core/db';
import { parsePageHtml } from '@/lib/core/sync/parse-page';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { storeDemarches } from '@/lib/core/sync/store';
import { DsApiClient } from '@/lib/ds/api';
import { RequestBudget } from '@/lib/ds/budget';
import { buildScanQuery, type ScanData } from '@/lib/ds/queries';
import { graphqlUrl } from '@/lib/ds/routes';
import { type DemoInstance, type DemoOptions, startDemo } from '../demo/instance';
import { settle } from './harness';

/**
 * The benchmarks' world: the demo DS instance in this process, Archiviste's database on
 * fake-indexeddb (installed by the entry points before Dexie loads), happy-dom for DS pages.
 */

/** A fixed "now", as in the demo's tests: the data, badges and due dates are the same every run. */
export const NOW = '2026-01-15T10:00:00+01:00';

export function startBenchDemo(options: DemoOptions = {}): Promise<DemoInstance> {
  return startDemo({ port: 0, now: NOW, exportDelayMs: 0, ...options });
}

/** Dossiers the API lists (DS hides brouillons, the corbeille and purged dossiers). */
export function listedDossiers(demo: DemoInstance): number {
  return demo.admin.dossiers().filter((d) => d.visible).length;
}

/**
 * How many dossiers to ask the demo for so that `count` finds about `target` over `demarches`
 * démarches. The demo's `dossiers` option counts every generated dossier, brouillons and dossiers
 * already purged included, so a throw-away instance measures the share `count` sees first.
 */
export async function calibrate(
  target: number,
  demarches: number,
  count: (demo: DemoInstance) => number = listedDossiers,
): Promise<number> {
  const probe = await startBenchDemo({ demarches, dossiers: target });
  const share = count(probe) / target;
  await probe.close();
  return Math.round(target / share);
}

export async function startCalibrated(
  target: number,
  demarches: number,
  count?: (demo: DemoInstance) => number,
): Promise<DemoInstance> {
  return startBenchDemo({ demarches, dossiers: await calibrate(target, demarches, count) });
}

export async function resetDb(): Promise<void> {
  await db.open();
  await Promise.all(db.tables.map((table) => table.clear()));
}

/**
 * Knows the demo's démarches as the options page would (number and title, nothing more) and
 * watches these ones only.
 */
export async function watch(demo: DemoInstance, numbers: readonly number[] = demo.demarches.map((d) => d.number)) {
  await storeDemarches(
    demo.url,
    demo.demarches.map((d) => ({ number: d.number, title: d.title })),
    new Date(NOW).toISOString(),
  );
  const others = demo.demarches.filter((d) => !numbers.includes(d.number));
  await db.demarches.bulkUpdate(
    others.map((d) => ({ key: [demo.url, d.number] as [string, number], changes: { watched: false } })),
  );
}

/** A client with its own request budget, so runs do not wait on each other's minute window. */
export function apiClient(demo: DemoInstance, fetcher?: typeof fetch): DsApiClient {
  return new DsApiClient({
    origin: demo.url,
    token: demo.token,
    fetch: fetcher,
    budget: new RequestBudget(),
    loopbackHttp: true,
  });
}

export function freshCounters(demo: DemoInstance): void {
  demo.resetMetrics();
  demo.resetRateLimit();
}

export interface WaitingFetch {
  fetch: typeof fetch;
  /** Milliseconds spent waiting for responses (the demo server's work and the network's). */
  waitMs: () => number;
}

/**
 * A `fetch` that reads each body in full before handing the response over, and counts the time
 * spent waiting: the demo server runs in this process, so the rest of a sync's time is the
 * client's own work.
 */
export function waitingFetch(base: typeof fetch = fetch): WaitingFetch {
  let waitMs = 0;
  return {
    fetch: async (input, init) => {
      const start = performance.now();
      const response = await base(input, init);
      const body = await response.arrayBuffer();
      waitMs += performance.now() - start;
      const buffered = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      // Where a redirect ended (DS's sign-in page) is how a page fetch notices a lost session.
      Object.defineProperty(buffered, 'url', { value: response.url });
      return buffered;
    },
    waitMs: () => waitMs,
  };
}

export async function postGraphql<T>(demo: DemoInstance, body: unknown, fetcher: typeof fetch = fetch): Promise<T> {
  const response = await fetcher(graphqlUrl(demo.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`GraphQL: HTTP ${response.status}`);
  const json = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!json.data || json.errors) throw new Error(`GraphQL: ${JSON.stringify(json.errors)}`);
  return json.data;
}

/**
 * The least any client can do to read every dossier of these démarches: page through each with
 * `first: 100` (the same fields as Archiviste's), keeping nothing.
 */
export async function plainPager(
  demo: DemoInstance,
  demarches: readonly number[],
  fetcher: typeof fetch = fetch,
): Promise<{ requests: number; dossiers: number }> {
  let requests = 0;
  let dossiers = 0;
  for (const demarche of demarches) {
    let after: string | null = null;
    do {
      const data: ScanData = await postGraphql<ScanData>(demo, buildScanQuery(demarche, after), fetcher);
      requests += 1;
      const page = data.demarche.dossiers;
      dossiers += page.nodes.length;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  }
  return { requests, dossiers };
}

/** `fetch` with the demo instructeur's session cookie, as the extension's requests carry the user's. */
export function sessionFetch(demo: DemoInstance, base: typeof fetch = fetch): typeof fetch {
  const cookie = demo.admin.sessionCookie();
  return (input, init) =>
    base(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), cookie } });
}

/** A happy-dom window per document: documents parsed in a long-lived window are never freed. */
export function pageWindow(url: string): Window {
  return new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
    },
  });
}

export interface TimedParser {
  parse: PageParser;
  /**
   * Milliseconds spent building DOM trees and collecting them afterwards (happy-dom's cost, not
   * Archiviste's: its documents make more garbage than the rest of a sync) since the last reset.
   */
  domMs: () => number;
  reset: () => void;
}

/**
 * The background's `parsePageHtml` with happy-dom as its `DOMParser` (Chrome's worker reads pages
 * offscreen, Firefox's background has one): the DOM building time is kept apart, because happy-dom
 * is far slower at it than a browser.
 */
export function happyDomParser(): TimedParser {
  let domMs = 0;
  const open: Window[] = [];
  const global = globalThis as { DOMParser?: unknown };
  class TimedDomParser {
    parseFromString(html: string, type: string): Document {
      const start = performance.now();
      const window = pageWindow('about:blank');
      open.push(window);
      const doc = new window.DOMParser().parseFromString(html, type as 'text/html');
      domMs += performance.now() - start;
      return doc as unknown as Document;
    }
  }
  return {
    parse: async (html, url, now) => {
      global.DOMParser = TimedDomParser;
      try {
        return parsePageHtml(html, url, now);
      } finally {
        await Promise.all(open.splice(0).map((w) => w.happyDOM.close()));
        const start = performance.now();
        settle();
        domMs += performance.now() - start;
      }
    },
    domMs: () => domMs,
    reset: () => {
      domMs = 0;
    },
  };
}
