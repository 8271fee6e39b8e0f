import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { DAY_MS } from '../../demo/time';
import { alignExtensionClock, startDemoForTest } from './demo';
import { readTable, type StoredDossier, type StoredInstance, send, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 12 §4: the browser's storage full (the extension origin's quota cut to a few bytes through the
 * DevTools protocol, as a full disk leaves it) gives one French message with its fix, not a crash:
 * what was stored stays, the service worker answers, a saved file is kept but never counted
 * « sauvegardé » unrecorded, and once space is back the next sync goes through.
 */
const FULL = 'L’espace de stockage du navigateur est plein.';
const FULL_FIX =
  'Libérez de l’espace disque ou supprimez des instances inutilisées dans les options, puis réessayez. Ce qui était déjà enregistré est conservé.';

describe('browser storage full', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  let cdp: CDPSession;
  let stored: StoredDossier[];

  /**
   * Sets the extension origin's quota (none: back to the browser's), then waits until IndexedDB
   * obeys it: Chromium checks a write against the space it last counted, recounted every 30 s or so.
   */
  async function setQuota(quotaSize?: number): Promise<void> {
    const origin = `chrome-extension://${session.extensionId}`;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, ...(quotaSize === undefined ? {} : { quotaSize }) });
    const refused = quotaSize !== undefined;
    await until(
      () => probeWriteRefused(popup),
      (result) => result === refused,
      90_000,
    );
  }
  const dossiers = async () => (await readTable<StoredDossier>(popup, 'dossiers')).filter((d) => d.origin === demo.url);

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    ({ popup } = await signInAndSync(session, demo, { closeDs: true }));
    cdp = await session.context.newCDPSession(popup);
    stored = await dossiers();
    expect(stored.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('ends a sync that cannot write in « storage-full », explained, with everything stored kept', async () => {
    // A day later the sync rescans every démarche and writes what it read.
    demo.clock.advance(DAY_MS);
    await alignExtensionClock(session.context, demo);
    const before = await readTable<StoredInstance>(popup, 'instances');
    await setQuota(1);

    const [result] = await syncNow(popup);
    expect(result!.problem).toEqual(expect.objectContaining({ code: 'storage-full' }));
    expect(await send(popup, 'ping', {})).toEqual({
      ok: true,
      value: expect.objectContaining({ context: 'background' }),
    });
    expect(await dossiers()).toEqual(stored);
    // The instance's status is untouched: the full storage is the browser's, told once.
    expect(await readTable<StoredInstance>(popup, 'instances')).toEqual(before);
    // Any other write asked by a message is refused in the same words, and changes nothing.
    const demarches = await readTable(popup, 'demarches');
    expect(
      await send(popup, 'set-watched', { origin: demo.url, number: demo.demarches[0]!.number, watched: false }),
    ).toEqual({ ok: false, error: `${FULL} ${FULL_FIX}` });
    expect(await readTable(popup, 'demarches')).toEqual(demarches);

    const view = await session.openExtensionPage('popup.html');
    const alert = view.locator('[data-problem="storage-full"]');
    await alert.waitFor();
    expect(await alert.locator('.fr-alert__title').textContent()).toBe(FULL);
    expect(await alert.locator('p').nth(1).textContent()).toBe(FULL_FIX);
    await alert.getByRole('button', { name: 'Réessayer' }).waitFor();
    expect(await view.locator('[data-problem]').count()).toBe(1);
    await view.close();
  }, 150_000);

  it('keeps a saved ZIP the ledger could not record, says so, and does not count the dossier saved', async () => {
    const target = stored.find((d) => d.state === 'accepte' && !d.corbeilleSince && !d.deletedAt)!;
    // Saved from the dossier's page on DS, as the user does.
    const ds = await session.newPage();
    await ds.goto(`${demo.url}/procedures/${target.demarche}/tous/dossiers/${target.number}`);
    await ds.locator('[data-archiviste-export="zip"]').click();
    const status = ds.locator('[data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/enregistré|n’a pas pu|jeton/);
    const fileName = `dossier-${target.number}.zip`;
    expect(await status.textContent()).toBe(
      `Fichier enregistré : ${fileName}. Mais le registre des sauvegardes n’a pas pu le noter, ce dossier ne compte donc pas comme sauvegardé : ${FULL} ${FULL_FIX}`,
    );
    await ds.close();
    const path = join(session.downloadsDir, fileName);
    expect(
      await until(
        async () => existsSync(path),
        (found) => found,
      ),
    ).toBe(true);
    expect(await readTable(popup, 'ledger')).toEqual([]);
    expect((await dossiers()).find((d) => d.number === target.number)).toEqual(target);
  });

  it('goes through again once space is back, and the message goes', async () => {
    await setQuota();
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'api', problem: null })]);
    const [instance] = await readTable<StoredInstance>(popup, 'instances');
    expect(Date.parse(instance!.lastSyncAt!)).toBeGreaterThan(demo.clock.now().getTime() - 60_000);
    expect(instance!.problem).toBeNull();
    const view = await session.openExtensionPage('popup.html');
    await view.locator('[data-dossier]').first().waitFor();
    expect(await view.locator('[data-problem]').count()).toBe(0);
    await view.close();
  }, 150_000);
});

/** Whether IndexedDB refuses a small write in this extension page (a scratch database, deleted after). */
function probeWriteRefused(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('quota-probe', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('probe');
        open.onerror = () => (open.error?.name === 'QuotaExceededError' ? resolve(true) : reject(open.error));
        open.onsuccess = () => {
          const tx = open.result.transaction('probe', 'readwrite');
          tx.objectStore('probe').put(new Uint8Array(4096), 1);
          const done = (refused: boolean) => {
            open.result.close();
            indexedDB.deleteDatabase('quota-probe');
            resolve(refused);
          };
          tx.oncomplete = () => done(false);
          tx.onabort = () => (tx.error?.name === 'QuotaExceededError' ? done(true) : reject(tx.error));
        };
      }),
  );
}
