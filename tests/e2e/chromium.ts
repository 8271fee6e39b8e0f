import { resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { browserTestsEnabled, findBrowser } from './browsers.ts';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/** `$CHROME_PATH`, then the first of chromium, chromium-browser, google-chrome on PATH. */
export const findChromium = (): string | null => findBrowser('CHROME_PATH', CANDIDATES);

/** The e2e suite runs when Chromium is there (or on CI, where its absence must fail). */
export function e2eEnabled(): boolean {
  return browserTestsEnabled(
    findChromium(),
    'END-TO-END TESTS SKIPPED: no Chromium found ($CHROME_PATH, chromium, chromium-browser, google-chrome).' +
      ' Install it with `sudo apt-get install chromium chromium-l10n` (Debian/Ubuntu) or set CHROME_PATH.',
  );
}

/**
 * Headless Chromium on a profile folder with one unpacked extension loaded: French UI, Paris time,
 * and the flags this machine's closed network needs (no background connections). Shared by the e2e
 * harness and the benchmarks. With `proxy` (`host:port`), every request goes through it, loopback
 * included (`<-loopback>` takes loopback off Chromium's implicit bypass list): the e2e request recorder.
 * With `smallDisk`, its folder `dir` is, for this browser only, a disk of `bytes` bytes
 * (`small-disk-chromium.sh`): a disk that really fills up.
 */
export function launchWithExtension(
  extensionDir: string,
  userDataDir: string,
  proxy?: string,
  smallDisk?: { dir: string; bytes: number },
): Promise<BrowserContext> {
  const browserPath = findChromium();
  if (!browserPath) {
    throw new Error('Chromium is required (apt-get install chromium chromium-l10n, or set CHROME_PATH)');
  }
  return chromium.launchPersistentContext(userDataDir, {
    ...(smallDisk
      ? {
          executablePath: resolve(import.meta.dirname, 'small-disk-chromium.sh'),
          env: {
            ...process.env,
            ARCHIVISTE_CHROMIUM: browserPath,
            ARCHIVISTE_DISK_DIR: smallDisk.dir,
            ARCHIVISTE_DISK_BYTES: String(smallDisk.bytes),
          },
        }
      : { executablePath: browserPath }),
    headless: true,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--lang=fr-FR',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(proxy ? [`--proxy-server=http://${proxy}`, '--proxy-bypass-list=<-loopback>'] : []),
    ],
  });
}
