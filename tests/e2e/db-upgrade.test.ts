import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixtureJson from '../fixtures/db/archiviste-v1.json';
import { type DatabaseFixture, restoreDatabase } from '../fixtures/db/db-fixture';
import { badgeText, readTable, type StoredInstance, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 12 §4: the database the first schema wrote (tests/fixtures/db/archiviste-v1.json), put in
 * Chromium's IndexedDB as it was, is upgraded by the background with nothing lost, and the popup and
 * the options show it. No DS instance: the fixture's instances are never synced here.
 */
const fixture = fixtureJson as DatabaseFixture;
const rowsOf = (store: string) => fixture.stores.find((s) => s.name === store)!.rows;

describe('database upgrade from the first schema, in Chromium', () => {
  let session: ExtensionSession;

  beforeAll(async () => {
    session = await launchExtension();
    const worker = await session.serviceWorker();
    // Read the rows on the day they were written.
    await worker.evaluate(
      (ms) => chrome.storage.local.set({ demoClockOffsetMs: ms }),
      Date.parse(fixture.madeAt) - Date.now(),
    );
    // The background opened today's database at start: deleting it makes its Dexie close (then
    // reopen on next use), and the first schema's database takes its place, as an update finds it.
    // Written at the first schema's version; the background may reopen (and upgrade) it right away.
    expect(await worker.evaluate(restoreDatabase, fixture)).toBe(10);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('is upgraded by the background, which counts its dossiers at once', async () => {
    const worker = await session.serviceWorker();
    // A change of the settings makes the background recount the toolbar badge from the database.
    await worker.evaluate(() =>
      chrome.storage.local.set({
        settings: {
          leadTimeDays: 30,
          thresholds: [30, 7, 1],
          syncIntervalHours: 6,
          csvSeparator: ';',
          language: 'auto',
        },
      }),
    );
    // 1003 (incomplete save), 1004 (changed since saved), 1005 (corbeille) and 31: at risk.
    expect(
      await until(
        () => badgeText(session),
        (text) => text === '4',
      ),
    ).toBe('4');
    expect(await worker.evaluate(() => indexedDB.databases())).toEqual([{ name: 'archiviste', version: 20 }]);

    for (const store of ['demarches', 'dossiers', 'syncState', 'notices', 'ledger', 'secrets']) {
      const rows = await readTable(worker, store);
      expect(rows, store).toHaveLength(rowsOf(store).length);
      expect(rows, store).toEqual(expect.arrayContaining(rowsOf(store)));
    }
    const instances = await readTable<StoredInstance & { tokenHint?: string }>(worker, 'instances');
    expect(instances).toEqual((rowsOf('instances') as object[]).map((row) => expect.objectContaining(row)));
    expect(instances.find((i) => i.mode === 'api')!.tokenHint).toBe('••••••••8c9d');
    expect(await readTable(worker, 'archiveJobs')).toEqual([]);
  });

  it('shows the dossiers in the popup, with what was saved and the old problem explained', async () => {
    const popup = await session.openExtensionPage('popup.html');
    await popup.locator('[data-dossier="1002"]').waitFor();
    const listed = await popup.locator('[data-dossier]').evaluateAll((rows) => rows.map((row) => row.dataset.dossier));
    expect(listed.map(Number).sort((a, b) => a - b)).toEqual([31, 32, 1001, 1002, 1003, 1004, 1005]);
    const row = (n: number) => popup.locator(`[data-dossier="${n}"]`).textContent();
    expect(await row(1002)).toContain('sauvegardé le 12/01/2026');
    expect(await row(1003)).toContain('non sauvegardé');
    expect(await row(1004)).toContain('modifié depuis la sauvegarde');
    // The token-less instance was signed out at its last sync.
    await popup.locator('[data-problem="logged-out"]').waitFor();
    await popup.close();
  });

  it('lists the ledger in the options: four saves, one incomplete, and the stored token', async () => {
    const options = await session.openExtensionPage('options.html');
    const summary = options.getByTestId('ledger-summary');
    expect(
      await until(
        () => summary.textContent(),
        (text) => !!text?.includes('4 sauvegarde'),
      ),
    ).toBe('4 sauvegarde(s) de 4 dossier(s), dont 1 incomplète(s).');
    expect(await options.locator('[data-origin="https://demarche.numerique.gouv.fr"]').textContent()).toContain(
      '••••••••8c9d',
    );
    await options.close();
  });
});
