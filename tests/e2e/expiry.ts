import type { DossierSummary } from '../../demo/admin/admin';
import type { DemoInstance } from '../../demo/instance';
import { DAY_MS, parisDayNumber, parisInstantOnDay } from '../../demo/time';
import type { ExtensionSession } from './harness';

/**
 * What the expiry-watch e2e tests share: messages to the background, raw reads of the extension's
 * database and notifications, and the demo's own truth about which dossiers DS deletes soon,
 * computed from the instance's data (never with the extension's code).
 */

/** Issue 4's thresholds: a digest one month, one week and one day ahead (the default settings). */
export const THRESHOLDS = [1, 7, 30] as const;
export const LEAD_DAYS = 30;

type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * What these helpers need of an extension page: to run a function there with one argument. A
 * Playwright page is one; a Puppeteer page (the Firefox tests) through `evaluator` in
 * tests/e2e-firefox/firefox.ts.
 */
export interface Evaluator {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

/** Sends an Archiviste message from an extension page, as the popup and options pages do. */
export function send<T>(page: Evaluator, kind: string, payload: object): Promise<Reply<T>> {
  return page.evaluate(([archiviste, body]) => chrome.runtime.sendMessage({ archiviste, payload: body }), [
    kind,
    payload,
  ] as const) as Promise<Reply<T>>;
}

export interface SyncReply {
  results: { origin: string; mode: 'api' | 'session'; requests: number; dossiers: number; problem: unknown }[];
}

/** Runs `sync-now` and returns its results; fails the test on a refused message. */
export async function syncNow(page: Evaluator): Promise<SyncReply['results']> {
  const reply = await send<SyncReply>(page, 'sync-now', {});
  if (!reply.ok) throw new Error(`sync-now refused: ${reply.error}`);
  return reply.value.results;
}

/** Polls `read` until `done` holds (for hooks, where `expect.poll` is not available). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until the extension stored every démarche of the demo, as DS's /procedures page shows them. */
export function demarchesKnown(
  page: Evaluator,
  demo: { url: string; demarches: readonly unknown[] },
): Promise<unknown> {
  return until(
    async () =>
      (await readTable<{ origin: string; expiresWhenTermine?: boolean }>(page, 'demarches')).filter(
        (d) => d.origin === demo.url && typeof d.expiresWhenTermine === 'boolean',
      ).length,
    (count) => count === demo.demarches.length,
  );
}

/** Every row of one table of the extension's IndexedDB, read raw (no Dexie) from an extension page. */
export function readTable<T>(page: Evaluator, table: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('archiviste');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction(name).objectStore(name).getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            resolve(request.result as T[]);
            db.close();
          };
        };
      }),
    table,
  );
}

export interface StoredDossier {
  origin: string;
  number: number;
  demarche: number;
  state?: string;
  expiresAt: string | null;
  expirySource: string | null;
  corbeilleSince?: string | null;
  deletedAt?: string | null;
}

export interface StoredNotice {
  key: string;
  origin: string;
  demarche: number;
  dossier: number;
  threshold: number;
  expiresAt: string;
  notificationId: string;
}

export interface StoredInstance {
  origin: string;
  mode: 'api' | 'session';
  lastSyncAt?: string;
  problem?: { code: string; at: string; detail?: string } | null;
}

/** The ids of the notifications Chromium holds for the extension (headless shows none, but keeps them). */
export async function notificationIds(session: ExtensionSession): Promise<string[]> {
  const worker = await session.serviceWorker();
  return Object.keys(await worker.evaluate(() => chrome.notifications.getAll())).sort();
}

export async function badgeText(session: ExtensionSession): Promise<string> {
  const worker = await session.serviceWorker();
  return worker.evaluate(() => chrome.action.getBadgeText({}));
}

/** `archiviste|<kind>|<origin>|<démarche>|<ms>`, as the notifications are named (lib/core/notify.ts). */
export interface NotificationName {
  kind: string;
  origin: string;
  demarche: number;
}

export function nameOf(id: string): NotificationName {
  const [prefix, kind, origin, demarche, at] = id.split('|');
  if (prefix !== 'archiviste' || !kind || !origin || !demarche || !at) throw new Error(`Unexpected id ${id}`);
  return { kind, origin, demarche: Number(demarche) };
}

// ——— The demo's truth ———

const expiresWhenTermine = (demo: DemoInstance, demarche: number) =>
  demo.demarches.find((d) => d.number === demarche)?.expiresWhenTermine ?? true;

/** A dossier DS lists and will delete at its `expired_at` (en instruction and kept processed ones never go). */
export function deletable(demo: DemoInstance, d: DossierSummary): boolean {
  if (!d.visible || d.inCorbeille || d.dateExpiration === null || d.daysLeft === null) return false;
  return d.state === 'en_construction' || (d.state !== 'en_instruction' && expiresWhenTermine(demo, d.demarche));
}

/** Dossiers of these démarches DS deletes within the lead time (or whose date has just passed). */
export function dueSoon(demo: DemoInstance, demarches?: readonly number[]): DossierSummary[] {
  return demo.admin
    .dossiers()
    .filter((d) => (!demarches || demarches.includes(d.demarche)) && deletable(demo, d) && d.daysLeft! <= LEAD_DAYS);
}

