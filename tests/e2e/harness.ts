import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { inject } from 'vitest';
import { launchWithExtension } from './chromium';

export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../.test-results/artifacts');

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  /** Where downloads land under the file names the extension chose. */
  downloadsDir: string;
  /** The current service worker (a new handle after Chromium restarted it). */
  serviceWorker(): Promise<Worker>;
  newPage(): Promise<Page>;
  /** Opens an extension page (`popup.html`, `options.html`…) in a tab. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with the demo-mode build loaded: French UI, Paris time, real
 * download file names (Chromium's own download behaviour, not Playwright's GUID names).
 */
export async function launchExtension(): Promise<ExtensionSession> {
  const extensionDir = inject('extensionDir');
  const userDataDir = mkdtempSync(join(tmpdir(), 'archiviste-e2e-'));
  const downloadsDir = join(userDataDir, 'downloads');
  mkdirSync(join(userDataDir, 'Default'), { recursive: true });
  mkdirSync(downloadsDir);
  writeFileSync(
    join(userDataDir, 'Default', 'Preferences'),
    JSON.stringify({
      download: { default_directory: downloadsDir, prompt_for_download: false, directory_upgrade: true },
    }),
  );
  const context = await launchWithExtension(extensionDir, userDataDir);
  const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });

  const serviceWorker = async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL((await serviceWorker()).url()).host;
  return {
    context,
    extensionId,
    downloadsDir,
    serviceWorker,
    newPage: () => context.newPage(),
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
