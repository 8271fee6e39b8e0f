import { readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { DAY_MS } from '../../demo/time';
import { archiveJobs, clearOpfs, dossiersIn, opfsZips } from './archive';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { demarchesKnown, readTable, type StoredDossier, send, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { expectAliveAndKept, expectPopupClear, expectPopupShows, storedInstance } from './sync-checks';

/**
 * Issue 12 §2, the background's side: DS serves list pages whose markup Archiviste does not know.
 * The token-less sync (pages fetched by the service worker, read offscreen) stops with « Page DS
 * non reconnue » and its fix, every stored dossier exactly as it was; DS's markup back, the next
 * sync succeeds and the problem is gone. With a token, the API sync never minds the pages. The
 * exports that read DS's pages themselves (a tab's spreadsheet, a dossier's ZIP without a token),
 * clicked where their buttons are still drawn, stop the same way: their message under the button,
 * no file in the downloads, no ledger line; DS's markup back, the same click saves.
 */
describe('the token-less sync when DS changed its markup', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;

  /** Every stored dossier of the demo, whole (state, dates, corbeille), by number. */
  const dossiers = async () =>
    new Map(
      (await readTable<StoredDossier>(popup, 'dossiers'))
        .filter((d) => d.origin === demo.url)
        .map((d) => [d.number, d] as const),
    );
  const nextDay = async () => {
    demo.clock.advance(DAY_MS);
    await alignExtensionClock(session.context, demo);
  };

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    await alignExtensionClock(session.context, demo);
    const ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await ds.close();
    popup = await session.openExtensionPage('popup.html');
    await demarchesKnown(popup, demo);
    expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);
    expect((await dossiers()).size).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it.each([
    ['unknown-columns', 'columns not found: N° dossier, État du dossier'],
    ['no-table', 'dossier table not found'],
  ] as const)(
    '%s: the sync stops with « Page DS non reconnue », nothing stored changed; back, it succeeds',
    async (variant, reason) => {
      const before = await dossiers();
      const expiries = new Map([...before].map(([number, d]) => [number, d.expiresAt]));
      await nextDay();
      demo.markup.set(variant);

      const [result] = await syncNow(popup);
      expect(result).toMatchObject({ mode: 'session', problem: { code: 'page-unrecognized', detail: reason } });
      expect(await dossiers()).toEqual(before);
      await expectAliveAndKept(popup, demo, expiries);
      await expectPopupShows(
        session,
        'page-unrecognized',
        'Page DS non reconnue.',
        'DS a peut-être changé ses pages : Archiviste n’en lit plus les dossiers sans jeton. Mettez à jour l’extension ; avec un jeton d’API, la surveillance continue.',
        'Ouvrir les options',
      );

      demo.markup.set(null);
      expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'session', problem: null })]);
      expect((await storedInstance(popup, demo))?.problem).toBeNull();
      await expectAliveAndKept(popup, demo, expiries);
      await expectPopupClear(session);
    },
  );

  /** An export's words when a page it read is refused (export_failed with export_fix_page_unrecognized). */
  const REFUSED =
    'La sauvegarde n’a pas pu être faite : Page DS non reconnue. DS a peut-être changé ses pages : ' +
    'Archiviste ne les lit plus pour cette sauvegarde, et n’a rien enregistré. Mettez à jour l’extension, puis recommencez.';
  /** Every file in the browser's downloads folder, one still being written (`.crdownload`) included. */
  const downloads = () => readdirSync(session.downloadsDir);
  const ledger = () => readTable<{ dossier: number; fileName: string }>(popup, 'ledger');

  /** Opens a DS page, clicks one of Archiviste's buttons (still drawn: DS's download menu is there), answers the status line. */
  async function clickExport(url: string, kind: 'csv' | 'zip'): Promise<string> {
    const ds = await session.newPage();
    try {
      await ds.goto(url);
      const button = ds.locator(`[data-archiviste-slot="export"] [data-archiviste-export="${kind}"]`);
      await button.waitFor();
      await button.click();
      const status = ds.locator('[data-archiviste-slot="export"] [data-archiviste-export-status]');
      await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 12_000 }).not.toBe('');
      return (await status.textContent()) ?? '';
    } finally {
      await ds.close();
    }
  }

  it('unknown-columns: « Tableur (CSV) » says « Page DS non reconnue » under the button and writes no file; back, it writes the tab', async () => {
    const demarche = demo.demarches[0]!.number;
    const list = `${demo.url}/procedures/${demarche}/tous`;
    const before = { files: downloads(), ledger: await ledger() };
    demo.markup.set('unknown-columns');
    try {
      expect(await clickExport(list, 'csv')).toBe(REFUSED);
      expect(downloads()).toEqual(before.files);
      expect(await ledger()).toEqual(before.ledger);
    } finally {
      demo.markup.set(null);
    }

    const saved = await clickExport(list, 'csv');
    const name = /^Enregistré : (.+?) \((\d+) dossiers\)$/.exec(saved);
    expect(name?.[1], saved).toMatch(new RegExp(`^dossiers_procedure-${demarche}_.*\\.csv$`));
    expect(Number(name?.[2])).toBe(demo.admin.dossiers({ demarche, statut: 'tous' }).length);
    await until(
      async () => downloads().includes(name![1]!),
      (written) => written,
    );
  });

  it('renamed-classes: a token-less « Sauvegarder (ZIP) » says « Page DS non reconnue », no ZIP, no ledger line; back, it is saved', async () => {
    const { number, demarche } = demo.admin.dossiers({ statut: 'tous' }).find((d) => d.visible)!;
    const page = `${demo.url}/procedures/${demarche}/tous/dossiers/${number}`;
    const before = { files: downloads(), ledger: await ledger() };
    demo.markup.set('renamed-classes');
    try {
      expect(await clickExport(page, 'zip')).toBe(REFUSED);
      expect(downloads()).toEqual(before.files);
      expect(await ledger()).toEqual(before.ledger);
    } finally {
      demo.markup.set(null);
    }

    expect(await clickExport(page, 'zip')).toMatch(new RegExp(`^Sauvegardé : dossier-${number}\\.zip`));
    await until(
      async () => downloads().includes(`dossier-${number}.zip`),
      (written) => written,
    );
    expect((await ledger()).filter((row) => row.dossier === number)).toEqual([
      expect.objectContaining({ dossier: number, fileName: `dossier-${number}.zip` }),
    ]);
  });

  it('unknown-columns: « Archiver (ZIP) » › « Cet onglet » says « Page DS non reconnue », no archive made; back, it opens', async () => {
    const demarche = demo.demarches[0]!.number;
    const jobs = () => readTable<{ id: number; refs: { dossier: number }[] }>(popup, 'archiveJobs');
    const archivePages = () => session.context.pages().filter((page) => page.url().includes('/archive.html'));
    const before = { jobs: await jobs(), files: downloads(), ledger: await ledger() };
    const ds = await session.newPage();
    const chooseTab = async () => {
      await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
      await ds.locator('button[data-archiviste-export="archive"]').click();
      await ds.getByRole('button', { name: 'Cet onglet', exact: true }).click();
      const status = ds.locator('[data-archiviste-slot="export"] [data-archiviste-export-status]');
      await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 12_000 }).not.toBe('');
      return (await status.textContent()) ?? '';
    };
    try {
      demo.markup.set('unknown-columns');
      try {
        expect(await chooseTab()).toBe(REFUSED);
      } finally {
        demo.markup.set(null);
      }
      expect(await jobs()).toEqual(before.jobs);
      expect(archivePages()).toEqual([]);
      expect(downloads()).toEqual(before.files);
      expect(await ledger()).toEqual(before.ledger);

      expect(await chooseTab()).toBe('L’archive s’est ouverte dans un nouvel onglet.');
      const [job] = (await jobs()).slice(before.jobs.length);
      const listed = demo.admin.dossiers({ demarche, statut: 'tous' }).map((d) => d.number);
      expect(job?.refs.map((ref) => ref.dossier).sort()).toEqual(listed.sort());
      const opened = await until(
        async () => archivePages(),
        (pages) => pages.length === 1,
      );
      await opened[0]!.close();
    } finally {
      await ds.close();
    }
  });

  it('renamed-classes: a token-less bulk part stops with « Page DS non reconnue », no part written or recorded; back, « Reprendre » writes each dossier once', async () => {
    // A small tab, for a short archive: the parts are the dossiers' pages read without a token.
    const { demarche, statut, listed } = demo.demarches
      .flatMap(({ number }) =>
        (['traites', 'suivis', 'a-suivre'] as const).map((tab) => ({
          demarche: number,
          statut: tab,
          listed: demo.admin.dossiers({ demarche: number, statut: tab }).map((d) => d.number),
        })),
      )
      .filter((tab) => tab.listed.length >= 2)
      .sort((a, b) => a.listed.length - b.listed.length)[0]!;
    const { job, startArchive, openArchivePage } = archiveJobs(() => ({ session, demo, popup, demarche }));
    const id = await startArchive({ statut });
    const before = await ledger();

    demo.markup.set('renamed-classes');
    const page = await openArchivePage(id, 100);
    try {
      await clearOpfs(page);
      await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 12_000 });
      expect(await alert.textContent()).toBe(
        `L’archive s’est arrêtée : ${REFUSED.replace('La sauvegarde n’a pas pu être faite : ', '')} ` +
          'Les parties déjà écrites sont conservées ; « Reprendre » écrit le reste.',
      );
      const stopped = await job(id);
      expect(stopped.parts).toEqual([]);
      expect((await opfsZips(page)).size).toBe(0);
      expect(await ledger()).toEqual(before);

      demo.markup.set(null);
      await page.getByRole('button', { name: `Reprendre (${listed.length} dossiers restants)` }).click();
      await expect.poll(async () => (await job(id)).state, { timeout: 12_000 }).toBe('done');
      const done = await job(id);
      const zips = await opfsZips(page);
      expect([...zips.keys()].sort()).toEqual(done.parts.map((p) => p.name).sort());
      const seen = done.parts.flatMap((part) => [...dossiersIn(zips.get(part.name)!), ...part.failed]);
      expect(seen.sort((a, b) => a - b)).toEqual([...listed].sort((a, b) => a - b));
      expect(done.parts.flatMap((part) => part.failed)).toEqual([]);
      // Each dossier of the tab recorded once, in the part that holds it.
      const recorded = (await ledger()).slice(before.length);
      expect(recorded.map((row) => row.dossier).sort((a, b) => a - b)).toEqual([...listed].sort((a, b) => a - b));
      expect(recorded.every((row) => done.parts.some((part) => part.name === row.fileName))).toBe(true);
    } finally {
      demo.markup.set(null);
      await page.close();
    }
  });

  it('with a token on the same DS, the API sync goes on whatever the pages look like', async () => {
    // Every dossier kept; their dates are the API's now (DS's word over what its pages showed).
    const before = new Map([...(await dossiers()).keys()].map((number) => [number, null]));
    // The saves of the export tests above stay in the ledger, no more and no fewer.
    const saves = (await ledger()).length;
    await nextDay();
    demo.markup.set('unknown-columns');
    expect((await send(popup, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    try {
      expect(await syncNow(popup)).toEqual([expect.objectContaining({ mode: 'api', problem: null })]);
      expect((await storedInstance(popup, demo))?.problem).toBeNull();
      await expectAliveAndKept(popup, demo, before, saves);
      await expectPopupClear(session);
    } finally {
      demo.markup.set(null);
    }
  });
});
