import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierSummary } from '../../demo/admin/admin';
import type { DemoInstance } from '../../demo/instance';
import { startDemoForTest } from './demo';
import { badgeText, dueSoon, readTable, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 11, where a bulk archive starts: the démarche banner's « Sauvegarder ces N dossiers », the
 * « Archiver (ZIP) » menu beside DS's downloads (this tab, a month's processed dossiers, the whole
 * démarche) and the popup's « Sauvegarder les N dossiers non sauvegardés ». Each opens the archive
 * page on a job holding exactly the dossiers the demo instance says, computed from its own data.
 */

interface Job {
  id: number;
  selection: Record<string, unknown>;
  refs: { origin: string; demarche: number; dossier: number }[];
}

const sorted = (numbers: number[]) => [...numbers].sort((a, b) => a - b);
const parisMonth = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(
    new Date(iso),
  );
const TERMINE = new Set(['accepte', 'refuse', 'sans_suite']);

describe('where a bulk archive starts', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  let popup: Page;
  let demarche: number;

  /** Does `act`, then reads the job of the archive page the background opened (and closes that page). */
  async function opensArchive(act: () => Promise<void>): Promise<Job> {
    const opened = session.context.waitForEvent('page', {
      predicate: (page) => page.url().includes('/archive.html'),
      timeout: 30_000,
    });
    await act();
    const page = await opened.catch(async (error) => {
      // The page never opened: say what the page's status line says instead.
      const said = await ds.locator('[data-archiviste-export-status]').first().textContent();
      throw new Error(`no archive page; the page says « ${said} »`, { cause: error });
    });
    const id = Number(new URL(page.url()).searchParams.get('job'));
    const job = (await readTable<Job>(popup, 'archiveJobs')).find((row) => row.id === id);
    await page.close();
    expect(job, `job ${id}`).toBeDefined();
    return job!;
  }

  /**
   * What the toolbar badge counts, by the demo's own data: what DS deletes within the lead time, and
   * its corbeille's dossiers with a purge due (hidden at their expiry, or deleted by their usager;
   * what an instructeur trashed alone stays until the usager deletes it too). Nothing is saved yet.
   */
  const atRisk = (demarches?: number[]) => [
    ...dueSoon(demo, demarches),
    ...demo.admin
      .dossiers()
      .filter(
        (d) =>
          (!demarches || demarches.includes(d.demarche)) &&
          d.inCorbeille &&
          (d.hiddenByExpiredAt !== null || d.hiddenByUserAt !== null),
      ),
  ];

  /** What DS still has of the démarche (its lists and its corbeille), by the demo's own data. */
  const stillOnDs = (d: DossierSummary) => d.visible || d.inCorbeille;

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    // With a token, Archiviste knows every listed dossier's processing date (the months need it).
    ({ popup, ds } = await signInAndSync(session, demo, { sync: false }));
    const candidates = demo.demarches.filter((d) => d.expiresWhenTermine);
    demarche = candidates.sort((a, b) => atRisk([b.number]).length - atRisk([a.number]).length)[0]!.number;
    expect(atRisk([demarche]).length).toBeGreaterThan(1);
    // Dossiers processed either side of New Year's midnight in Paris (still 31 December in UTC for the first).
    for (const processedAt of ['2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00+01:00', '2026-01-14T15:00:00+01:00']) {
      demo.admin.addDossier({ demarche, state: 'accepte', processedAt });
    }
    const results = await syncNow(popup);
    expect(results).toMatchObject([{ mode: 'api', problem: null }]);
    // DS's API lists no corbeille: the instructeur's « corbeille » tabs show it, as they do to Archiviste.
    for (const { number } of demo.demarches) {
      await ds.goto(`${demo.url}/procedures/${number}/supprimes`);
      await ds.waitForSelector('[data-archiviste-banner]');
    }
    await until(
      () => badgeText(session),
      (text) => text === String(atRisk().length),
    );
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('the banner’s « Sauvegarder ces N dossiers » archives the démarche’s N dossiers DS deletes soon', async () => {
    const expected = sorted(atRisk([demarche]).map((d) => d.number));
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    const button = ds.locator('[data-archiviste-banner] button[data-archiviste-save]');
    await expect
      .poll(() => button.textContent(), { timeout: 15_000 })
      .toBe(`Sauvegarder ces ${expected.length} dossiers`);
    const job = await opensArchive(() => button.click());
    expect(job.selection).toEqual({ kind: 'at-risk', origin: demo.url, demarche });
    expect(sorted(job.refs.map((ref) => ref.dossier))).toEqual(expected);
    expect(job.refs.every((ref) => ref.origin === demo.url && ref.demarche === demarche)).toBe(true);
    await expect.poll(() => button.textContent()).toBe('L’archive s’est ouverte dans un nouvel onglet.');
  });

  it('« Archiver (ZIP) » › « Cet onglet » archives every dossier of the tab', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/traites`);
    const toggle = ds.locator('button[data-archiviste-export="archive"]');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const job = await opensArchive(() => ds.getByRole('button', { name: 'Cet onglet', exact: true }).click());
    expect(job.selection).toEqual({ kind: 'tab', origin: demo.url, demarche, statut: 'traites' });
    const listed = demo.admin.dossiers({ demarche, statut: 'traites' }).map((d) => d.number);
    expect(sorted(job.refs.map((ref) => ref.dossier))).toEqual(sorted(listed));
    // The menu closed on the choice, and says where the archive went.
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await expect
      .poll(() => ds.locator('[data-archiviste-slot="export"] [data-archiviste-export-status]').textContent())
      .toBe('L’archive s’est ouverte dans un nouvel onglet.');
  });

  it('« Les dossiers traités en <mois> » archives the démarche’s dossiers processed in that Paris month', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    const toggle = ds.locator('button[data-archiviste-export="archive"]');
    const items = ds.locator('button[data-archiviste-archive="month"]');
    await items.first().waitFor({ state: 'attached' });
    expect(await items.allTextContents()).toEqual([
      'Les dossiers traités en décembre 2025',
      'Les dossiers traités en janvier 2026',
    ]);
    // What DS lists (its API gives each one's processing date; its corbeille shows none).
    const processedIn = (month: string) =>
      demo.admin
        .dossiers({ demarche })
        .filter((d) => d.visible && TERMINE.has(d.state) && d.processedAt && parisMonth(d.processedAt) === month)
        .map((d) => d.number);
    for (const month of ['2025-12', '2026-01']) {
      await toggle.click();
      const job = await opensArchive(() => ds.locator(`button[data-archiviste-month="${month}"]`).click());
      expect(job.selection).toEqual({ kind: 'month', origin: demo.url, demarche, month });
      expect(sorted(job.refs.map((ref) => ref.dossier)), month).toEqual(sorted(processedIn(month)));
    }
    expect(processedIn('2026-01').length).toBeGreaterThanOrEqual(2);
  });

  it('« Toute la démarche » archives every dossier DS still has, its corbeille’s too', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/a-suivre`);
    await ds.locator('button[data-archiviste-export="archive"]').click();
    // Keyboard: Escape closes the menu; Enter on the button opens it again.
    await ds.keyboard.press('Escape');
    expect(await ds.locator('button[data-archiviste-export="archive"]').getAttribute('aria-expanded')).toBe('false');
    await ds.keyboard.press('Enter');
    const job = await opensArchive(() => ds.getByRole('button', { name: 'Toute la démarche', exact: true }).click());
    expect(job.selection).toEqual({ kind: 'demarche', origin: demo.url, demarche });
    const kept = demo.admin.dossiers({ demarche }).filter(stillOnDs);
    expect(sorted(job.refs.map((ref) => ref.dossier))).toEqual(sorted(kept.map((d) => d.number)));
  });

  it('the popup’s « Sauvegarder les N dossiers non sauvegardés » archives the toolbar badge’s N, across démarches', async () => {
    const expected = atRisk();
    expect(new Set(expected.map((d) => d.demarche)).size).toBeGreaterThan(1);
    expect(await badgeText(session)).toBe(String(expected.length));
    await popup.reload();
    const button = popup.getByRole('button', { name: `Sauvegarder les ${expected.length} dossiers non sauvegardés` });
    const job = await opensArchive(() => button.click());
    expect(job.selection).toEqual({ kind: 'at-risk' });
    expect(sorted(job.refs.map((ref) => ref.dossier))).toEqual(sorted(expected.map((d) => d.number)));
  });
});
