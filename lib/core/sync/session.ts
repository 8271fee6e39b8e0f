import { type DemarcheRow, type DossierRow, db } from '@/lib/core/db';
import { type InstanceRules, rulesOf } from '@/lib/core/instance-rules';
import { timelineOf } from '@/lib/core/retention';
import { warnIfUnrecognised } from '@/lib/core/sync/parse-page';
import { recordPageReport } from '@/lib/core/sync/record-page';
import { fetchPage, type PageParser, PageUnavailableError } from '@/lib/core/sync/remote-page';
import { watchedDemarches } from '@/lib/core/sync/store';
import { archiveStatus } from '@/lib/core/threat';
import { isTermine, type PageDossier, type PageReport } from '@/lib/ds/model';
import { dossierListUrl, dossierPrintUrl, dossierUrl, proceduresUrl, type Statut } from '@/lib/ds/routes';
import { mapPool } from '@/lib/platform/pool';

/**
 * Token-less sync, with the pages the user is logged into: the démarches list, every page of the
 * watched démarches' lists (including "à archiver" and the corbeille), then dossier pages only for
 * dossiers whose date is unknown or stale, then the messagerie of saved dossiers DS flags with a
 * « Message » — two at a time and a bounded number per run, so DS sees a light, human-like load.
 * GET requests only, of pages that change nothing on DS.
 */

export interface SessionSyncOptions {
  parse: PageParser;
  now: Date;
  leadTimeDays: number;
  fetcher?: typeof fetch;
  /** Dossier pages fetched per run at most; the rest waits for the next run. */
  maxDossierPages?: number;
  /** Messageries (print pages) fetched per run at most; the rest waits for the next run. */
  maxMessagePages?: number;
}

export interface SyncCounts {
  requests: number;
  dossiers: number;
}

/** Every dossier an instructeur can see is in one of these tabs ("tous" leaves out "à archiver"). */
const LIST_TABS: Statut[] = ['tous', 'archives', 'supprimes'];
const DOSSIER_PAGE_CONCURRENCY = 2;
const DAY_MS = 86_400_000;

/** Whether a dossier page must be read to know (again) when DS deletes the dossier. */
export function needsDossierPage(
  dossier: DossierRow,
  demarche: DemarcheRow,
  rules: InstanceRules,
  now: Date,
  leadTimeDays: number,
): boolean {
  if (dossier.deletedAt || dossier.corbeilleSince || dossier.neverExpires) return false;
  if (!dossier.state || dossier.state === 'en_instruction') return false;
  if (dossier.state === 'en_construction' && rules.set === '2026') return false;
  if (isTermine(dossier.state) && demarche.expiresWhenTermine === false) return false;
  if (!dossier.expiresAt || dossier.expirySource === 'estimate' || !dossier.expiryCheckedAt) return true;
  const { daysLeft } = timelineOf(dossier, demarche, rules, now);
  const maxAge = daysLeft !== null && daysLeft <= leadTimeDays + 7 ? DAY_MS : 7 * DAY_MS;
  return now.getTime() - Date.parse(dossier.expiryCheckedAt) >= maxAge;
}

/**
 * Whether to read a dossier's messages: a list row shows DS's « Message » (a message its instructeur
 * has not opened yet) and Archiviste's save may be older than it. The badge alone proves nothing: it
 * stays until the instructeur opens the messagerie, even when the save already holds the message.
 */
export function needsMessages(dossier: DossierRow | undefined, shown: Pick<PageDossier, 'news'>): boolean {
  return !!dossier && !dossier.deletedAt && !!shown.news?.includes('message') && archiveStatus(dossier) === 'saved';
}

/**
 * Unknown dates first (oldest dossiers first: they expire sooner), then the stale ones soonest first.
 * Each key is computed once: a timeline costs calendar arithmetic, too much to redo at every comparison.
 */
function byUrgency(
  dossiers: DossierRow[],
  rules: InstanceRules,
  now: Date,
  demarches: Map<number, DemarcheRow>,
): DossierRow[] {
  const keyed = dossiers.map((d) =>
    !d.expiresAt || d.expirySource === 'estimate'
      ? { d, group: 0, value: d.number }
      : { d, group: 1, value: timelineOf(d, demarches.get(d.demarche), rules, now).daysLeft ?? 0 },
  );
  keyed.sort((a, b) => a.group - b.group || a.value - b.value);
  return keyed.map(({ d }) => d);
}

/**
 * A page whose markup Archiviste does not know stops the sync where it is: what earlier pages gave
 * is kept, nothing of it is stored, and the instance's problem says so until DS's markup is back.
 */
export async function syncSession(origin: string, options: SessionSyncOptions): Promise<SyncCounts> {
  try {
    return await readSession(origin, options);
  } catch (error) {
    warnIfUnrecognised(error, `token-less sync of ${origin}`);
    throw error;
  }
}

