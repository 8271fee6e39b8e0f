import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { apiFileUrls, archiveJobs, clearOpfs, csv, dossiersIn, opfsZips } from './archive';
import { apiFiles, startDemoForTest } from './demo';
import { readTable, send, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 11: a whole démarche archived from the export page, in parts streamed into files through the
 * File System Access API (the page's private file system stands in for the folder dialog, which a
 * headless browser cannot answer; the writing is the same), read back and checked file by file
 * against DS's API; the tab closed half-way then resumed; faults in DS's file storage.
 */

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

describe('bulk archive of a démarche from the export page', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  let demarche: number;

  const { job, startArchive, openArchivePage } = archiveJobs(() => ({ session, demo, popup, demarche }));

  beforeAll(async () => {
    [session, demo] = await Promise.all([
      launchExtension(),
      startDemoForTest({ demarches: 1, dossiers: 60, attachmentKb: 16 }),
    ]);
    ({ popup } = await signInAndSync(session, demo));
    demarche = demo.demarches[0]!.number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });
  beforeEach(() => {
    demo.faults.clear();
  });

  it('writes every dossier of the démarche once, each file with DS’s MD5 and size, and counts them saved', async () => {
    const id = await startArchive();
    const page = await openArchivePage(id, 25);
    await clearOpfs(page);
    await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
    await expect.poll(async () => (await job(id)).state, { timeout: 120_000 }).toBe('done');
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/dossiers sauvegardés/);

    const done = await job(id);
    const zips = await opfsZips(page);
    expect([...zips.keys()].sort()).toEqual(done.parts.map((p) => p.name).sort());
    expect(done.parts.length).toBeGreaterThanOrEqual(2);
    const seen: number[] = [];
    for (const part of done.parts) {
      const entries = zips.get(part.name)!;
      const inPart = dossiersIn(entries);
      seen.push(...inPart);
      // Every file of the part is in its root inventory with the MD5 of its bytes.
      const inventory = csv(entries['inventaire.csv']!);
      for (const row of inventory.filter((r) => r.Statut !== 'manquant')) {
        // A base64 MD5 starting with + or = is neutralised for spreadsheets with a leading apostrophe.
        expect(md5(entries[row.Chemin!]!), row.Chemin).toBe(row['MD5 (base64)']!.replace(/^'/, ''));
      }
      for (const number of inPart) {
        const expected = await apiFiles(demo, number);
        expect(expected, `dossier ${number} through the API`).not.toBeNull();
        const files = Object.entries(entries).filter(([name]) => name.startsWith(`export/dossier-${number}/`));
        const sums = files.map(([, bytes]) => `${md5(bytes)}|${bytes.length}`);
        for (const file of expected!) expect(sums, `dossier ${number}`).toContain(`${file.checksum}|${file.size}`);
        expect(
          files.some(([name]) => /\/export-\d+-.*\.pdf$/.test(name)),
          `dossier ${number}'s PDF`,
        ).toBe(true);
        expect(entries[`export/dossier-${number}/dossier.json`]).toBeDefined();
        expect(entries[`export/dossier-${number}/inventaire.csv`]).toBeDefined();
      }
    }
    // Every dossier of the job exactly once, across the parts; those DS's API no longer gives (in the
    // corbeille after their expiry) are named in their part's inventory, never left out silently.
    const failed = done.parts.flatMap((p) => p.failed);
    for (const part of done.parts) {
      const rows = csv(zips.get(part.name)!['inventaire.csv']!);
      for (const number of part.failed) {
        expect(rows.find((r) => r.Chemin === `export/dossier-${number}/`)?.Raison).toMatch(/^dossier non obtenu/);
      }
    }
    expect([...seen, ...failed].sort((a, b) => a - b)).toEqual(done.refs.map((r) => r.dossier).sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(failed.length);

    // The ledger counts them saved, as the badges and the popup do.
    const rows = await readTable<{ number: number; archivedAt?: string }>(popup, 'dossiers');
    const archived = new Set(rows.filter((r) => r.archivedAt).map((r) => r.number));
    for (const ref of done.refs.filter((r) => !failed.includes(r.dossier))) {
      expect(archived.has(ref.dossier), `dossier ${ref.dossier} saved`).toBe(true);
    }
  });

  it('resumes after the tab was closed half-way: every dossier exactly once across the parts', async () => {
    const id = await startArchive();
    let page = await openArchivePage(id, 10);
    await clearOpfs(page);
    await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
    await until(
      async () => (await job(id)).parts.length,
      (parts) => parts >= 2,
      60_000,
    );
    await page.close({ runBeforeUnload: false });
    const half = await job(id);
    expect(half.state).not.toBe('done');

    // The popup's « Archives » lists it, with what is written so far.
    const list = await session.openExtensionPage('archive.html');
    const written = half.parts.reduce((sum, p) => sum + p.dossiers.length, 0);
    await list.getByRole('link', { name: /.+/ }).first().waitFor();
    expect(await list.locator('.archive__jobs').textContent()).toContain(
      `${written} / ${half.refs.length} dossiers écrits`,
    );
    await list.close();

    page = await openArchivePage(id, 10);
    const left = half.refs.length - half.parts.reduce((sum, p) => sum + p.dossiers.length, 0);
    await page.getByRole('button', { name: `Reprendre (${left} dossiers restants)` }).click();
    await expect.poll(async () => (await job(id)).state, { timeout: 120_000 }).toBe('done');

    const done = await job(id);
    const zips = await opfsZips(page);
    const seen = done.parts.flatMap((part) => [...dossiersIn(zips.get(part.name)!), ...part.failed]);
    expect(seen.sort((a, b) => a - b)).toEqual(done.refs.map((r) => r.dossier).sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    // The part cut short never reached the folder under a name.
    expect([...zips.keys()].sort()).toEqual(done.parts.map((p) => p.name).sort());
  });

  it('gets fresh file URLs when they expire mid-archive, retries a 500, and reports a cut file', async () => {
    const id = await startArchive();
    const refs = (await job(id)).refs;
    // One file of a dossier past the pause below is cut every time it is asked for: it exhausts its
    // retries (Chromium itself asks again, unseen by the page, after some cuts: a fixed number of cuts
    // would not reach the page).
    const cut = refs[Math.floor(refs.length / 2)]!.dossier;
    // The path and the `?` after it: no other file's path starts with it.
    const cutUrl = `${new URL((await apiFileUrls(demo, cut))[0]!).pathname}?`;
    demo.faults.set({
      serverError: { target: 'files', count: 1 },
      truncate: { target: 'files', url: cutUrl },
    });
    const page = await openArchivePage(id, 100);
    await clearOpfs(page);
    await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
    // Paused once a few dossiers are in: every URL signed so far expires (DS's hour, on the demo's clock).
    await until(
      () => page.locator('.archive__details').textContent(),
      (text) => Number(/^(\d+) \//.exec(text ?? '')?.[1] ?? 0) >= 3,
      60_000,
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    demo.clock.advance(2 * 60 * 60_000);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await expect.poll(async () => (await job(id)).state, { timeout: 120_000 }).toBe('done');

    const done = await job(id);
    const entries = (await opfsZips(page)).get(done.parts[0]!.name)!;
    // Files left out (whole dossiers DS no longer gives are rows ending in `/`).
    const missing = csv(entries['inventaire.csv']!).filter(
      (row) => row.Statut === 'manquant' && !row.Chemin!.endsWith('/'),
    );
    expect(missing.map((row) => `${row.Chemin} ${row.Raison}`)).toHaveLength(1);
    expect(done.parts[0]!.missingFiles).toBe(1);
    expect(missing[0]!.Chemin).toMatch(new RegExp(`^export/dossier-${cut}/`));
    // Cut mid-body (« tronqué »), or cut before Chromium handed any byte to the page (« erreur réseau »).
    expect(missing[0]!.Raison).toMatch(/tronqué|erreur réseau/);
    const errors = new TextDecoder().decode(entries['export/-LISTE-DES-FICHIERS-EN-ERREURS.txt']!);
    expect(errors).toContain(missing[0]!.Chemin!);
    expect(await page.locator('.fr-alert--warning').first().textContent()).toContain('1 fichier(s) manquant(s)');
    // The ledger records that dossier's save in this part as incomplete (an earlier complete one still stands).
    const ledger = await readTable<{ dossier: number; fileName: string; missing: unknown[] }>(popup, 'ledger');
    const entry = ledger.find((l) => l.dossier === cut && l.fileName === done.parts[0]!.name)!;
    expect(entry.missing).toHaveLength(1);
  });

  it('without a token, writes the same layout from the user’s DS session, through the downloads', async () => {
    expect((await send(popup, 'forget-token', { origin: demo.url })).ok).toBe(true);
    const id = await startArchive();
    const page = await session.openExtensionPage(`archive.html?job=${id}&target=downloads`);
    await page.getByRole('button', { name: /Choisir un dossier et sauvegarder|dans les téléchargements/ }).click();
    await expect.poll(async () => (await job(id)).state, { timeout: 180_000 }).toBe('done');

    const done = await job(id);
    const seen: number[] = [];
    for (const part of done.parts) {
      const entries = unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, part.name))));
      const inPart = dossiersIn(entries);
      seen.push(...inPart, ...part.failed);
      for (const row of csv(entries['inventaire.csv']!).filter((r) => r.Statut !== 'manquant')) {
        // Without a token DS gives no checksum: every file is « calculé », its MD5 computed from its bytes.
        expect(row.Statut).toBe('calculé');
        expect(md5(entries[row.Chemin!]!), row.Chemin).toBe(row['MD5 (base64)']!.replace(/^'/, ''));
      }
      for (const number of inPart) {
        // The same files as DS's API lists (asked here with the demo's token, never the extension's).
        const expected = (await apiFiles(demo, number)) ?? [];
        const sums = Object.entries(entries)
          .filter(([name]) => name.startsWith(`export/dossier-${number}/`))
          .map(([, bytes]) => `${md5(bytes)}|${bytes.length}`);
        for (const file of expected) expect(sums, `dossier ${number}`).toContain(`${file.checksum}|${file.size}`);
        for (const own of ['dossier.json', 'inventaire.csv', 'messagerie.txt']) {
          expect(entries[`export/dossier-${number}/${own}`], `dossier ${number}'s ${own}`).toBeDefined();
        }
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(done.refs.map((r) => r.dossier).sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
  });
});