/** The digest a dossier belongs in now: `j<threshold>` before its date, `corbeille` once the date passed. */
export function expectedKind(demo: DemoInstance, d: DossierSummary): string {
  if (Date.parse(d.dateExpiration!) <= demo.clock.now().getTime()) return 'corbeille';
  return `j${THRESHOLDS.find((t) => d.daysLeft! <= t)}`;
}

export const parisDay = (iso: string) => parisDayNumber(new Date(iso));
export const today = (demo: DemoInstance) => parisDayNumber(demo.clock.now());
/** Noon in Paris on a day given by `parisDayNumber`, away from DS's 01:00, 02:00 and 15:00 jobs. */
export const noonOn = (day: number) => parisInstantOnDay(day, 12);
/**
 * 00:30 in Paris: DS's two-week notice moves `expired_at` to the notice time + 14 days (01:00 for
 * processed dossiers, 15:00 for en construction ones), which stays on the same day from there.
 */
export const earlyOn = (day: number) => new Date(parisInstantOnDay(day, 0).getTime() + 30 * 60_000);

/**
 * A deletion day for dossiers added to `demarches`: far enough (D-29 is after the demo's start) and
 * such that no other dossier of those démarches expires from a month before to 3 weeks after it, so
 * D-29 and D-7 see only the added ones. Also away from purge boundaries at D-29 and D-7 in every
 * démarche (DS purges 14 days after hiding, which happens the day after the date; Archiviste counts days).
 */
export function chooseDeletionDay(demo: DemoInstance, demarches: readonly number[]): number {
  const start = today(demo);
  const dates = demo.admin
    .dossiers()
    .filter((d) => deletable(demo, d) || d.inCorbeille)
    .map((d) => ({ demarche: d.demarche, day: d.expiredAt ? parisDay(d.expiredAt) : null }));
  for (let day = start + 31; day < start + 400; day += 1) {
    const clear = dates.every(({ demarche, day: e }) => {
      if (e === null) return true;
      if (demarches.includes(demarche) && e >= day - 31 && e <= day + 25) return false;
      // Days since the date at each sync: never near a purge, which DS decides by the hour.
      return [day - 29, day - 7].every((at) => at - e < 10 || at - e > 18);
    });
    if (clear) return day;
  }
  throw new Error('No deletion day clear of the data set within 400 days');
}

/** One dossier a digest should name now: in which démarche, and in which kind of digest. */
export interface Call {
  demarche: number;
  number: number;
  /** `j<threshold>` or `corbeille`. */
  kind: string;
}

/** What the demo's data calls for: each soon deleted dossier at its threshold, and corbeille dossiers. */
export function calls(
  demo: DemoInstance,
  due: readonly DossierSummary[],
  corbeille: readonly DossierSummary[] = [],
): Call[] {
  return [
    ...due.map((d) => ({ demarche: d.demarche, number: d.number, kind: expectedKind(demo, d) })),
    ...corbeille.map((d) => ({ demarche: d.demarche, number: d.number, kind: 'corbeille' })),
  ];
}

/** `<dossier>|<kind>`, to compare calls with stored notices. */
export const callKey = (c: Pick<Call, 'number' | 'kind'>) => `${c.number}|${c.kind}`;

/** `<dossier>|<kind>` of a stored notice. */
export const noticeKey = (n: StoredNotice) => `${n.dossier}|${n.threshold === 0 ? 'corbeille' : `j${n.threshold}`}`;

/**
 * `<démarche>|<kind>` of the notifications these calls make: one per démarche at its most urgent
 * threshold, and one for its corbeille.
 */
export function digestsOf(list: readonly Call[]): string[] {
  const kinds = new Map<number, Set<string>>();
  for (const c of list) kinds.set(c.demarche, (kinds.get(c.demarche) ?? new Set<string>()).add(c.kind));
  return [...kinds]
    .flatMap(([demarche, set]) => {
      const thresholds = [...set].filter((k) => k !== 'corbeille').map((k) => Number(k.slice(1)));
      return [
        ...(thresholds.length ? [`${demarche}|j${Math.min(...thresholds)}`] : []),
        ...(set.has('corbeille') ? [`${demarche}|corbeille`] : []),
      ];
    })
    .sort();
}

/** `<démarche>|<kind>` of notification ids. */
export const digestKeys = (ids: readonly string[]) =>
  ids.map((id) => `${nameOf(id).demarche}|${nameOf(id).kind}`).sort();

/** Whole days since DS hid a dossier at its expiry (null when it was not hidden for that). */
export function daysSinceHidden(demo: DemoInstance, d: DossierSummary): number | null {
  if (!d.hiddenByExpiredAt) return null;
  return Math.floor((demo.clock.now().getTime() - Date.parse(d.hiddenByExpiredAt)) / DAY_MS);
}

/** Moves the demo clock to noon on a day given by `parisDayNumber`. */
export function setDemoDay(demo: DemoInstance, day: number): void {
  demo.clock.set(noonOn(day));
}
