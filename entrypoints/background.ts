import { browser } from 'wxt/browser';
import { db } from '@/lib/core/db';
import { ensureInstance, normaliseOrigin, removeInstance } from '@/lib/core/instances';
import { parseNotificationId } from '@/lib/core/notify';
import { forgetToken, readToken, saveToken } from '@/lib/core/secrets';
import { syncAll } from '@/lib/core/sync';
import { problemOf } from '@/lib/core/sync/errors';
import { parsePageHtml } from '@/lib/core/sync/parse-page';
import { recordPageReport, sameOriginReport } from '@/lib/core/sync/record-page';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { refreshBadge } from '@/lib/core/toolbar-badge';
import { DsApiClient } from '@/lib/ds/api';
import { KNOWN_INSTANCES } from '@/lib/ds/instances';
import { dossierListUrl } from '@/lib/ds/routes';
import { initClock, now } from '@/lib/platform/clock';
import { initI18n } from '@/lib/platform/i18n';
import { hasHostPermission, registerInstanceScripts, unregisterInstanceScripts } from '@/lib/platform/instance-scripts';
import { listenForMessages } from '@/lib/platform/messages';
import { parseOffscreen } from '@/lib/platform/offscreen';
import { isSyncDue, lastSyncRun, SYNC_ALARM, scheduleSync } from '@/lib/platform/scheduler';
import { getSettings, settingsItem } from '@/lib/platform/settings';

export default defineBackground(() => {
  // Notifications speak the language chosen in the options, like the pages.
  const ready = Promise.all([initClock(), initI18n()]);
  // Firefox's background page has a DOM; Chrome's service worker reads pages in an offscreen document.
  const parse: PageParser =
    typeof DOMParser === 'undefined' ? parseOffscreen : async (html, url, at) => parsePageHtml(html, url, at);

  async function runSync(origins?: string[]) {
    await ready;
    const settings = await getSettings();
    const startedAt = now();
    const results = await syncAll({ now: startedAt, settings, parse }, origins);
    if (!origins) await lastSyncRun.set(startedAt);
    await refreshBadge(settings.leadTimeDays, now());
    return results;
  }

  async function startUp() {
    await ready;
    const settings = await getSettings();
    await scheduleSync(settings.syncIntervalHours);
    if (isSyncDue(await lastSyncRun.get(), settings.syncIntervalHours, now())) await runSync();
    else await refreshBadge(settings.leadTimeDays, now());
  }

  browser.runtime.onInstalled.addListener(() => void startUp());
  browser.runtime.onStartup.addListener(() => void startUp());
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void runSync();
  });
  settingsItem.watch(async (settings) => {
    if (!settings) return;
    await scheduleSync(settings.syncIntervalHours);
    await refreshBadge(settings.leadTimeDays, now());
  });
  browser.notifications.onClicked.addListener(async (id) => {
    const target = parseNotificationId(id);
    if (!target) return;
    const statut = target.corbeille ? 'supprimes' : 'tous';
    await browser.tabs.create({ url: dossierListUrl(target.origin, target.demarche, statut) });
    await browser.notifications.clear(id);
  });

  listenForMessages({
    ping: () => ({ version: browser.runtime.getManifest().version, context: 'background' }),
    'page-report': async (report, sender) => {
      await ready;
      if (!sameOriginReport(report, sender.url)) throw new Error('Page report from another origin');
      const isNew = !(await db.instances.get(report.origin));
      const stored = await recordPageReport(report);
      // The first DS page seen starts the watch of that instance right away.
      if (isNew) void runSync([report.origin]);
      else await refreshBadge((await getSettings()).leadTimeDays, now());
      return { stored };
    },
    'sync-now': async ({ origin }) => ({ results: await runSync(origin ? [origin] : undefined) }),
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
      return {};
    },
    'add-instance': async (request) => {
      await ready;
      const origin = normaliseOrigin(request.origin);
      if (!(await hasHostPermission(origin))) throw new Error(`Autorisation refusée pour ${origin}`);
      const instance = await ensureInstance(origin, now());
      if (!KNOWN_INSTANCES.some((known) => known.origin === origin)) await registerInstanceScripts(origin);
      return { origin: instance.origin, name: instance.name };
    },
    'remove-instance': async ({ origin }) => {
      await removeInstance(origin);
      await unregisterInstanceScripts(origin);
      return {};
    },
  });
});
