import { browser } from 'wxt/browser';
import {
  createArchiveJob,
  jobRemaining,
  listArchiveJobs,
  readArchiveJob,
  recordArchivePart,
  updateArchiveJob,
} from '@/lib/core/archive/jobs';
import { notifyArchiveDone, parseArchiveNotificationId } from '@/lib/core/archive/notify-done';
import { resolveSelection } from '@/lib/core/archive/resolve-selection';
import { db } from '@/lib/core/db';
import { saveDossier, saveDossierPdf } from '@/lib/core/export-dossier';
import { ensureInstance, normaliseOrigin, removeInstance } from '@/lib/core/instances';
import { CONTENT_SCRIPT_CHECKS } from '@/lib/core/message-checks';
import { parseNotificationId } from '@/lib/core/notify';
import { forgetToken, readToken, saveToken } from '@/lib/core/secrets';
import { resumeInterruptedSync, type SyncContext, syncAll, syncAllAfterCurrent } from '@/lib/core/sync';
import { problemOf } from '@/lib/core/sync/errors';
import { parsePageHtml } from '@/lib/core/sync/parse-page';
import { acceptPageReport } from '@/lib/core/sync/record-page';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { completeDates } from '@/lib/core/sync/session';
import { refreshBadge } from '@/lib/core/toolbar-badge';
import { setWatched } from '@/lib/core/watch';
import { DsApiClient } from '@/lib/ds/api';
import { KNOWN_INSTANCES } from '@/lib/ds/instances';
import { dossierListUrl } from '@/lib/ds/routes';
import { initClock, now } from '@/lib/platform/clock';
import { initI18n, t } from '@/lib/platform/i18n';
import { hasHostPermission, registerInstanceScripts, unregisterInstanceScripts } from '@/lib/platform/instance-scripts';
import { listenForMessages } from '@/lib/platform/messages';
import { type FileExporter, fileExporterOffscreen, makeZipOffscreen, parseOffscreen } from '@/lib/platform/offscreen';
import { forgetTabMarkup, rememberPageMarkup } from '@/lib/platform/page-markup';
import { rememberTab, tellPages } from '@/lib/platform/page-tabs';
import { isSyncDue, lastSyncRun, SYNC_ALARM, SYNC_RESUME_ALARM, scheduleSync } from '@/lib/platform/scheduler';
import { getSettings, settingsItem } from '@/lib/platform/settings';
import { exportFailureText } from '@/lib/view/export-problem';
import { exportButtonTexts, saveList } from '@/lib/view/list-export';
import { readPageFates } from '@/lib/view/page-fates';

