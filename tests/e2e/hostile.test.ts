import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeStorageFilename,
  HOSTILE_FILENAMES,
  HOSTILE_MESSAGE_BODY,
  HOSTILE_MESSAGE_FILENAME,
  HOSTILE_RAISON_SOCIALE,
  HOSTILE_TEXTS,
  megabyteValue,
} from '../../demo/data/hostile';
import type { DemoInstance } from '../../demo/instance';
import { type ApiFile, apiFiles, startDemoForTest } from './demo';
import { send, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 12 §3: a dossier whose usager put markup, formulas, a 1 MB value, bidi and zero-width
 * characters and file-system-hostile names everywhere DS lets them (the demo's hostile dossier).
 * Nothing of it runs in DS's pages under Archiviste's badges and banner nor in the popup; the
 * dossier ZIP (with a token and without) holds every file at a safe, unique path inside its folder,
 * the inventory naming each as DS did; the list spreadsheet is neutralised and keeps the 1 MB cell
 * whole; the schedule PDF reads as plain text.
 */

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;
/** What a spreadsheet would run: the cell starts that must come out prefixed with `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;
const neutralised = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** What is wrong with a ZIP entry's path, if anything (it must stay inside `root`, one safe name per level). */
function pathProblems(path: string, root: string): string[] {
  const problems: string[] = [];
  if (!path.startsWith(root)) problems.push('outside its folder');
  if (path.startsWith('/') || /^[a-z]:/i.test(path)) problems.push('absolute');
  if (path.includes('\\')) problems.push('backslash');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') problems.push(`segment ${JSON.stringify(segment)}`);
    if (/[\p{Cc}\p{Cf}]/u.test(segment)) problems.push('control, bidi or zero-width character');
    if (/[<>:"|?*]/.test(segment)) problems.push('character Windows refuses');
    if (/[. ]$/.test(segment)) problems.push('trailing dot or space');
    if (WINDOWS_DEVICE.test(segment.split('.')[0]!.trim())) problems.push('Windows device name');
    if (utf8Bytes(segment) > 255) problems.push('segment over 255 bytes');
  }
  return problems;
}

const parseCsv = (text: string) => {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
};

describe('a hostile dossier, through every page, list and archive of Archiviste', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  let popup: Page;
  let number: number;
  let demarche: number;
  let files: ApiFile[];

  /** Nothing ran, and nothing Archiviste drew holds an element the dossier's values could have made. */
  async function expectNothingInjected(page: Page): Promise<void> {
    const found = await page.evaluate(() => {
      const ours = document.querySelectorAll(
        '[data-archiviste-slot], [data-archiviste-countdown], [data-archiviste-banner], [data-archiviste-summary], [data-archiviste-menu]',
      );
      return {
        pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
        ours: ours.length,
        injectedInOurs: [...ours].flatMap((node) => [
          ...node.querySelectorAll('script, img, svg, iframe, object, embed, [onerror], [onload]'),
        ]).length,
        handlersAnywhere: document.querySelectorAll('[onerror], [onload], svg[onload]').length,
        pwnScripts: [...document.scripts].filter((s) => s.textContent?.includes('__pwned')).length,
      };
    });
    expect(found).toMatchObject({ pwned: null, injectedInOurs: 0, handlersAnywhere: 0, pwnScripts: 0 });
    expect(found.ours).toBeGreaterThan(0);
  }

  async function clickSaveZip(): Promise<string> {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${number}`);
    const button = ds.locator('[data-archiviste-export="zip"]');
    await button.waitFor();
    await button.click();
    const status = ds.locator('[data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/Sauvegardé|n’a pas pu|jeton/);
    return (await status.textContent()) ?? '';
  }

  /** The newest ZIP of the dossier the browser wrote (a later one gets « (n) »). */
  async function latestZip(): Promise<Record<string, Uint8Array>> {
    const names = await until(
      async () =>
        readdirSync(session.downloadsDir).filter((n) => n.startsWith(`dossier-${number}`) && n.endsWith('.zip')),
      (found) => found.length > 0,
    );
    const order = (name: string) => Number(/\((\d+)\)\.zip$/.exec(name)?.[1] ?? 0);
    const latest = names.sort((a, b) => order(a) - order(b)).at(-1)!;
    return unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, latest))));
  }

  /** Every path safe and unique, every API file in it by MD5, the inventory naming each file as DS did. */
  function expectSafeCompleteZip(entries: Record<string, Uint8Array>, source: 'API' | 'archive DS'): string {
    const root = `dossier-${number}/`;
    const names = Object.keys(entries);
    for (const name of names) expect(pathProblems(name, root), name).toEqual([]);
    expect(new Set(names.map((n) => n.normalize('NFC').toLowerCase())).size).toBe(names.length);
    const hashes = new Set(Object.values(entries).map(md5));
    for (const file of files) expect(hashes, file.filename).toContain(file.checksum);
    const pieces = names.filter((n) => n.startsWith(`${root}pieces_justificatives/`));
    // The champ's hostile files and the attestation.
    expect(pieces).toHaveLength(HOSTILE_FILENAMES.length + 1);

    // `ignoreBOM`: keep the byte order mark in the text, to see that it is there.
    const inventory = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(entries[`${root}inventaire.csv`]!));
    const header = inventory[0]!;
    const path = header.indexOf('Chemin');
    const original = header.indexOf('Nom d’origine');
    expect(original).toBeGreaterThan(0);
    const rows = inventory.slice(1);
    expect(rows.some((row) => row.includes('manquant'))).toBe(false);
    for (const row of rows) expect(names, row[path]).toContain(row[path]);
    const originals = rows.map((row) => row[original]);
    if (source === 'API') {
      // DS's own names, neutralised as every cell: `-etc-passwd` becomes `'-etc-passwd`.
      for (const file of files) expect(originals, file.filename).toContain(neutralised(file.filename));
    } else {
      // DS's ZIP names them `<base>-<stamp>-<id><ext>`: each hostile base is there, as DS wrote it.
      for (const file of files) {
        const base = file.filename.replace(/\.[a-z]+$/i, '').slice(0, 40);
        expect(
          originals.some((name) => name?.replace(/^'/, '').startsWith(base)),
          file.filename,
        ).toBe(true);
      }
    }
    return root;
  }

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest({ dossiers: 30 })]);
    demarche = demo.demarches.find((d) => d.expiresWhenTermine && d.showsExpirationColumn)!.number;
    ({ number } = demo.admin.addDossier({
      demarche,
      state: 'accepte',
      expiresAt: new Date(demo.clock.now().getTime() + 10 * 86_400_000).toISOString(),
      followedByMe: true,
      hostile: true,
    }));
    files = (await apiFiles(demo, number))!;
    expect(files.length).toBe(HOSTILE_FILENAMES.length + 2); // the champ's files, the message's, the attestation
    ({ popup, ds } = await signInAndSync(session, demo));
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('runs nothing in DS’s list and dossier pages, under Archiviste’s badges, banner and buttons', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    await ds.locator(`tr[data-row-key="${number}"] [data-archiviste-countdown]`).waitFor();
    await expectNothingInjected(ds);
    await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${number}`);
    await ds.locator('[data-archiviste-export="zip"]').waitFor();
    await ds.locator('#header-top [data-archiviste-countdown]').waitFor();
    await expectNothingInjected(ds);
    // DS's own page shows the markup as text; so does everything around it.
    expect(await ds.locator('body').textContent()).toContain(HOSTILE_RAISON_SOCIALE);
    await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${number}/messagerie`);
    await ds.locator('[data-archiviste-countdown]').first().waitFor();
    await expectNothingInjected(ds);
  });

  it('shows the demandeur’s name in the popup as text', async () => {
    await popup.reload();
    const label = popup.locator('.dossiers__label', { hasText: '<script>' });
    await label.waitFor();
    expect(await label.evaluate((node) => node.children.length)).toBe(0);
    expect(await label.textContent()).toBe(` · ${HOSTILE_RAISON_SOCIALE}`);
    expect(await popup.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null)).toBeNull();
    expect(
      await popup.locator('.dossiers script, .dossiers img, .dossiers [onerror], .dossiers [onload]').count(),
    ).toBe(0);
  });

  it('saves, with a token, every file at a safe and unique path, DS’s names in the inventory, the values whole in dossier.json', async () => {
    expect(await clickSaveZip()).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);
    const entries = await latestZip();
    const root = expectSafeCompleteZip(entries, 'API');
    const names = Object.keys(entries);
    // Two `doublon.pdf`, told apart; a 300-character name cut, its extension kept.
    expect(names.filter((n) => /\/doublon-[\d-]+( \(2\))?\.pdf$/.test(n))).toHaveLength(2);
    expect(names.some((n) => /\/a{100,}-[\d-]+\.pdf$/.test(n))).toBe(true);
    const json = new TextDecoder().decode(entries[`${root}dossier.json`]!);
    // JSON keeps DS's values as DS gave them: the 1 MB value, zero-width and bidi characters included.
    expect(json).toContain(JSON.stringify(megabyteValue()));
    expect(json).toContain(JSON.stringify(activeStorageFilename(HOSTILE_FILENAMES[10]!)));
    const transcript = new TextDecoder().decode(entries[`${root}messagerie.txt`]!);
    // The body is DS's HTML read as text (tags dropped, the U+202E override removed); the file named as DS did.
    expect(transcript).toContain(HOSTILE_MESSAGE_BODY.split('\n')[1]!.replace('\u202E', ''));
    expect(transcript).toContain(
      `Pièce jointe : ${activeStorageFilename(HOSTILE_MESSAGE_FILENAME)} → ${root}messagerie/`,
    );
  });

  it('writes the list as a neutralised spreadsheet: every hostile cell prefixed, the 1 MB cell whole', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    await ds.locator('[data-archiviste-export="csv"]').click();
    const status = ds.locator('[data-archiviste-slot="export"] [data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Enregistré|n’a pas pu/);
    const name = /^Enregistré : (.+?) \(\d+ dossiers\)/.exec((await status.textContent()) ?? '')?.[1];
    expect(name).toBeDefined();
    const path = join(session.downloadsDir, name!);
    await until(
      async () => existsSync(path),
      (found) => found,
    );
    const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
    const row = rows.find((r) => r[header!.indexOf('N° dossier')] === String(number))!;
    expect(row).toBeDefined();
    HOSTILE_TEXTS.forEach((text, index) => {
      expect(row[header!.indexOf(`Manifestations prévues ${index + 1} · Intitulé`)], JSON.stringify(text)).toBe(
        neutralised(text),
      );
    });
    expect(row).toContain(megabyteValue());
    // No cell of any row a spreadsheet would run.
    expect(rows.flat().filter((cell) => FORMULA_START.test(cell))).toEqual([]);
  });

  it('prints the schedule PDF with the dossier’s number and demandeur (DS’s list column: the e-mail) as text', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    await ds.locator('[data-archiviste-export="pdf"]').click();
    const status = ds.locator('[data-archiviste-slot="export"] [data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Enregistré : echeancier|n’a pas pu/);
    const name = /^Enregistré : (.+?) \(\d+ dossiers\)/.exec((await status.textContent()) ?? '')?.[1];
    const path = join(session.downloadsDir, name!);
    await until(
      async () => existsSync(path),
      (found) => found,
    );
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(path)) }).promise;
    let text = '';
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const content = await (await pdf.getPage(n)).getTextContent();
      text += content.items.map((item) => ('str' in item ? item.str : '')).join('');
    }
    expect(text).toContain(String(number));
    expect(text).toContain(demo.admin.dossier(number)!.usagerEmail);
  });

  it('saves without a token from DS’s own ZIP: the same safe paths, every file, DS’s names in the inventory', async () => {
    expect((await send(popup, 'forget-token', { origin: demo.url })).ok).toBe(true);
    expect(await clickSaveZip()).toMatch(/^Sauvegardé : dossier-\d+( \(\d+\))?\.zip \(sans jeton/);
    expectSafeCompleteZip(await latestZip(), 'archive DS');
  });
});
