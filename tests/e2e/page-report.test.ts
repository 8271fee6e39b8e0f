import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureHtml, type PageName } from '../fixtures/pages';
import { type ExtensionSession, launchExtension } from './harness';
import { registerInstance } from './network-recorder';

const ORIGIN = 'http://127.0.0.1:4999';

/** Token-less mode end to end: a DS page read by the content script lands in the background's database. */
describe('DS pages reported to the background', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    // The test's own instance (its pages are the fixtures): the background, which learns it from
    // them, may read it too; the request recorder must count it as the test's.
    registerInstance(inject('networkDir'), { url: ORIGIN, filesUrl: ORIGIN, tokenHashes: [] });
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
  });

  async function visit(name: PageName, path: string): Promise<void> {
    const page = await session.newPage();
    await page.route(`${ORIGIN}/**`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: fixtureHtml(name) }),
    );
    await page.goto(`${ORIGIN}${path}`);
    await page.waitForSelector('html[data-archiviste="ready"]');
  }

  /** [number, démarche, state] of every dossier the background stored for the test origin. */
  async function storedDossiers(): Promise<[number, number, string | undefined][]> {
    const worker = await session.serviceWorker();
    return worker.evaluate(
      (origin) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('archiviste');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('dossiers').objectStore('dossiers').getAll();
            request.onerror = () => reject(request.error);
            request.onsuccess = () => {
              const rows = request.result as { origin: string; number: number; demarche: number; state?: string }[];
              resolve(
                rows
                  .filter((row) => row.origin === origin)
                  .map((row) => [row.number, row.demarche, row.state] as [number, number, string | undefined])
                  .sort((a, b) => a[0] - b[0]),
              );
              open.result.close();
            };
          };
        }),
      ORIGIN,
    );
  }

  it('stores the dossiers of a list page the user opens', async () => {
    await visit('dossierListExpirant', '/procedures/104532/expirant');
    await expect.poll(storedDossiers, { timeout: 15_000 }).toEqual([
      [2233012, 104532, 'en_construction'],
      [2239875, 104532, 'accepte'],
      [2241180, 104532, 'accepte'],
      [2244901, 104532, 'refuse'],
      [2276540, 104532, 'sans_suite'],
      [2345690, 104532, 'en_construction'],
    ]);
  });
});
