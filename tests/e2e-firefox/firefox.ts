import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { DemoInstance } from '../../demo/instance';
import { browserTestsEnabled, findBrowser } from '../e2e/browsers.ts';
import type { Evaluator } from '../e2e/expiry';

const CANDIDATES = ['firefox-esr', 'firefox'];

/** The extension's id in the Firefox build (wxt.config.ts, `browser_specific_settings.gecko.id`). */
const ADDON_ID = 'archiviste@archiviste.fr';
/**
 * The extension's moz-extension host, fixed through a pref before the install: Firefox otherwise
 * draws a random one per profile, which nothing outside the browser can read.
 */
export const EXTENSION_UUID = '3f0e8a52-6d1c-4b7e-9a25-7c41d0b9e6f3';

/** `$FIREFOX_PATH`, then the first of firefox-esr, firefox on PATH. */
export const findFirefox = (): string | null => findBrowser('FIREFOX_PATH', CANDIDATES);

/** The Firefox e2e project runs when Firefox is there (or on CI, where its absence must fail). */
export function firefoxEnabled(): boolean {
  return browserTestsEnabled(
    findFirefox(),
    'FIREFOX END-TO-END TESTS SKIPPED: no Firefox found ($FIREFOX_PATH, firefox-esr, firefox).' +
      ' Install it with `sudo apt-get install firefox-esr firefox-esr-l10n-fr` (Debian) or set FIREFOX_PATH.',
  );
}

/** A Puppeteer page as the shared e2e helpers use one: a function and one argument, as Playwright's. */
export function evaluator(page: Page): Evaluator {
  return {
    // Puppeteer types each argument as a possible element handle, which these helpers never pass.
    evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => never, arg),
  };
}

export interface FirefoxSession {
  browser: Browser;
  /** Where downloads land, under the file names the extension chose. */
  downloadsDir: string;
  newPage(): Promise<Page>;
  /** Opens an extension page (`popup.html`, `options.html`…) in a tab, once it has loaded. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export const extensionUrl = (path: string) => `moz-extension://${EXTENSION_UUID}/${path}`;

/**
 * Waits until `page` shows `url`, loaded. Firefox's WebDriver BiDi loses track of a navigation into
 * the extension's process (its network listener finds no browsing context for the moz-extension
 * document, so the load never reaches the client): the page itself is asked instead.
 */
async function loaded(page: Page, url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await page.evaluate(() => ({ href: location.href, ready: document.readyState })).catch(() => null); // the document is being replaced
    if (state?.href === url && state.ready === 'complete') return;
    if (Date.now() > deadline) throw new Error(`${url} did not load; last seen ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Every request through the proxy at `host:port`, loopback included (Firefox never proxies loopback
 * unless hijacking it is allowed and the no-proxy list is emptied, which otherwise holds localhost),
 * and never straight to the host when the proxy refuses: the e2e request recorder.
 */
function proxyPrefs(proxy: string): Record<string, unknown> {
  const [host, port] = proxy.split(':');
  return {
    'network.proxy.type': 1,
    'network.proxy.http': host,
    'network.proxy.http_port': Number(port),
    // https and websockets through the same proxy, as CONNECTs the recorder logs and refuses.
    'network.proxy.share_proxy_settings': true,
    'network.proxy.ssl': host,
    'network.proxy.ssl_port': Number(port),
    'network.proxy.allow_hijacking_localhost': true,
    'network.proxy.no_proxies_on': '',
    'network.proxy.failover_direct': false,
  };
}

/**
 * Firefox's own background traffic, off where a pref turns it off, so the recorder sees what the pages
 * and the extension ask for (Puppeteer's defaults already stop updates, safebrowsing lists, Normandy).
 */
const QUIET_FIREFOX = {
  // Remote Settings (blocklists, monitor/changes polls) from a data: URL, which never reaches the
  // network, instead of Puppeteer's dummy host, polled through the proxy dozens of times a minute.
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.server': '',
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'geo.provider.network.url': '',
  'extensions.systemAddon.update.enabled': false,
  'extensions.blocklist.enabled': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
};

/**
 * Headless Firefox (WebDriver BiDi) with the Firefox demo build installed as a temporary add-on:
 * French UI (Debian's langpack), Paris time, downloads saved without a dialog into a folder of the
 * profile, and the prefs this machine's closed network needs. With `proxy` (`host:port`), every
 * request goes through it, as the e2e Chromiums' do.
 */
export async function launchFirefox(extensionDir: string, proxy?: string): Promise<FirefoxSession> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error('Firefox is required (apt-get install firefox-esr firefox-esr-l10n-fr)');
  const profileDir = mkdtempSync(join(tmpdir(), 'archiviste-firefox-'));
  const downloadsDir = join(profileDir, 'downloads');
  mkdirSync(downloadsDir);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    userDataDir: profileDir,
    // Lets WebDriver open moz-extension:// pages (refused by default as not web content).
    args: ['--remote-allow-system-access'],
    env: {
      ...process.env,
      TZ: 'Europe/Paris',
      // Release builds ignore Puppeteer's dummy Remote Settings server without it, and wait on the network.
      MOZ_REMOTE_SETTINGS_DEVTOOLS: '1',
    },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }),
      'intl.locale.requested': 'fr',
      'intl.accept_languages': 'fr-FR, fr',
      'browser.download.dir': downloadsDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.alwaysOpenPanel': false,
      ...QUIET_FIREFOX,
      ...(proxy ? proxyPrefs(proxy) : {}),
    },
  });
  await browser.installExtension(extensionDir);
  return {
    browser,
    downloadsDir,
    newPage: () => browser.newPage(),
    async openExtensionPage(path) {
      const page = await browser.newPage();
      const url = extensionUrl(path);
      // Not awaited: see `loaded`. Its late time-out (or the tab's closing) is expected.
      page.goto(url).catch(() => {});
      await loaded(page, url);
      return page;
    },
    async close() {
      await browser.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through DS's own form, as a user would; the page ends on /procedures. */
export async function logIn(page: Page, demo: DemoInstance): Promise<void> {
  await page.goto(`${demo.url}/users/sign_in`);
  await page.type('#user_email', demo.login.email);
  await page.type('#user_password', demo.login.password);
  await Promise.all([page.waitForNavigation(), page.click('#new_user input[type="submit"]')]);
}

/**
 * Shifts the demo-mode extension's clock (`demoClockOffsetMs`, see lib/platform/clock.ts) to the
 * instance's, from one of its pages; every context of the extension watches that value.
 */
export async function alignExtensionClock(extensionPage: Evaluator, demo: DemoInstance): Promise<void> {
  await extensionPage.evaluate(
    (ms) => chrome.storage.local.set({ demoClockOffsetMs: ms }),
    demo.clock.now().getTime() - Date.now(),
  );
}
