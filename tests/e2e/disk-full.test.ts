import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { archiveJobs, dossiersIn } from './archive';
import { apiFiles, startDemoForTest } from './demo';
import { readTable, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 12 §1, the disk full under the browser's downloads: the browser's downloads folder is a
 * real 8 MiB disk of its own (`launchExtension({ downloadsDiskBytes })`), filled up by a file the
 * test puts there. A dossier ZIP, or a bulk archive's part, bigger than the space left is refused by
 * the disk itself; the user reads « Disque plein » with its fix, nothing is counted saved that was
 * not, no partial file stays under its name; the filler deleted (space really freed), the next click
 * saves it whole, and « Reprendre » writes the rest of the archive.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const DISK_BYTES = 8 * MiB;
const FILLER = 'place-prise.bin';
const DISK_FULL =
  'Disque plein : le fichier n’a pas pu être enregistré et rien n’est compté comme sauvegardé. Libérez de la place (supprimez aussi le fichier inachevé « .crdownload » que le navigateur a pu laisser dans vos téléchargements), puis recommencez.';
const PART_DISK_FULL =
  'Disque plein : la partie en cours n’a pas pu être écrite. Les parties déjà écrites sont conservées : libérez de la place, puis « Reprendre ».';
/**
 * What Chromium may leave of a download the disk refused: the partial file it began before the name
 * was settled, which no download item points at any more (neither `downloads.cancel` nor `erase`
 * reaches it, measured), so the message names it for the user to delete.
 */
const ORPHAN_PARTIAL = /^Unconfirmed \d+\.crdownload$/;

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

describe('the disk full under the browser’s downloads', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  let popup: Page;
  let big: { number: number; demarche: number };

  const { job, startArchive } = archiveJobs(() => ({ session, demo, popup, demarche: big.demarche }));

  const freeBytes = () => {
    const disk = statfsSync(session.downloadsDir);
    return disk.bavail * disk.bsize;
  };
  /** Fills the disk with the filler until only `left` bytes are free, or a download under way took the rest. */
  function fillUntilFree(left: number): void {
    const chunk = new Uint8Array(64 * KiB).fill(7);
    try {
      while (freeBytes() - chunk.length >= left) appendFileSync(join(session.downloadsDir, FILLER), chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }
  /** The downloads folder but the filler: the files under the names the extension gave, or an orphan partial. */
  const downloaded = () => readdirSync(session.downloadsDir).filter((name) => name !== FILLER);
  /** The user frees space as the message says: the filler goes, and the orphan partial if any. */
  function freeSpace(): void {
    for (const name of readdirSync(session.downloadsDir)) {
      if (name === FILLER || ORPHAN_PARTIAL.test(name)) rmSync(join(session.downloadsDir, name));
    }
  }

  async function clickSave(): Promise<string> {
    await ds.goto(`${demo.url}/procedures/${big.demarche}/tous/dossiers/${big.number}`);
    const button = ds.locator('[data-archiviste-export="zip"]');
    await button.waitFor();
    await button.click();
    const status = ds.locator('[data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/Sauvegardé|Disque plein|n’a pas pu/);
    return (await status.textContent()) ?? '';
  }

  beforeAll(async () => {
    [session, demo] = await Promise.all([
      launchExtension({ downloadsDiskBytes: DISK_BYTES }),
      startDemoForTest({ demarches: 1, dossiers: 4, attachmentKb: 600 }),
    ]);
    const demarche = demo.demarches[0]!.number;
    // About 1.5 MiB of attachments: more than the space left once the filler is in.
    big = {
      number: demo.admin.addDossier({ demarche, state: 'accepte', attachments: 3, attachmentKb: 1536 }).number,
      demarche,
    };
    ({ popup, ds } = await signInAndSync(session, demo));
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('says « Disque plein » with its fix, counts nothing saved, leaves no file under its name; space freed, saves it whole', async () => {
    // The downloads folder is the small disk, seen from inside the browser's mount namespace.
    expect(statfsSync(session.downloadsDir).blocks * statfsSync(session.downloadsDir).bsize).toBe(DISK_BYTES);
    fillUntilFree(512 * KiB);
    const freeWhenFull = freeBytes();

    expect(await clickSave()).toBe(DISK_FULL);
    // Nothing under the ZIP's name, finished or partial: at most the orphan the message names.
    expect(downloaded().filter((name) => !ORPHAN_PARTIAL.test(name))).toEqual([]);
    expect(await readTable(popup, 'ledger')).toEqual([]);
    const dossiers = await readTable<{ number: number; archivedAt?: string | null }>(popup, 'dossiers');
    expect(dossiers.find((d) => d.number === big.number)?.archivedAt ?? null).toBeNull();

    // Space freed as told, a new click: the ZIP is saved whole and verified.
    freeSpace();
    expect(await clickSave()).toBe(`Sauvegardé et vérifié : dossier-${big.number}.zip`);
    const path = join(session.downloadsDir, `dossier-${big.number}.zip`);
    expect(downloaded()).toEqual([`dossier-${big.number}.zip`]);
    // It could not have fitted in the space left when the disk was full.
    expect(statSync(path).size).toBeGreaterThan(freeWhenFull);
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    const hashes = new Set(Object.values(entries).map(md5));
    const expected = (await apiFiles(demo, big.number)) ?? [];
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const file of expected) expect(hashes, file.filename).toContain(file.checksum);
    const ledger = await readTable<{ dossier: number; fileName: string; missing: unknown[] }>(popup, 'ledger');
    expect(ledger).toEqual([
      expect.objectContaining({ dossier: big.number, fileName: `dossier-${big.number}.zip`, missing: [] }),
    ]);
    await expect
      .poll(async () => {
        const rows = await readTable<{ number: number; archivedAt?: string | null }>(popup, 'dossiers');
        return rows.find((d) => d.number === big.number)?.archivedAt;
      })
      .toMatch(/^\d{4}-/);
  });

  it('a bulk archive’s part through the downloads: « Disque plein », the parts written kept; space freed, « Reprendre » finishes', async () => {
    // The dossier ZIP of the test before is the user's: this archive starts on its own empty disk.
    for (const name of downloaded()) rmSync(join(session.downloadsDir, name));
    const ledgerBefore = await readTable<{ fileName: string }>(popup, 'ledger');
    const id = await startArchive();
    const page = await session.openExtensionPage(`archive.html?job=${id}&target=downloads`);
    // One dossier a part (600 KiB of attachments a dossier): a part written, then the disk full.
    await page.getByLabel(/Un fichier ZIP tous les/).fill('1');
    // Each file answered after 1.5 s: the pause below lands before the last part is written, however
    // fast the archive goes (it once outran the pause, and every part met a free disk).
    demo.faults.set({ slow: { target: 'files', delayMs: 1_500 } });
    // (Chromium's label names the folder dialog; `target=downloads` takes Firefox's path all the same.)
    await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
    await until(
      async () => (await job(id)).parts.length,
      (parts) => parts >= 1,
      30_000,
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    // A part already under way may still be written, or be the one the disk refuses: either way, the
    // parts recorded by now must stay.
    const before = await job(id);
    fillUntilFree(64 * KiB);
    // « Continuer »; or, when the part under way has met the full disk already, « Reprendre », which
    // meets it again (every part is far bigger than the 64 KiB left).
    await page.getByRole('button', { name: /^(Continuer|Reprendre)/ }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toBe(PART_DISK_FULL);
    // The parts written before are still recorded and on disk, whole; the failing one is neither
    // recorded nor counted saved, nor left under its name.
    const stopped = await job(id);
    expect(stopped.parts.slice(0, before.parts.length)).toEqual(before.parts);
    const partNames = stopped.parts.map((part) => part.name);
    expect(
      downloaded()
        .filter((name) => !ORPHAN_PARTIAL.test(name))
        .sort(),
    ).toEqual([...partNames].sort());
    for (const part of stopped.parts) {
      const entries = unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, part.name))));
      expect([...dossiersIn(entries)], part.name).toEqual(part.dossiers);
    }
    const ledgerNames = (await readTable<{ fileName: string }>(popup, 'ledger'))
      .slice(ledgerBefore.length)
      .map((row) => row.fileName);
    expect(new Set(ledgerNames)).toEqual(new Set(partNames));
    const left = stopped.refs.length - stopped.parts.reduce((sum, part) => sum + part.dossiers.length, 0);
    expect(left).toBeGreaterThan(0);

    // Space freed as told: « Reprendre » writes the rest, every dossier once across the parts.
    demo.faults.clear();
    freeSpace();
    await page.getByRole('button', { name: `Reprendre (${left} dossiers restants)` }).click();
    await expect.poll(async () => (await job(id)).state, { timeout: 60_000 }).toBe('done');
    const done = await job(id);
    expect(done.parts.slice(0, stopped.parts.length)).toEqual(stopped.parts);
    expect(downloaded().sort()).toEqual(done.parts.map((part) => part.name).sort());
    const seen = done.parts.flatMap((part) => [
      ...dossiersIn(unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, part.name))))),
      ...part.failed,
    ]);
    expect(seen.sort((a, b) => a - b)).toEqual(done.refs.map((ref) => ref.dossier).sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
  });
});
