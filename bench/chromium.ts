import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { build } from 'wxt';
import { launchWithExtension } from '../tests/e2e/chromium';
import { quiet } from './bundle';

/** The benchmarks that run in headless Chromium: the demo build, and fresh profiles with it loaded. */

export const EXTENSION_OUT_DIR = '.output/bench-demo';

export async function buildDemoExtension(): Promise<string> {
  await build({ outDir: EXTENSION_OUT_DIR, mode: 'demo', logger: quiet });
  return resolve(EXTENSION_OUT_DIR, 'chrome-mv3-demo');
}

export interface BenchBrowser {
  context: BrowserContext;
  /** The profile folder: its processes are the browser's (see `browserMemoryMb`). */
  userDataDir: string;
  close: () => Promise<void>;
}

/** A fresh profile with the extension loaded (the e2e harness's launch, without vitest). */
export async function launch(extensionDir: string): Promise<BenchBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'archiviste-bench-'));
  const context = await launchWithExtension(extensionDir, userDataDir);
  return {
    context,
    userDataDir,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
