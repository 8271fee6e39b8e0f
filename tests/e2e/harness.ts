import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { inject } from 'vitest';
import { launchWithExtension } from './chromium';

export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../.test-results/artifacts');

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  /**
   * Where downloads land under the file names the extension chose. On a small disk, the browser's
   * own view of it (`/proc/<browser>/root/…`: the disk exists in its mount namespace only).
   */
  downloadsDir: string;
  /** The current service worker (a new handle after Chromium restarted it). */
  serviceWorker(): Promise<Worker>;
  newPage(): Promise<Page>;
  /** Opens an extension page (`popup.html`, `options.html`…) in a tab. */
  openExtensionPage(path: string): Promise<Page>;
  /** The browser profile: `launchExtension({ profileDir })` starts the browser again on it. */
  profileDir: string;
  /** Kills the browser as a crash or a power cut would (SIGKILL, no shutdown); the profile stays. */
  kill(): void;
  /** `keepProfile`: leave the profile for a relaunch (its caller removes it). */
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/**
 * Launches headless Chromium with the demo-mode build loaded: French UI, Paris time, real
 * download file names (Chromium's own download behaviour, not Playwright's GUID names). On a new
 * profile, or on `profileDir`, a profile an earlier session kept (the browser restarting). With
 * `downloadsDiskBytes`, the downloads folder is a disk of that size that really fills up.
 */
export async function launchExtension(
  options: { profileDir?: string; downloadsDiskBytes?: number } = {},
): Promise<ExtensionSession> {
  const extensionDir = inject('extensionDir');
  const userDataDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'archiviste-e2e-'));
  const downloadsDir = join(userDataDir, 'downloads');
  if (!existsSync(downloadsDir)) {
    mkdirSync(join(userDataDir, 'Default'), { recursive: true });
    mkdirSync(downloadsDir);
    writeFileSync(
      join(userDataDir, 'Default', 'Preferences'),
      JSON.stringify({
        download: { default_directory: downloadsDir, prompt_for_download: false, directory_upgrade: true },
        // Chromium's own autofill and password services would ask Google about DS's sign-in form:
        // off, so the request recorder sees only what the pages and the extension ask for.
        credentials_enable_service: false,
        profile: { password_manager_enabled: false, password_manager_leak_detection: false },
        autofill: { enabled: false, profile_enabled: false, credit_card_enabled: false },
      }),
    );
  }
  const { downloadsDiskBytes } = options;
  const context = await launchWithExtension(
    extensionDir,
    userDataDir,
    inject('networkProxy'),
    downloadsDiskBytes ? { dir: downloadsDir, bytes: downloadsDiskBytes } : undefined,
  );
  const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });

  const browserPids = () =>
    // Every process of this browser names its profile; the first one started is the browser itself.
    execFileSync('pgrep', ['-f', '--', `--user-data-dir=${userDataDir}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b);
  const serviceWorker = async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL((await serviceWorker()).url()).host;
  return {
    context,
    extensionId,
    downloadsDir: downloadsDiskBytes ? `/proc/${browserPids()[0]}/root${downloadsDir}` : downloadsDir,
    serviceWorker,
    newPage: () => context.newPage(),
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    profileDir: userDataDir,
    kill() {
      for (const pid of browserPids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone with its parent
        }
      }
    },
    async close({ keepProfile = false } = {}) {
      await context.close().catch(() => {
        // killed: nothing left to close
      });
      if (!keepProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
