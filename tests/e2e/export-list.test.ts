import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { demarchesKnown, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 10, lists: a whole tab (every page, not only the one shown) saved as a spreadsheet with
 * DS's columns plus Archiviste's four, and as a deletion schedule PDF; token-less.
 */
describe('a whole tab saved as a spreadsheet and a schedule', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  let demarche: number;

  async function save(kind: 'csv' | 'pdf', prefix: string): Promise<string> {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    const button = ds.locator(`[data-archiviste-export="${kind}"]`);
    await button.waitFor();
    await button.click();
    const status = ds.locator('[data-archiviste-slot="export"] [data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Enregistré|n’a pas pu/);
    expect(await status.textContent()).toMatch(/^Enregistré : /);
    const file = await until(
      async () =>
        readdirSync(session.downloadsDir).find((name) => name.startsWith(prefix) && !name.endsWith('.crdownload')),
      (name) => name !== undefined,
    );
    return join(session.downloadsDir, file!);
  }

  beforeAll(async () => {
    // Enough dossiers for the « au total » tab of a démarche to run over two pages of 100.
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest({ dossiers: 480 })]);
    await alignExtensionClock(session.context, demo);
    const popup = await session.openExtensionPage('popup.html');
    ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(popup, demo);
    expect((await syncNow(popup))[0]?.problem).toBeNull();
    await popup.close();
    demarche = demo.demarches.find((d) => d.expiresWhenTermine && d.showsExpirationColumn)!.number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('writes every dossier of the tab, across its pages, with the deletion columns', async () => {
    const expected = demo.admin.dossiers({ demarche, statut: 'tous' }).map((d) => d.number);
    expect(expected.length).toBeGreaterThan(100);
    const path = await save('csv', `dossiers_procedure-${demarche}_`);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
    expect(header?.slice(-4)).toEqual(['Date de suppression', 'Jours restants', 'Source', 'Sauvegardé le']);
    const numberColumn = header!.indexOf('N° dossier');
    expect(numberColumn).toBeGreaterThanOrEqual(0);
    expect(rows.map((row) => Number(row[numberColumn])).sort()).toEqual([...expected].sort());
    // Archiviste's own columns are filled from the same fates as the badges.
    const days = header!.indexOf('Jours restants');
    expect(rows.some((row) => /^\d+$/.test(row[days] ?? ''))).toBe(true);
    // No cell a spreadsheet would run as a formula.
    expect(rows.flat().some((cell) => /^[=+\-@]/.test(cell))).toBe(false);
  });

  it('writes the deletion schedule as a PDF', async () => {
    const path = await save('pdf', `echeancier_procedure-${demarche}_`);
    expect(existsSync(path)).toBe(true);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
    let text = '';
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const content = await (await pdf.getPage(n)).getTextContent();
      text += ` ${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}`;
    }
    expect(text).toContain('Échéancier des suppressions');
    for (const d of demo.admin.dossiers({ demarche, statut: 'tous' }).slice(0, 20))
      expect(text).toContain(String(d.number));
    expect(text).toContain(`Page ${pdf.numPages} / ${pdf.numPages}`);
  });

  it('saves one dossier from its row, with the row’s own « ZIP »', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    const row = ds.locator('#table-dossiers > tbody > tr[data-row-key]').first();
    const number = Number(await row.getAttribute('data-row-key'));
    await row.locator('[data-archiviste-slot="row-export"] button').waitFor();
    const button = row.getByRole('button', { name: `Sauvegarder le dossier n° ${number} (ZIP)` });
    await button.click();
    await expect
      .poll(() => row.locator('[data-archiviste-export-status]').textContent(), { timeout: 30_000 })
      .toMatch(new RegExp(`^Sauvegardé : dossier-${number}\\.zip`));
    expect(existsSync(join(session.downloadsDir, `dossier-${number}.zip`))).toBe(true);
    // One badge and one action per row, the countdown untouched.
    expect(await row.locator('[data-archiviste-countdown]').count()).toBe(1);
    expect(await row.locator('[data-archiviste-slot="row-export"]').count()).toBe(1);
  });
});
