import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { archiveJobs, dossiersIn, type Job, opfsZips } from './archive';
import { startDemoForTest } from './demo';
import { readTable, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 12 §4: the browser killed (SIGKILL, as a crash or a power cut) while a bulk archive writes its
 * parts, then started again on the same profile. The database opens; every part recorded before the
 * kill is still in the ledger and on disk, complete, holding exactly its dossiers; nothing is counted
 * « sauvegardé » that no recorded part holds; the archive offers « Reprendre » and ends with every
 * dossier exactly once.
 */

interface LedgerEntry {
  dossier: number;
  fileName: string;
  missing: unknown[];
}
interface DossierEntry {
  origin: string;
  number: number;
  archivedAt?: string | null;
}

describe('the ledger across a browser killed mid-write', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  let demarche: number;
  let id: number;
  /** The job as the background had it just before the kill. */
  let beforeKill: Job;

  const { job, startArchive, openArchivePage } = archiveJobs(() => ({ session, demo, popup, demarche }));

  beforeAll(async () => {
    [session, demo] = await Promise.all([
      launchExtension(),
      startDemoForTest({ demarches: 1, dossiers: 40, attachmentKb: 64 }),
    ]);
    ({ popup } = await signInAndSync(session, demo, { closeDs: true }));
    demarche = demo.demarches[0]!.number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('keeps every part recorded before the kill, complete, and nothing else counted saved', async () => {
    id = await startArchive();
    const page = await openArchivePage(id, 4);
    await page.getByRole('button', { name: /Choisir un dossier et sauvegarder/ }).click();
    beforeKill = await until(
      () => job(id),
      (current) => current.parts.length >= 2,
      90_000,
    );
    session.kill();
    await session.close({ keepProfile: true });

    session = await launchExtension({ profileDir: session.profileDir });
    popup = await session.openExtensionPage('popup.html');
    // The database opens, through the background (Dexie) and raw.
    const after = await job(id);
    expect(after.state).not.toBe('done');
    const recorded = after.parts.map((part) => part.name);
    for (const part of beforeKill.parts) expect(recorded, part.name).toContain(part.name);

    const ledger = (await readTable<LedgerEntry>(popup, 'ledger')).filter((entry) => entry.fileName.endsWith('.zip'));
    const list = await session.openExtensionPage(`archive.html?job=${id}&target=opfs`);
    const files = await opfsFiles(list);
    for (const part of after.parts) {
      // On disk, a whole ZIP (its central directory read back) holding exactly the part's dossiers.
      expect(files.get(part.name)?.length, `${part.name} on disk`).toBeGreaterThan(0);
      const entries = unzipSync(files.get(part.name)!);
      expect([...dossiersIn(entries)].sort((a, b) => a - b)).toEqual([...part.dossiers].sort((a, b) => a - b));
      expect(entries['inventaire.csv'], `${part.name}'s inventory`).toBeDefined();
      // In the ledger, once per dossier written in it.
      const inLedger = ledger.filter((entry) => entry.fileName === part.name).map((entry) => entry.dossier);
      expect(inLedger.sort((a, b) => a - b)).toEqual([...part.dossiers].sort((a, b) => a - b));
    }
    // The part being written at the kill is on disk at most as the browser's scratch (« .crswap ») and
    // an empty file under its name (or, killed between its last byte and its record, a whole ZIP), which
    // the resumed run overwrites; no ledger entry names it.
    for (const [name, bytes] of files) {
      if (recorded.includes(name) || name.endsWith('.crswap') || bytes.length === 0) continue;
      expect(() => unzipSync(bytes), `${name}, not recorded`).not.toThrow();
    }
    for (const entry of ledger) expect(recorded, `ledger entry of ${entry.dossier}`).toContain(entry.fileName);
    // « Sauvegardé » only for dossiers a recorded part holds.
    const written = new Set(after.parts.flatMap((part) => part.dossiers));
    const saved = (await readTable<DossierEntry>(popup, 'dossiers')).filter(
      (d) => d.origin === demo.url && d.archivedAt,
    );
    for (const dossier of saved) expect(written.has(dossier.number), `dossier ${dossier.number}`).toBe(true);
    expect(saved.length).toBeGreaterThanOrEqual(beforeKill.parts.reduce((sum, p) => sum + p.dossiers.length, 0));
    await list.close();
  }, 240_000);

  it('offers « Reprendre » and ends with every dossier exactly once', async () => {
    const half = await job(id);
    const left = half.refs.length - half.parts.reduce((sum, p) => sum + p.dossiers.length + p.failed.length, 0);
    const page = await openArchivePage(id, 4);
    await page.getByRole('button', { name: `Reprendre (${left} dossiers restants)` }).click();
    await expect.poll(async () => (await job(id)).state, { timeout: 180_000 }).toBe('done');

    const done = await job(id);
    const zips = await opfsZips(page);
    const seen = done.parts.flatMap((part) => [...dossiersIn(zips.get(part.name)!), ...part.failed]);
    expect(seen.sort((a, b) => a - b)).toEqual(done.refs.map((r) => r.dossier).sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    // The empty file the kill left is now a whole part: every ZIP in the folder is a recorded part.
    expect([...zips.keys()].sort()).toEqual(done.parts.map((p) => p.name).sort());
    const ledger = (await readTable<LedgerEntry>(popup, 'ledger')).filter((entry) => entry.fileName.endsWith('.zip'));
    expect(ledger.map((entry) => entry.dossier).sort((a, b) => a - b)).toEqual(
      done.parts.flatMap((part) => part.dossiers).sort((a, b) => a - b),
    );
  }, 240_000);
});

/** Every file of the export page's private file system, by name. */
async function opfsFiles(page: Page): Promise<Map<string, Uint8Array>> {
  const files = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const out: [string, string][] = [];
    // biome-ignore lint/suspicious/noExplicitAny: the directory iterator is not in TypeScript's DOM types yet.
    for await (const [name, handle] of (root as any).entries()) {
      if (handle.kind !== 'file') continue;
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push([name, btoa(binary)]);
    }
    return out;
  });
  return new Map(files.map(([name, b64]) => [name, new Uint8Array(Buffer.from(b64, 'base64'))]));
}
