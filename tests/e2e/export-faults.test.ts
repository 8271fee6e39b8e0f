import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { apiFileUrls, archiveJobs, clearOpfs, csv, dossiersIn, opfsZips } from './archive';
import { apiFiles, logIn, startDemoForTest } from './demo';
import { readTable, send, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 12 §1, the export half: every fault DS, the network or the browser can throw at an export,
 * against the demo instance, for a dossier's ZIP (one click on DS's page) and for a bulk archive
 * (the export page). Each ends with one French message and its fix (asserted word for word), nothing
 * already saved lost, nothing counted « sauvegardé » that was not, and the next run picking up.
 */

interface LedgerRow {
  dossier: number;
  fileName: string;
  missing: unknown[];
}

/** DS's rate limit counts per minute of the real clock: waits until its second is within [from, to]. */
async function atSecond(from: number, to: number): Promise<number> {
  for (;;) {
    const second = new Date().getSeconds();
    if (second >= from && second <= to) return second;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('faults during an export', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  let ds: Page;
  let demarche: number;
  /** Dossiers with at least two attachments, never saved yet: each test takes its own. */
  let fresh: number[];

  const { job, startArchive, openArchivePage } = archiveJobs(() => ({ session, demo, popup, demarche }));

  const ledgerOf = async (number: number) =>
    (await readTable<LedgerRow>(popup, 'ledger')).filter((row) => row.dossier === number);
  const savedAt = async (number: number) =>
    (await readTable<{ number: number; archivedAt?: string | null }>(popup, 'dossiers')).find(
      (d) => d.number === number,
    )?.archivedAt ?? null;

  /** Opens the dossier's page in DS, runs `before` (a fault), clicks « Sauvegarder (ZIP) », answers the status line. */
  async function clickSave(number: number, before?: () => Promise<void> | void, timeout = 60_000): Promise<string> {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${number}`);
    const button = ds.locator('[data-archiviste-export="zip"]');
    await button.waitFor();
    await before?.();
    await button.click();
    const status = ds.locator('[data-archiviste-export-status]');
    await expect.poll(async () => (await status.textContent()) ?? '', { timeout }).not.toBe('');
    return (await status.textContent()) ?? '';
  }

  /** The newest ZIP of a dossier in the downloads (the browser adds « (n) » beside an earlier one). */
  function latestZipOf(number: number): Record<string, Uint8Array> {
    const rank = (name: string) => Number(/\((\d+)\)\.zip$/.exec(name)?.[1] ?? 0);
    const own = new RegExp(`^dossier-${number}( \\(\\d+\\))?\\.zip$`);
    const latest = readdirSync(session.downloadsDir)
      .filter((name) => own.test(name))
      .sort((a, b) => rank(a) - rank(b))
      .at(-1)!;
    return unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, latest))));
  }

  /** A dossier's first attachment, as a fault's `url`: its path and the `?` after it (no other file's path starts so). */
  const firstFile = async (number: number) => `${new URL((await apiFileUrls(demo, number))[0]!).pathname}?`;

  /** Uses up `count` of this minute's API calls for the demo's token, which is the extension's. */
  async function useUpRateLimit(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await fetch(`${demo.url}/api/v2/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    }
  }

  beforeAll(async () => {
    [session, demo] = await Promise.all([
      launchExtension(),
      startDemoForTest({ demarches: 1, dossiers: 60, attachmentKb: 16 }),
    ]);
    ({ popup, ds } = await signInAndSync(session, demo));
    demarche = demo.demarches[0]!.number;
    const visible = demo.admin.dossiers().filter((d) => d.visible && !d.inCorbeille);
    const counted = await Promise.all(
      visible.map(async (d) => ({ number: d.number, files: (await apiFiles(demo, d.number))?.length ?? 0 })),
    );
    fresh = counted.filter((d) => d.files >= 2).map((d) => d.number);
    expect(fresh.length).toBeGreaterThanOrEqual(10);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });
  beforeEach(() => {
    demo.faults.clear();
    demo.resetRateLimit();
  });

  describe('a dossier’s ZIP, one click on DS’s page', () => {
    it('429 for longer than a worker may wait: one message with its fix, nothing saved; the next click saves it', async () => {
      const number = fresh.pop()!;
      // No call allowed this minute: DS says to come back when the minute ends.
      demo.faults.set({ rateLimit: 0 });
      const text = await clickSave(number);
      expect(text).toBe(
        'La sauvegarde n’a pas pu être faite : DS limite le nombre d’appels pour le moment. Attendez une minute, puis recommencez.',
      );
      expect(await ledgerOf(number)).toEqual([]);
      expect(await savedAt(number)).toBeNull();
      demo.faults.clear();
      demo.resetRateLimit();
      expect(await clickSave(number)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
      expect(await savedAt(number)).toMatch(/^\d{4}-/);
    }, 90_000);

    it('429 with a short Retry-After: waits as DS says, then saves it whole', async () => {
      const number = fresh.pop()!;
      // Late in the minute DS's window ends within 20 s: the client waits for it rather than failing.
      const second = await atSecond(42, 50);
      demo.faults.set({ rateLimit: 1 });
      await useUpRateLimit(1);
      const started = Date.now();
      expect(await clickSave(number)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
      expect(Date.now() - started).toBeGreaterThanOrEqual((60 - second - 2) * 1000);
      expect((await ledgerOf(number)).map((row) => row.missing)).toEqual([[]]);
    }, 150_000);

    it('the token expired: one message with its fix, nothing saved; a new token and the next click save it', async () => {
      const number = fresh.pop()!;
      demo.faults.set({ tokenExpired: true });
      expect(await clickSave(number)).toBe(
        'La sauvegarde n’a pas pu être faite : Votre jeton d’API a expiré. Créez-en un nouveau dans votre profil DS (/profil), puis collez-le dans les options.',
      );
      expect(await ledgerOf(number)).toEqual([]);
      expect(await savedAt(number)).toBeNull();
      demo.faults.clear();
      expect(await clickSave(number)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
    });

    it('403, a network the token does not allow: the range to add, nothing saved', async () => {
      const number = fresh.pop()!;
      demo.faults.set({ forbiddenNetwork: true });
      const text = await clickSave(number);
      const range = /la plage (\S+) aux/.exec(text)?.[1];
      expect(range).toMatch(/^[\d.:a-f]+\/\d+$/);
      expect(text).toBe(
        `La sauvegarde n’a pas pu être faite : DS refuse les appels depuis cette adresse réseau. Ajoutez la plage ${range} aux réseaux autorisés de votre jeton (profil DS).`,
      );
      expect(await ledgerOf(number)).toEqual([]);
      demo.faults.clear();
      expect(await clickSave(number)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
    });

    it('a 500 on a file is tried again; one that keeps failing is « manquant » with its reason, not counted saved', async () => {
      const once = fresh.pop()!;
      demo.faults.set({ serverError: { target: 'files', count: 1, url: await firstFile(once) } });
      expect(await clickSave(once)).toBe(`Sauvegardé et vérifié : dossier-${once}.zip`);

      const number = fresh.pop()!;
      const url = await firstFile(number);
      demo.faults.set({ serverError: { target: 'files', url } });
      expect(await clickSave(number)).toBe(
        `Sauvegardé, incomplet (1 fichier(s) manquant(s)) : voir inventaire.csv dans dossier-${number}.zip`,
      );
      const missing = csv(latestZipOf(number)[`dossier-${number}/inventaire.csv`]!).filter(
        (row) => row.Statut === 'manquant',
      );
      expect(missing.map((row) => row.Raison)).toEqual(['erreur HTTP 500']);
      expect((await ledgerOf(number)).map((row) => row.missing.length)).toEqual([1]);
      expect(await savedAt(number)).toBeNull();
      // DS's storage back: the next click saves it whole, the incomplete ZIP and its ledger line stay.
      demo.faults.clear();
      expect(await clickSave(number)).toMatch(new RegExp(`^Sauvegardé et vérifié : dossier-${number} \\(1\\)\\.zip$`));
      expect((await ledgerOf(number)).map((row) => row.missing.length)).toEqual([1, 0]);
      expect(existsSync(join(session.downloadsDir, `dossier-${number}.zip`))).toBe(true);
      expect(await savedAt(number)).toMatch(/^\d{4}-/);
    });

    it('a file with no byte for 30 s is asked again and the ZIP is whole', async () => {
      const number = fresh.pop()!;
      // The demo holds that file's first answer 31 s, past the 30 s Archiviste waits for a byte.
      demo.faults.set({ slow: { target: 'files', count: 1, url: await firstFile(number) } });
      const started = Date.now();
      expect(await clickSave(number, undefined, 90_000)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
      const rows = csv(latestZipOf(number)[`dossier-${number}/inventaire.csv`]!);
      expect(rows.filter((row) => row.Statut === 'manquant')).toEqual([]);
    }, 120_000);

    it('offline mid-export: « DS est injoignable », nothing saved; back online, the next click saves it', async () => {
      const number = fresh.pop()!;
      const offscreen = await offscreenDocument(session, popup);
      try {
        // DS's answer held 3 s: the export is under way when the network drops.
        demo.faults.set({ slow: { target: 'graphql', count: 1, delayMs: 3_000 } });
        const text = await clickSave(number, () => {
          setTimeout(() => void offscreen.setOffline(true), 1_000);
        });
        expect(text).toBe(
          'La sauvegarde n’a pas pu être faite : DS est injoignable. Vérifiez votre connexion, puis réessayez.',
        );
        expect(await ledgerOf(number)).toEqual([]);
        expect(await savedAt(number)).toBeNull();
        await offscreen.setOffline(false);
        expect(await clickSave(number)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
      } finally {
        await offscreen.close();
      }
    });

    it('without a token, signed out of DS before or during the export: « Se connecter » in the message, nothing saved; signed in, it saves', async () => {
      const number = fresh.pop()!;
      const signedOut =
        'La sauvegarde n’a pas pu être faite : Vous n’êtes pas connecté à DS. Connectez-vous à DS (« Se connecter »), puis recommencez.';
      expect((await send(popup, 'forget-token', { origin: demo.url })).ok).toBe(true);
      try {
        // The session cookie gone once DS's page is shown (signed out in another tab, or expired).
        expect(await clickSave(number, () => session.context.clearCookies())).toBe(signedOut);
        await logIn(ds, demo);
        // DS ends the session mid-export: its ZIP of the dossier came, its next page does not.
        expect(await clickSave(number, () => demo.faults.set({ signedOut: { afterRequests: 0 } }))).toBe(signedOut);
        expect(await ledgerOf(number)).toEqual([]);
        expect(await savedAt(number)).toBeNull();
      } finally {
        await logIn(ds, demo);
      }
      try {
        expect(await clickSave(number)).toMatch(new RegExp(`^Sauvegardé : dossier-${number}\\.zip \\(sans jeton`));
        expect(await ledgerOf(number)).toHaveLength(1);
      } finally {
        expect((await send(popup, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
      }
    });

    it('the save cancelled by the user: « Enregistrement annulé », nothing recorded; the next click saves it', async () => {
      const number = fresh.pop()!;
      const worker = await session.serviceWorker();
      // The browser's own cancel while the file is being named, as when its save dialog is closed.
      await worker.evaluate(() => {
        const cancel = (item: chrome.downloads.DownloadItem) => void chrome.downloads.cancel(item.id);
        (globalThis as { cancelDownloads?: typeof cancel }).cancelDownloads = cancel;
        chrome.downloads.onDeterminingFilename.addListener(cancel);
      });
      try {
        expect(await clickSave(number)).toBe(
          'Enregistrement annulé : le fichier n’a pas été enregistré et rien n’est compté comme sauvegardé. Cliquez de nouveau pour l’enregistrer.',
        );
      } finally {
        await worker.evaluate(() => {
          const { cancelDownloads } = globalThis as { cancelDownloads?: (item: chrome.downloads.DownloadItem) => void };
          if (cancelDownloads) chrome.downloads.onDeterminingFilename.removeListener(cancelDownloads);
        });
      }
      expect(await ledgerOf(number)).toEqual([]);
      expect(await savedAt(number)).toBeNull();
      expect(existsSync(join(session.downloadsDir, `dossier-${number}.zip`))).toBe(false);
      expect(await clickSave(number)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
      expect(existsSync(join(session.downloadsDir, `dossier-${number}.zip`))).toBe(true);
    });
  });

  describe('a bulk archive, from the export page', () => {
    /** Export pages opened by a test: closed after it, so none still writes when the next one starts. */
    const opened: Page[] = [];
    afterEach(async () => {
      for (const page of opened.splice(0)) await page.close({ runBeforeUnload: false });
    });

    /** Waits until the run stopped on its own (an error shown) and answers the message. */
    async function stoppedWith(page: Page): Promise<string> {
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 90_000 });
      return (await alert.textContent()) ?? '';
    }

    /** Every dossier of the job exactly once across its parts, each part's file there under its name. */
    async function expectWholeOnce(page: Page, id: number): Promise<void> {
      const done = await job(id);
      expect(done.state).toBe('done');
      const zips = await opfsZips(page);
      expect([...zips.keys()].sort()).toEqual(done.parts.map((p) => p.name).sort());
      const seen = done.parts.flatMap((part) => [...dossiersIn(zips.get(part.name)!), ...part.failed]);
      expect(seen.sort((a, b) => a - b)).toEqual(done.refs.map((r) => r.dossier).sort((a, b) => a - b));
      expect(new Set(seen).size).toBe(seen.length);
    }

    /** Starts an archive in parts of `partSize`, once `written` parts are recorded runs `fault` (page paused meanwhile). */
    async function runUntilParts(partSize: number, written: number, fault: (page: Page) => Promise<void> | void) {
      const id = await startArchive();
      const page = await openArchivePage(id, partSize);
      opened.push(page);
      await clearOpfs(page);
      await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
      await until(
        async () => (await job(id)).parts.length,
        (parts) => parts >= written,
        60_000,
      );
      await page.getByRole('button', { name: 'Pause' }).click();
      await fault(page);
      const before = await job(id);
      await page.getByRole('button', { name: 'Continuer' }).click();
      return { id, page, before };
    }

    /** The parts recorded before the fault are still recorded, and their files still there. */
    async function expectKept(page: Page, id: number, before: { parts: { name: string }[] }) {
      const now = await job(id);
      expect(now.parts.slice(0, before.parts.length)).toEqual(before.parts);
      const zips = await opfsZips(page);
      for (const part of before.parts) expect(zips.has(part.name), part.name).toBe(true);
      // Nothing counted saved beyond what the recorded parts hold.
      const ledgerNames = new Set((await readTable<LedgerRow>(popup, 'ledger')).map((row) => row.fileName));
      for (const name of zips.keys()) expect(ledgerNames.has(name), name).toBe(now.parts.some((p) => p.name === name));
      return now;
    }

    it('the disk full: « Disque plein », the parts written kept, the failing one not recorded; « Reprendre » writes the rest', async () => {
      const origin = `chrome-extension://${session.extensionId}`;
      let cdp: CDPSession | null = null;
      const { id, page, before } = await runUntilParts(10, 1, async (paused) => {
        cdp = await session.context.newCDPSession(paused);
        // No room left for the extension's files: the next part cannot be written.
        await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
      });
      try {
        expect(await stoppedWith(page)).toBe(
          'Disque plein : la partie en cours n’a pas pu être écrite. Les parties déjà écrites sont conservées : libérez de la place, puis « Reprendre ».',
        );
      } finally {
        await cdp!.send('Storage.overrideQuotaForOrigin', { origin });
      }
      const now = await expectKept(page, id, before);
      const left = now.refs.length - now.parts.reduce((sum, p) => sum + p.dossiers.length, 0);
      expect(left).toBeGreaterThan(0);
      await page.getByRole('button', { name: `Reprendre (${left} dossiers restants)` }).click();
      await expect.poll(async () => (await job(id)).state, { timeout: 120_000 }).toBe('done');
      await expectWholeOnce(page, id);
    }, 180_000);

    it('the folder dialog closed: a message, nothing started, the archive as it was', async () => {
      const id = await startArchive();
      const page = await session.newPage();
      // Headless Chromium has no folder dialog: the page's picker rejects as Chromium's does when the
      // user closes it (an AbortError). The only stand-in of this file: the dialog itself.
      await page.addInitScript(() => {
        (window as { showDirectoryPicker?: unknown }).showDirectoryPicker = () =>
          Promise.reject(new DOMException('The user aborted a request.', 'AbortError'));
      });
      await page.goto(`chrome-extension://${session.extensionId}/archive.html?job=${id}`);
      const before = await job(id);
      await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe(
          'Aucun dossier choisi : l’archive n’a pas commencé. Cliquez de nouveau et choisissez le dossier où l’écrire.',
        );
      expect(await job(id)).toEqual(before);
      // Back at the start: the same button, ready for another try.
      await expect(page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).isEnabled()).resolves.toBe(
        true,
      );
      await page.close();
    });

    it('429 on the API batches: waits as DS says (up to its whole minute: a page is no worker), then completes', async () => {
      // Not in the minute's last seconds: the archive's first batch must meet the limit.
      const second = await atSecond(0, 55);
      // This minute's calls used up: the archive's first batch gets 429 until the minute ends.
      demo.faults.set({ rateLimit: 30 });
      await useUpRateLimit(30);
      const id = await startArchive();
      const page = await openArchivePage(id, 100);
      opened.push(page);
      await clearOpfs(page);
      const started = Date.now();
      await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
      await expect.poll(async () => (await job(id)).state, { timeout: 120_000 }).toBe('done');
      expect(Date.now() - started).toBeGreaterThanOrEqual((60 - second - 2) * 1000);
      expect(await page.getByRole('alert').count()).toBe(0);
      await expectWholeOnce(page, id);
    }, 150_000);

    it('the token expired mid-archive: one message, the parts written kept; « Reprendre » with a new token finishes', async () => {
      const { id, page, before } = await runUntilParts(10, 1, () => demo.faults.set({ tokenExpired: true }));
      expect(await stoppedWith(page)).toBe(
        'L’archive s’est arrêtée : Votre jeton d’API a expiré. Créez-en un nouveau dans votre profil DS (/profil), puis collez-le dans les options. Les parties déjà écrites sont conservées ; « Reprendre » écrit le reste.',
      );
      const now = await expectKept(page, id, before);
      // No dossier written off as « non obtenu » for a token's fault.
      expect(now.parts.flatMap((p) => p.failed).length).toBe(before.parts.flatMap((p) => p.failed).length);
      demo.faults.clear();
      const left = now.refs.length - now.parts.reduce((sum, p) => sum + p.dossiers.length, 0);
      await page.getByRole('button', { name: `Reprendre (${left} dossiers restants)` }).click();
      await expect.poll(async () => (await job(id)).state, { timeout: 120_000 }).toBe('done');
      await expectWholeOnce(page, id);
    }, 180_000);

    it('offline mid-archive: « DS est injoignable », the parts written kept; back online, « Reprendre » finishes', async () => {
      let cdp: CDPSession | null = null;
      const { id, page, before } = await runUntilParts(10, 1, async (paused) => {
        cdp = await session.context.newCDPSession(paused);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', {
          offline: true,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: -1,
        });
      });
      expect(await stoppedWith(page)).toBe(
        'L’archive s’est arrêtée : DS est injoignable. Vérifiez votre connexion, puis réessayez. Les parties déjà écrites sont conservées ; « Reprendre » écrit le reste.',
      );
      const now = await expectKept(page, id, before);
      expect(now.parts.flatMap((p) => p.failed).length).toBe(before.parts.flatMap((p) => p.failed).length);
      await cdp!.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      const left = now.refs.length - now.parts.reduce((sum, p) => sum + p.dossiers.length, 0);
      await page.getByRole('button', { name: `Reprendre (${left} dossiers restants)` }).click();
      await expect.poll(async () => (await job(id)).state, { timeout: 120_000 }).toBe('done');
      await expectWholeOnce(page, id);
    }, 180_000);
  });
});

/**
 * The offscreen document, where Chrome makes a dossier's ZIP: Playwright does not list it, so the
 * DevTools protocol reaches it through a page's session (Target.attachToTarget, messages relayed).
 */
async function offscreenDocument(session: ExtensionSession, page: Page) {
  const cdp = await session.context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((info) => info.url.endsWith('/offscreen.html'));
  if (!target) throw new Error('No offscreen document');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 0;
  const pending = new Map<number, (message: { error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; error?: { message: string } };
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  const call = (method: string, params: object) =>
    new Promise<void>((resolve, reject) => {
      const id = ++next;
      pending.set(id, (message) => (message.error ? reject(new Error(message.error.message)) : resolve()));
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  await call('Network.enable', {});
  return {
    setOffline: (offline: boolean) =>
      call('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 }),
    close: () => cdp.detach(),
  };
}
