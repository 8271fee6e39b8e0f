import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { dossiersIn, type Job } from '../e2e/archive';
import { expectTruth, rowNumbers, shownBadges } from '../e2e/badges';
import { type ApiFile, apiFiles, startDemoForTest } from '../e2e/demo';
import {
  deletable,
  demarchesKnown,
  dueSoon,
  type Evaluator,
  parisDay,
  readTable,
  type StoredDossier,
  send,
  syncNow,
  until,
} from '../e2e/expiry';
import { alignExtensionClock, evaluator, type FirefoxSession, launchFirefox, logIn } from './firefox';

/**
 * Issue 12 §6: Archiviste's core path in Firefox ESR, the Firefox build installed as a temporary
 * add-on and driven through WebDriver BiDi, against the local DS instance: a sync from the user's
 * DS session (Firefox's background page reads DS's pages with its own DOMParser), then with a token;
 * the countdowns on a dossier list; the popup's counts; a dossier saved as a verified ZIP through
 * Firefox's downloads, with and without a token, and a démarche archived in parts the same way. One
 * browser for the whole file, each step building on the one before.
 */

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

describe('the core path in Firefox', () => {
  let session: FirefoxSession;
  let demo: DemoInstance;
  let ds: Page;
  /** An extension page the messages and database reads go through. */
  let extension: Evaluator;
  /** The démarche with the « Date d’expiration » column, processed dossiers expiring. */
  let demarche: number;

  /** The dossier saved as a ZIP with a token, and the files DS's API lists for it. */
  let saved: { number: number; files: ApiFile[] };

  /** Clicks « Sauvegarder (ZIP) » on a dossier's page and answers the status it ends on. */
  async function clickSave(number: number): Promise<string> {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${number}`);
    const button = await ds.waitForSelector('[data-archiviste-export="zip"]');
    expect(await button!.evaluate((b) => b.textContent)).toContain('ZIP');
    await button!.click();
    return until(
      () => ds.evaluate(() => document.querySelector('[data-archiviste-export-status]')?.textContent ?? ''),
      (text) => /Sauvegardé|n’a pas pu|jeton/.test(text),
      30_000,
    );
  }

  const storedHere = async () =>
    (await readTable<StoredDossier>(extension, 'dossiers')).filter((d) => d.origin === demo.url);

  beforeAll(async () => {
    [session, demo] = await Promise.all([
      launchFirefox(inject('firefoxExtensionDir'), inject('networkProxy')),
      startDemoForTest(),
    ]);
    extension = evaluator(await session.openExtensionPage('popup.html'));
    await alignExtensionClock(extension, demo);
    ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(extension, demo);
    demarche = demo.demarches.find((d) => d.expiresWhenTermine && d.showsExpirationColumn)!.number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('syncs without a token, reading DS’s pages with the session cookie', async () => {
    const [result, ...others] = await syncNow(extension);
    expect(others).toEqual([]);
    expect(result).toMatchObject({ origin: demo.url, mode: 'session', problem: null });
    expect(result!.requests).toBeGreaterThan(0);
    // Every dossier DS lists (corbeille aside) is stored, with DS's date where DS deletes it.
    const stored = new Map((await storedHere()).map((d) => [d.number, d]));
    const listed = demo.admin.dossiers().filter((d) => d.visible && !d.inCorbeille);
    for (const d of listed) expect(stored.has(d.number), `n° ${d.number}`).toBe(true);
    const dated = listed.filter((d) => deletable(demo, d) && stored.get(d.number)?.expiresAt);
    expect(dated.length).toBeGreaterThan(0);
    for (const d of dated) {
      expect(parisDay(stored.get(d.number)!.expiresAt!), `n° ${d.number}`).toBe(parisDay(d.dateExpiration!));
    }
  });

  it('syncs with a token through DS’s API', async () => {
    expect((await send(extension, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    const [result] = await syncNow(extension);
    expect(result).toMatchObject({ origin: demo.url, mode: 'api', problem: null });
    const stored = new Map((await storedHere()).map((d) => [d.number, d]));
    for (const d of demo.admin.dossiers().filter((x) => deletable(demo, x))) {
      const row = stored.get(d.number);
      expect(row?.expirySource, `n° ${d.number}`).toBe('api');
      expect(Date.parse(row!.expiresAt!), `n° ${d.number}`).toBe(Date.parse(d.dateExpiration!));
    }
  });

  it('puts one countdown on every row of a dossier list, with the API’s days', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    const page = evaluator(ds);
    const rows = await rowNumbers(page);
    expect(rows.length).toBeGreaterThan(0);
    await until(
      async () => (await shownBadges(page)).length,
      (count) => count === rows.length,
    );
    const badges = await shownBadges(page);
    expect(badges.map((b) => b.number)).toEqual(rows);
    expect(badges.every((b) => b.inRow)).toBe(true);
    for (const badge of badges) expectTruth(demo, badge);
  });

  it('shows in the popup what DS deletes soon and what is not saved, as the toolbar badge counts', async () => {
    const popup = await session.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-summary="threatened"] dd');
    const shown = await popup.evaluate(() => ({
      threatened: Number(document.querySelector('[data-summary="threatened"] dd')?.textContent),
      atRisk: Number(document.querySelector('[data-summary="at-risk"] dd')?.textContent),
      rows: [...document.querySelectorAll('.dossiers__row')].map((row) => ({
        text: row.textContent ?? '',
        href: row.querySelector('a')?.getAttribute('href') ?? '',
      })),
    }));
    const badge = await popup.evaluate(() => chrome.action.getBadgeText({}));
    expect(shown.threatened).toBeGreaterThanOrEqual(dueSoon(demo).length);
    expect(shown.atRisk).toBeGreaterThan(0);
    expect(badge).toBe(String(shown.atRisk));
    expect(shown.rows.length).toBeGreaterThan(0);
    for (const row of shown.rows) {
      expect(row.href).toMatch(new RegExp(`^${demo.url}/procedures/\\d+/tous/dossiers/\\d+$`));
      expect(row.text).toMatch(/J-\d+|Aujourd’hui|Dans la corbeille/);
    }
    await popup.close();
  });

  it('saves a dossier as a verified ZIP through Firefox’s downloads: every file DS lists, by MD5 and size', async () => {
    const listed = demo.admin.dossiers({ demarche }).filter((d) => d.visible && !d.inCorbeille);
    const withFiles = await Promise.all(
      listed.slice(0, 10).map(async (d) => ({ number: d.number, files: (await apiFiles(demo, d.number)) ?? [] })),
    );
    saved = withFiles.sort((a, b) => b.files.length - a.files.length)[0]!;
    expect(saved.files.length).toBeGreaterThan(1);
    const { number } = saved;
    expect(await clickSave(number)).toBe(`Sauvegardé et vérifié : dossier-${number}.zip`);

    const path = join(session.downloadsDir, `dossier-${number}.zip`);
    await until(
      async () => existsSync(path),
      (found) => found,
    );
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    expect(Object.keys(entries).every((name) => name.startsWith(`dossier-${number}/`))).toBe(true);
    const sums = Object.values(entries).map((bytes) => `${md5(bytes)}|${bytes.length}`);
    for (const file of saved.files) expect(sums, file.filename).toContain(`${file.checksum}|${file.size}`);
    expect(entries[`dossier-${number}/dossier.json`]).toBeDefined();
    expect(entries[`dossier-${number}/inventaire.csv`]).toBeDefined();

    // The ledger remembers it and the dossier counts as saved.
    const ledger = await readTable<{ dossier: number; fileName: string; missing: unknown[] }>(extension, 'ledger');
    expect(ledger).toEqual([
      expect.objectContaining({ dossier: number, fileName: `dossier-${number}.zip`, missing: [] }),
    ]);
    expect((await storedHere()).find((d) => d.number === number)).toMatchObject({ archivedAt: expect.any(String) });
  });

  it('archives a démarche through Firefox’s downloads (no folder picker there): each dossier once, every file by MD5 and size', async () => {
    const reply = await send<{ jobId: number }>(extension, 'archive-start', {
      kind: 'demarche',
      origin: demo.url,
      demarche,
    });
    if (!reply.ok) throw new Error(reply.error);
    const id = reply.value.jobId;
    const job = async () => {
      const answer = await send<{ job: Job }>(extension, 'archive-job', { id });
      if (!answer.ok) throw new Error(answer.error);
      return answer.value.job;
    };
    const page = await session.openExtensionPage(`archive.html?job=${id}`);
    const size = await page.waitForSelector('#archive-part-size');
    await size!.click({ count: 3 });
    await size!.type('10');
    const start = await page.waitForSelector('::-p-text(dans les téléchargements)');
    await start!.click();
    await until(
      async () => (await job()).state,
      (state) => state === 'done',
      90_000,
    );

    const done = await job();
    expect(done.parts.length).toBeGreaterThanOrEqual(2);
    const seen: number[] = [];
    for (const part of done.parts) {
      const entries = unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, part.name))));
      const inPart = dossiersIn(entries);
      seen.push(...inPart, ...part.failed);
      for (const number of inPart) {
        const sums = Object.entries(entries)
          .filter(([name]) => name.startsWith(`export/dossier-${number}/`))
          .map(([, bytes]) => `${md5(bytes)}|${bytes.length}`);
        for (const file of (await apiFiles(demo, number)) ?? []) {
          expect(sums, `dossier ${number}`).toContain(`${file.checksum}|${file.size}`);
        }
        expect(entries[`export/dossier-${number}/dossier.json`], `dossier ${number}`).toBeDefined();
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(done.refs.map((r) => r.dossier).sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    await page.close();
  });

  it('without a token, saves the same files from DS’s own ZIP and PDF through the session, each MD5 computed', async () => {
    expect((await send(extension, 'forget-token', { origin: demo.url })).ok).toBe(true);
    const status = await clickSave(saved.number);
    // The name Firefox gave the file beside the first one (it adds « (1) »), as the status says it.
    const name = /^Sauvegardé : (dossier-\d+.*\.zip) \(sans jeton/.exec(status)?.[1];
    expect(name, status).toBeDefined();
    expect(name).not.toBe(`dossier-${saved.number}.zip`);
    const entries = unzipSync(new Uint8Array(readFileSync(join(session.downloadsDir, name!))));
    const sums = Object.values(entries).map((bytes) => `${md5(bytes)}|${bytes.length}`);
    for (const file of saved.files) expect(sums, file.filename).toContain(`${file.checksum}|${file.size}`);
    const inventory = new TextDecoder().decode(entries[`dossier-${saved.number}/inventaire.csv`]!);
    expect(inventory).toContain('calculé');
    expect(inventory).not.toContain('manquant');
  });
});
