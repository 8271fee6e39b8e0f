import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureHtml } from '../fixtures/pages';
import { ARTIFACTS_DIR, type ExtensionSession, launchExtension } from './harness';

/** The three extension contexts, alive in a real Chromium. */
describe('extension in Chromium', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('runs the content script on a DS dossier list', async () => {
    const page = await session.newPage();
    // Serve the fixture at a DS-shaped URL on loopback (the demo build's extra host).
    await page.route('http://127.0.0.1:4999/**', (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: fixtureHtml('dossierList') }),
    );
    await page.goto('http://127.0.0.1:4999/procedures/104532/tous');
    await page.waitForSelector('html[data-archiviste="ready"]');
    expect(await page.locator('#table-dossiers tbody tr[data-row-key]').count()).toBe(8);
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