export default defineBackground(() => {
  // Notifications speak the language chosen in the options, like the pages.
  const ready = Promise.all([initClock(), initI18n()]);
  // Firefox's background page has a DOM; Chrome's service worker reads pages in an offscreen document.
  const parse: PageParser =
    typeof DOMParser === 'undefined' ? parseOffscreen : async (html, url, at) => parsePageHtml(html, url, at);
  // Exports are made in place in Firefox's background page; Chrome's service worker (no DOMParser, no
  // URL.createObjectURL) asks its offscreen document, and its build leaves the export code out.
  const inPlace = import.meta.env.FIREFOX ? import('@/lib/platform/in-place-export') : null;
  const makeZip: typeof makeZipOffscreen = inPlace
    ? async (request) => (await inPlace).makeZipInPlace(request)
    : makeZipOffscreen;
  const fileExporter: FileExporter = inPlace
    ? {
        readTab: async (request) => (await inPlace).fileExporterInPlace.readTab(request),
        makeFile: async (spec) => (await inPlace).fileExporterInPlace.makeFile(spec),
      }
    : fileExporterOffscreen;

  /** An export that could not be made, in the same words as a sync's problem, with its fix. */
  function explainExportFailure(error: unknown): string {
    return exportFailureText(error, now());
  }

  /**
   * Runs what reads DS for an export; a DS problem it meets (it has a code: logged out, page not
   * recognised…) becomes that sentence, an error already in the user's words passes as it is.
   */
  async function explainingDsProblems<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Error && !(error as { code?: unknown }).code) throw error;
      throw new Error(explainExportFailure(error));
    }
  }

  /**
   * Every change of what counts (a sync, a page, the options) ends here, so the toolbar badge and
   * the DS pages' countdowns never lag.
   */
  async function updateBadge() {
    await ready;
    const count = await refreshBadge((await getSettings()).leadTimeDays, now());
    await tellPages();
    return count;
  }

  async function syncContext(): Promise<SyncContext> {
    await ready;
    return { now: now(), settings: await getSettings(), parse };
  }

  /** `afterCurrent`: the user asked, so a sync already under way (begun before their last change) does not answer. */
  async function runSync(origins?: string[], afterCurrent = false) {
    const context = await syncContext();
    const results = await (afterCurrent ? syncAllAfterCurrent : syncAll)(context, origins);
    if (!origins) await lastSyncRun.set(context.now);
    await updateBadge();
    return results;
  }

  /** At each worker start and on its alarm: a sync the browser stopped with the last worker goes on. */
  async function resumeSync() {
    if (await resumeInterruptedSync(await syncContext())) await updateBadge();
  }
  void resumeSync();

  /** A list the user opened shows rows without any date: read their pages now (token-less mode). */
  async function completeListDates(origin: string, dossiers: number[]) {
    if ((await readToken(origin)) !== null) return;
    const settings = await getSettings();
    try {
      const read = await completeDates(origin, dossiers, { parse, now: now(), leadTimeDays: settings.leadTimeDays });
      if (read > 0) await updateBadge();
    } catch (error) {
      // The next sync reports what stopped this (logged out, DS unreachable).
      console.warn('Archiviste: dossier pages not read', error);
    }
  }

  async function startUp() {
    await ready;
    const settings = await getSettings();
    await scheduleSync(settings.syncIntervalHours);
    if (isSyncDue(await lastSyncRun.get(), settings.syncIntervalHours, now())) await runSync();
    else await updateBadge();
  }

  browser.runtime.onInstalled.addListener(() => void startUp());
  browser.runtime.onStartup.addListener(() => void startUp());
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void runSync();
    if (alarm.name === SYNC_RESUME_ALARM) void resumeSync();
  });
  settingsItem.watch(async (settings) => {
    if (!settings) return;
    await scheduleSync(settings.syncIntervalHours);
    await refreshBadge(settings.leadTimeDays, now());
  });
  browser.notifications.onClicked.addListener(async (id) => {
    const archive = parseArchiveNotificationId(id);
    if (archive !== null) {
      await browser.tabs.create({ url: browser.runtime.getURL(`/archive.html?job=${archive}`) });
      await browser.notifications.clear(id);
      return;
    }
    const target = parseNotificationId(id);
    if (!target) return;
    const statut = target.corbeille ? 'supprimes' : 'tous';
    await browser.tabs.create({ url: dossierListUrl(target.origin, target.demarche, statut) });
    await browser.notifications.clear(id);
  });

  browser.tabs.onRemoved.addListener((tabId) => void forgetTabMarkup(tabId));

  listenForMessages(CONTENT_SCRIPT_CHECKS, {
    ping: () => ({ version: browser.runtime.getManifest().version, context: 'background' }),
    'page-report': async (payload, sender) => {
      await ready;
      rememberTab(sender);
      const accepted = await acceptPageReport(payload, sender.url);
      await updateBadge();
      // The first DS page seen starts the watch of that instance right away.
      if (accepted.newInstance) void runSync([accepted.newInstance]);
      if (accepted.list) void completeListDates(accepted.list.origin, accepted.list.dossiers);
      return { stored: accepted.stored };
    },
    'page-markup': async (markup, sender) => {
      await ready;
      const tab = sender.tab?.id;
      // What the popup says of the page in a tab: a message from no tab describes nothing shown.
      if (tab !== undefined && tab >= 0) await rememberPageMarkup(tab, markup, now());
      return {};
    },
    'page-fates': async (request, sender) => {
      await ready;
      rememberTab(sender);
      return readPageFates(request, (await getSettings()).leadTimeDays, now());
    },
    'export-dossier': async (request, sender) => {
      await ready;
      rememberTab(sender);
      const settings = await getSettings();
      const saved = await saveDossier(request, {
        makeZip,
        csvSeparator: settings.csvSeparator,
        explain: explainExportFailure,
        now: now(),
      });
      await updateBadge();
      return saved;
    },
    'page-texts': async () => {
      await ready;
      return exportButtonTexts();
    },
    'export-dossier-pdf': async (request) => {
      await ready;
      return saveDossierPdf(request, { exporter: fileExporter, explain: explainExportFailure, now: now() });
    },
    'export-list': async (request) => {
      await ready;
      const settings = await getSettings();
      return explainingDsProblems(() =>
        saveList(request, {
          exporter: fileExporter,
          csvSeparator: settings.csvSeparator,
          leadTimeDays: settings.leadTimeDays,
          now: now(),
        }),
      );
    },
    'archive-start': async (selection) => {
      await ready;
      const settings = await getSettings();
      // A tab's dossiers are read from DS's list pages: a page it does not know stops it, in words.
      const resolved = await explainingDsProblems(() =>
        resolveSelection(selection, {
          now: now(),
          leadTimeDays: settings.leadTimeDays,
          readTab: fileExporter.readTab,
        }),
      );
      if (!resolved.refs.length) throw new Error(t('archive_nothing'));
      const job = await createArchiveJob(selection, resolved, now());
      await browser.tabs.create({ url: browser.runtime.getURL(`/archive.html?job=${job.id}`) });
      return { jobId: job.id!, dossiers: resolved.refs.length };
    },
    'archive-job': async ({ id }) => {
      const job = (await readArchiveJob(id)) ?? null;
      return { job, remaining: job ? jobRemaining(job).length : 0 };
    },
    'archive-jobs': async () => ({
      jobs: (await listArchiveJobs()).map((job) => ({
        id: job.id!,
        title: job.title,
        createdAt: job.createdAt,
        state: job.state,
        total: job.refs.length,
        remaining: jobRemaining(job).length,
      })),
    }),
    'archive-update': async ({ id, state, partSize }) => {
      await ready;
      return { job: (await updateArchiveJob(id, { state, partSize }, now())) ?? null };
    },
    'archive-part-written': async ({ id, part, results }) => {
      await ready;
      const job = await recordArchivePart(id, part, results, now());
      // The badges, banners and popup count the new « sauvegardé » as the archive goes.
      await updateBadge();
      if (job.state === 'done') await notifyArchiveDone(job);
      return { job };
    },
    'sync-now': async ({ origin }) => ({ results: await runSync(origin ? [origin] : undefined, true) }),
    'test-token': async ({ origin, token }) => {
      await ready;
      const secret = token ?? (await readToken(origin));
      if (!secret) return { readable: [], unreadable: [], problem: { code: 'token-invalid', at: now().toISOString() } };
      const known = await db.demarches.where('origin').equals(origin).primaryKeys();
      try {
        const client = new DsApiClient({ origin, token: secret });
        const { readable, denied } = await client.testToken(known.map(([, number]) => number));
        return {
          readable: readable.map(({ number, title }) => ({ number, title })),
          unreadable: denied.map((d) => d.number),
          problem: null,
        };
      } catch (error) {
        return { readable: [], unreadable: [], problem: problemOf(error, now()) };
      }
    },
    'save-token': async ({ origin, token }) => {
      await ready;
      await ensureInstance(origin, now());
      return { hint: await saveToken(origin, token, now()) };
    },
    'forget-token': async ({ origin }) => {
      await forgetToken(origin);
      await updateBadge();
      return {};
    },
    'add-instance': async (request) => {
      await ready;
      const origin = normaliseOrigin(request.origin);
      if (!(await hasHostPermission(origin))) throw new Error(t('options_permission_refused', new URL(origin).host));
      const instance = await ensureInstance(origin, now());
      if (!KNOWN_INSTANCES.some((known) => known.origin === origin)) await registerInstanceScripts(origin);
      return { origin: instance.origin, name: instance.name };
    },
    'remove-instance': async ({ origin }) => {
      await removeInstance(origin);
      await unregisterInstanceScripts(
        origin,
        (await db.instances.toArray()).map((instance) => instance.origin),
      );
      await updateBadge();
      return {};
    },
    'set-watched': async ({ origin, number, watched }) => {
      await setWatched(origin, number, watched);
      await updateBadge();
      return {};
    },
  });
});
