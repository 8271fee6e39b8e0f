import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { logIn, startDemoForTest } from './demo';
import { ARTIFACTS_DIR, type ExtensionSession, launchExtension } from './harness';

/** The three extension contexts, alive in a real Chromium. */
describe('extension in Chromium', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('runs the content script on a dossier list of the local DS instance, once signed in', async () => {
    const page = await session.newPage();
    await logIn(page, demo);
    const demarche = demo.demarches[0]!.number;
    await page.goto(`${demo.url}/procedures/${demarche}/tous`);
    await page.waitForSelector('html[data-archiviste="ready"]');
    const listed = demo.admin.dossiers({ demarche, statut: 'tous' }).length;
    expect(await page.locator('#table-dossiers tbody tr[data-row-key]').count()).toBe(Math.min(listed, 100));
  });

  it('has a service worker that answers messages', async () => {
    const sw = await session.serviceWorker();
    expect(await sw.evaluate(() => chrome.runtime.getManifest().name)).toBe('Archiviste');
    const popup = await session.openExtensionPage('popup.html');
    const reply = await popup.evaluate(() => chrome.runtime.sendMessage({ archiviste: 'ping', payload: {} }));
    expect(reply).toEqual({ ok: true, value: { version: '0.1.0', context: 'background' } });
  });

  it('renders the popup', async () => {
    const popup = await session.openExtensionPage('popup.html');
    await popup.setViewportSize({ width: 400, height: 300 });
    await popup.getByRole('heading', { name: 'Archiviste', level: 1 }).waitFor();
    await popup.getByRole('button', { name: 'Options', exact: true }).waitFor();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await popup.screenshot({ path: join(ARTIFACTS_DIR, 'popup-foundation.png') });
  });
});
