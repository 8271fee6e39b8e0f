import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { alignExtensionClock, apiFiles, logIn, startDemoForTest } from './demo';
import { demarchesKnown, readTable, send, syncNow } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 12 §1, the disk full under the browser's downloads: the browser's downloads folder is a
 * real 4 MiB disk of its own (`launchExtension({ downloadsDiskBytes })`), filled up first by a file
 * the test puts there. A dossier ZIP bigger than the space left is refused by the disk itself; the
 * user reads « Disque plein » with its fix, nothing is counted saved, no partial file stays under its
 * name; the filler deleted (space really freed), the next click saves it whole.
 */

const MiB = 1024 * 1024;
const DISK_BYTES = 4 * MiB;
const FILLER = 'place-prise.bin';
const DISK_FULL =
  'Disque plein : le fichier n’a pas pu être enregistré et rien n’est compté comme sauvegardé. Libérez de la place (supprimez aussi le fichier inachevé « .crdownload » que le navigateur a pu laisser dans vos téléchargements), puis recommencez.';
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

  const freeBytes = () => {
    const disk = statfsSync(session.downloadsDir);
    return disk.bavail * disk.bsize;
  };

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
      startDemoForTest({ demarches: 1, dossiers: 4, attachmentKb: 4 }),
    ]);
    const demarche = demo.demarches[0]!.number;
    // About 1.5 MiB of attachments: more than the space left once the filler is in, less than the disk.
    big = {
      number: demo.admin.addDossier({ demarche, state: 'accepte', attachments: 3, attachmentKb: 1536 }).number,
      demarche,
    };
    await alignExtensionClock(session.context, demo);
    popup = await session.openExtensionPage('popup.html');
    expect((await send(popup, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(popup, demo);
    expect((await syncNow(popup))[0]?.problem).toBeNull();
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('says « Disque plein » with its fix, counts nothing saved, leaves no file under its name; space freed, saves it whole', async () => {
    // The downloads folder is the small disk, seen from inside the browser's mount namespace.
    expect(statfsSync(session.downloadsDir).blocks * statfsSync(session.downloadsDir).bsize).toBe(DISK_BYTES);
    writeFileSync(join(session.downloadsDir, FILLER), new Uint8Array(3 * MiB).fill(7));
    const freeWhenFull = freeBytes();
    expect(freeWhenFull).toBeLessThanOrEqual(MiB);

    expect(await clickSave()).toBe(DISK_FULL);
    // Nothing under the ZIP's name, finished or partial: at most the orphan the message names.
    const left = readdirSync(session.downloadsDir).filter((name) => name !== FILLER);
    expect(left.filter((name) => !ORPHAN_PARTIAL.test(name))).toEqual([]);
    expect(await readTable(popup, 'ledger')).toEqual([]);
    const dossiers = await readTable<{ number: number; archivedAt?: string | null }>(popup, 'dossiers');
    expect(dossiers.find((d) => d.number === big.number)?.archivedAt ?? null).toBeNull();

    // The user frees space as told (the filler goes, and the orphan if any), and clicks again: the
    // ZIP is saved whole and verified.
    for (const name of [FILLER, ...left]) rmSync(join(session.downloadsDir, name));
    expect(await clickSave()).toBe(`Sauvegardé et vérifié : dossier-${big.number}.zip`);
    const path = join(session.downloadsDir, `dossier-${big.number}.zip`);
    expect(readdirSync(session.downloadsDir)).toEqual([`dossier-${big.number}.zip`]);
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
});