async function readSession(origin: string, options: SessionSyncOptions): Promise<SyncCounts> {
  const { parse, now, leadTimeDays, fetcher, maxDossierPages = 200, maxMessagePages = 50 } = options;
  let requests = 0;
  /** The list rows DS flags with a « Message », by dossier number. */
  const flagged = new Map<number, PageDossier>();
  const read = async (url: string): Promise<PageReport> => {
    requests += 1;
    const report = await fetchPage(url, parse, now, fetcher);
    await recordPageReport(report);
    if (report.list) for (const d of report.dossiers) if (d.news?.includes('message')) flagged.set(d.number, d);
    return report;
  };
  /** One unreadable page must not stop the others; losing the session or DS stops everything. */
  const readEach = async (url: string) => {
    try {
      await read(url);
    } catch (error) {
      if (!(error instanceof PageUnavailableError)) throw error;
    }
  };

  await read(proceduresUrl(origin));
  const demarches = await watchedDemarches(origin);
  for (const demarche of demarches) {
    try {
      for (const statut of LIST_TABS) {
        let pageCount = 1;
        for (let page = 1; page <= pageCount; page += 1) {
          const report = await read(dossierListUrl(origin, demarche.number, statut, page));
          pageCount = report.list?.pageCount ?? 1;
        }
      }
      await db.demarches.update([origin, demarche.number], { lastListedAt: now.toISOString() });
    } catch (error) {
      // A démarche this instructeur no longer sees must not hide the others.
      if (!(error instanceof PageUnavailableError)) throw error;
    }
  }

  const byNumber = new Map(demarches.map((d) => [d.number, d]));
  const tracked = await db.dossiers
    .where('[origin+demarche]')
    .between([origin, -Infinity], [origin, Infinity])
    .toArray();
  const readDossier = (dossier: DossierRow) => readEach(dossierUrl(origin, dossier.demarche, dossier.number));

  // No evidence yet of which rules this instance runs: one en construction dossier's page settles it.
  let rules = rulesOf(origin, await db.instances.get(origin));
  const probe = rules.basis === 'assumed' && tracked.find((d) => d.state === 'en_construction' && !d.corbeilleSince);
  if (probe) {
    await readDossier(probe);
    rules = rulesOf(origin, await db.instances.get(origin));
  }

  const due = byUrgency(
    tracked.filter((d) => {
      const demarche = byNumber.get(d.demarche);
      return d !== probe && demarche !== undefined && needsDossierPage(d, demarche, rules, now, leadTimeDays);
    }),
    rules,
    now,
    byNumber,
  ).slice(0, maxDossierPages - (probe ? 1 : 0));
  await mapPool(due, DOSSIER_PAGE_CONCURRENCY, readDossier);

  // Its print page, not its « Messagerie » tab: opening the tab would mark the usager's messages as
  // read and clear the instructeur's « Message », which is theirs to do.
  const stored = new Map(tracked.map((d) => [d.number, d]));
  const unread = [...flagged.values()]
    .filter((shown) => needsMessages(stored.get(shown.number), shown))
    .slice(0, maxMessagePages);
  await mapPool(unread, DOSSIER_PAGE_CONCURRENCY, (d) => readEach(dossierPrintUrl(origin, d.demarche, d.number)));
  return { requests, dossiers: tracked.length };
}

/** Dossier pages read for one list page a user opened: enough for the rows DS shows no date for. */
const PAGES_PER_LIST = 25;

/**
 * The rows of a list a user is looking at whose date nothing shows yet (no column, no DS badge, no
 * earlier reading): their dossier pages, two at a time, so their countdowns turn from an estimate
 * into DS's date while the user is still there. Returns how many pages were read.
 */
export async function completeDates(
  origin: string,
  numbers: readonly number[],
  options: Pick<SessionSyncOptions, 'parse' | 'now' | 'leadTimeDays' | 'fetcher'>,
): Promise<number> {
  const { parse, now, leadTimeDays, fetcher } = options;
  const [instance, rows] = await Promise.all([
    db.instances.get(origin),
    db.dossiers.bulkGet(numbers.map((n) => [origin, n] as [string, number])),
  ]);
  const rules = rulesOf(origin, instance);
  const demarches = new Map(
    (await db.demarches.where('origin').equals(origin).toArray()).map((d) => [d.number, d] as const),
  );
  const undated = rows.filter((d): d is DossierRow => {
    const demarche = d && demarches.get(d.demarche);
    return (
      !!d &&
      !!demarche &&
      (!d.expiresAt || d.expirySource === 'estimate') &&
      needsDossierPage(d, demarche, rules, now, leadTimeDays)
    );
  });
  let read = 0;
  await mapPool(undated.slice(0, PAGES_PER_LIST), DOSSIER_PAGE_CONCURRENCY, async (dossier) => {
    try {
      await recordPageReport(
        await fetchPage(dossierUrl(origin, dossier.demarche, dossier.number), parse, now, fetcher),
      );
      read += 1;
    } catch (error) {
      if (!(error instanceof PageUnavailableError)) throw error;
    }
  });
  return read;
}
