import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { type ApiFile, apiFiles, startDemoForTest } from './demo';
import { readTable, send, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 10, first part: a dossier saved as a verified ZIP in one click, with a token. The ZIP is
 * read back and every file DS's API lists for the dossier is checked in it by its MD5 (computed here
 * from the bytes, compared with the API's checksum); a fault in DS's file storage leaves a ZIP that
 * says what is missing and why, and the dossier is not counted as saved.
 */

/** Every file the API lists for a dossier that the API still gives. */
async function listedFiles(demo: DemoInstance, number: number): Promise<ApiFile[]> {
  const files = await apiFiles(demo, number);
  if (!files) throw new Error(`Dossier ${number} is not given by the API`);
  return files;
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

describe('a dossier saved as a verified ZIP, with a token', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  let popup: Page;

  /** The dossier of the démarche with the most files, and its démarche. */
  let target: { number: number; demarche: number };
  let another: { number: number; demarche: number };

  /** The entries of a dossier's newest ZIP: the browser saves each new one beside the earlier ones, « (n) » added. */
  function latestZipOf(number: number): Record<string, Uint8Array> {
    const zips = readdirSync(session.downloadsDir).filter(
      (name) => name.startsWith(`dossier-${number} (`) && name.endsWith(').zip'),
    );
    const latest = zips.sort((a, b) => Number(/\((\d+)\)/.exec(a)![1]) - Number(/\((\d+)\)/.exec(b)![1])).at(-1)!;
    return unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, latest))));
  }

  async function clickSave(number: number, demarche: number): Promise<string> {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${number}`);
    const button = ds.locator('[data-archiviste-export="zip"]');
    await button.waitFor();
    expect(await button.textContent()).toContain('ZIP');
    await button.click();
    const status = ds.locator('[data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/Sauvegardé|n’a pas pu|jeton/);
    return (await status.textContent()) ?? '';
  }

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    ({ popup, ds } = await signInAndSync(session, demo));
    const visible = demo.admin.dossiers().filter((d) => d.visible && !d.inCorbeille);
    const withFiles = await Promise.all(
      visible.slice(0, 20).map(async (d) => ({ d, files: (await listedFiles(demo, d.number)).length })),
    );
    withFiles.sort((a, b) => b.files - a.files);
    target = { number: withFiles[0]!.d.number, demarche: withFiles[0]!.d.demarche };
    another = { number: withFiles[1]!.d.number, demarche: withFiles[1]!.d.demarche };
    expect(withFiles[0]!.files).toBeGreaterThan(1);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('saves every file DS lists, verified by its MD5, with DS’s PDF, dossier.json and the inventory', async () => {
    const text = await clickSave(target.number, target.demarche);
    expect(text).toBe(`Sauvegardé et vérifié : dossier-${target.number}.zip`);
    const path = join(session.downloadsDir, `dossier-${target.number}.zip`);
    await until(
      async () => existsSync(path),
      (found) => found,
    );
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    const names = Object.keys(entries);
    expect(names.every((name) => name.startsWith(`dossier-${target.number}/`))).toBe(true);
    const hashes = new Set(names.map((name) => md5(entries[name]!)));
    const expected = await listedFiles(demo, target.number);
    for (const file of expected) expect(hashes, file.filename).toContain(file.checksum);
    expect(names.some((name) => /\/export-\d+-[\d-]+\.pdf$/.test(name))).toBe(true);
    const json = JSON.parse(new TextDecoder().decode(entries[`dossier-${target.number}/dossier.json`]!));
    expect(json).toMatchObject({ formatVersion: 1 });
    const csv = new TextDecoder().decode(entries[`dossier-${target.number}/inventaire.csv`]!).replace(/^\uFEFF/, '');
    const rows = Papa.parse<string[]>(csv, { delimiter: ';' }).data.filter((row) => row.length > 1);
    expect(rows.slice(1).filter((row) => row.includes('vérifié')).length).toBe(expected.length);
    expect(rows.some((row) => row.includes('manquant'))).toBe(false);

    // The ledger remembers it, and DS's page now says « sauvegardé ».
    const ledger = await readTable<{ dossier: number; fileName: string; missing: unknown[] }>(popup, 'ledger');
    expect(ledger).toEqual([
      expect.objectContaining({ dossier: target.number, fileName: `dossier-${target.number}.zip`, missing: [] }),
    ]);
    await expect
      .poll(() => ds.locator('#header-top [data-archiviste-countdown]').getAttribute('data-archiviste-saved-at'))
      .toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('still writes the ZIP when DS’s storage truncates a file, names it in the inventory, and does not count it saved', async () => {
    // Every attachment cut halfway, on every try: they cannot be had this time.
    demo.faults.set({ truncate: { target: 'files', count: 1000 } });
    try {
      const text = await clickSave(another.number, another.demarche);
      expect(text).toMatch(/^Sauvegardé, incomplet \(\d+ fichier\(s\) manquant\(s\)\)/);
    } finally {
      demo.faults.clear();
    }
    const path = join(session.downloadsDir, `dossier-${another.number}.zip`);
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    const csv = new TextDecoder().decode(entries[`dossier-${another.number}/inventaire.csv`]!);
    expect(csv).toContain('manquant');
    // A connection dropped mid-file: Chromium reports it as a network error, Node as a short body.
    expect(csv).toMatch(/fichier tronqué|erreur réseau/);
    const ledger = await readTable<{ dossier: number; missing: unknown[] }>(popup, 'ledger');
    expect(ledger.find((row) => row.dossier === another.number)?.missing.length).toBeGreaterThan(0);
    const dossiers = await readTable<{ number: number; archivedAt?: string | null }>(popup, 'dossiers');
    expect(dossiers.find((d) => d.number === another.number)?.archivedAt ?? null).toBeNull();
  });

  it('leaves out a file whose MD5 is not DS’s, and says so', async () => {
    demo.faults.set({ wrongChecksum: true });
    try {
      const text = await clickSave(target.number, target.demarche);
      expect(text).toMatch(/^Sauvegardé, incomplet \(\d+ fichier\(s\) manquant\(s\)\)/);
    } finally {
      demo.faults.clear();
    }
    const entries = latestZipOf(target.number);
    const csv = new TextDecoder().decode(entries[`dossier-${target.number}/inventaire.csv`]!);
    expect(csv).toContain('somme de contrôle différente');
    // The complete save made before still stands: the dossier stays « sauvegardé ».
    const dossiers = await readTable<{ number: number; archivedAt?: string | null }>(popup, 'dossiers');
    expect(dossiers.find((d) => d.number === target.number)?.archivedAt).toMatch(/^\d{4}-/);
  });

  it('exports the ledger from the options page: a line per saved or missing file', async () => {
    const options = await session.openExtensionPage('options.html');
    await expect
      .poll(() => options.getByTestId('ledger-summary').textContent())
      .toMatch(/^3 sauvegarde\(s\) de 2 dossier\(s\), dont 2 incomplète\(s\)\./);
    await options.getByRole('button', { name: 'Exporter le registre (CSV)' }).click();
    const path = join(
      session.downloadsDir,
      `registre-archiviste_${new Date(demo.clock.now()).toISOString().slice(0, 10)}.csv`,
    );
    await until(
      async () => existsSync(path),
      (found) => found,
    );
    const rows = Papa.parse<string[]>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { delimiter: ';' }).data;
    // The first, complete save of the dossier: every API file and Archiviste's four.
    const files = rows.filter(
      (row) => row[3] === String(target.number) && row[4] === `dossier-${target.number}.zip` && row[9] === 'présent',
    );
    expect(files.length).toBe((await listedFiles(demo, target.number)).length + 4);
    expect(rows.some((row) => row[3] === String(another.number) && row[9] === 'manquant')).toBe(true);
    await options.close();
  });

  it('without a token, saves the same layout from DS’s own ZIP and PDF, each file’s MD5 computed', async () => {
    expect((await send(popup, 'forget-token', { origin: demo.url })).ok).toBe(true);
    const text = await clickSave(target.number, target.demarche);
    expect(text).toMatch(/^Sauvegardé : dossier-\d+(\s\(\d+\))?\.zip \(sans jeton/);
    const names = (await readTable<{ dossier: number; fileName: string }>(popup, 'ledger'))
      .filter((row) => row.dossier === target.number)
      .map((row) => row.fileName);
    expect(names).toHaveLength(3);
    const entries = latestZipOf(target.number);
    const hashes = new Set(Object.values(entries).map((bytes) => md5(bytes)));
    for (const file of await listedFiles(demo, target.number)) expect(hashes, file.filename).toContain(file.checksum);
    const csv = new TextDecoder().decode(entries[`dossier-${target.number}/inventaire.csv`]!);
    expect(csv).toContain('calculé');
    expect(csv).not.toContain('manquant');
  });

  it('saves DS’s own PDF of the dossier under a clear name, and records it', async () => {
    await ds.goto(`${demo.url}/procedures/${target.demarche}/tous/dossiers/${target.number}`);
    await ds.locator('[data-archiviste-export="dossier-pdf"]').click();
    const status = ds.locator('[data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Enregistré : /);
    const name = await until(
      async () =>
        readdirSync(session.downloadsDir).find(
          (file) => file.startsWith(`dossier-${target.number}_procedure-${target.demarche}_`) && file.endsWith('.pdf'),
        ),
      (file) => file !== undefined,
    );
    expect(readFileSync(join(session.downloadsDir, name!)).subarray(0, 5).toString()).toBe('%PDF-');
    const ledger = await readTable<{ dossier: number; format: string; fileName: string }>(popup, 'ledger');
    expect(ledger.filter((row) => row.format === 'pdf').map((row) => row.fileName)).toEqual([name]);
  });
});
