import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { badgeText, demarchesKnown, send, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 10's leftovers: a saved dossier the usager then writes to is « modifié depuis la sauvegarde »
 * after the next sync, in both modes — with a token, from the API's `dateDerniereModification`;
 * without one, from DS's « Message » on its list row and the messages of its print page (never its
 * « Messagerie » tab, which would mark them read on DS) — and saved again by a new export, whose
 * `messagerie.txt` holds the message.
 */

const DAY_MS = 86_400_000;
/** DS shows messages to the minute: the steps are minutes apart, as an instructeur's would be. */
const MINUTES_LATER = 2 * 60_000;
const MESSAGE = 'Bonjour, voici le budget prévisionnel signé par notre trésorière.';

describe.each([
  ['with a token', 'api'],
  ['without a token', 'session'],
] as const)('a saved dossier written to afterwards, %s', (_, mode) => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;
  let ds: Page;
  let target: { number: number; demarche: number };
  /** Every URL of the DS instance the browser asked for (tabs, service worker, offscreen document). */
  const requested: string[] = [];
  /** The popup's « dont non sauvegardés » once the dossier is saved. */
  let atRiskSaved: number;

  const dossierPage = () => `${demo.url}/procedures/${target.demarche}/tous/dossiers/${target.number}`;
  const countdown = () => ds.locator('#header-top [data-archiviste-countdown]');
  /** The countdown's tooltip: date, source and archive state, as sighted and keyboard users get it. */
  const tooltip = async () => {
    const id = await countdown().getAttribute('aria-describedby');
    return (await ds.locator(`[id="${id}"]`).textContent()) ?? '';
  };
  const popupAtRisk = async () => {
    await popup.reload();
    return Number(await popup.locator('[data-summary="at-risk"] dd').textContent());
  };
  const popupRow = () => popup.locator(`[data-dossier="${target.number}"]`).textContent();

  /** Both clocks move on together (the extension's follows the instance's, as on a real machine). */
  async function later(): Promise<void> {
    demo.clock.advance(MINUTES_LATER);
    await alignExtensionClock(session.context, demo);
  }

  /** Clicks « Sauvegarder (ZIP) » on the dossier's page; returns the ZIP's entries, by the name the browser gave it. */
  async function save(): Promise<Record<string, Uint8Array>> {
    await ds.goto(dossierPage());
    await ds.locator('[data-archiviste-export="zip"]').click();
    const status = ds.locator('[data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Sauvegardé/);
    const [, name] = /: (dossier-\d+(?: \(\d+\))?\.zip)/.exec((await status.textContent()) ?? '') ?? [];
    expect(name).toBeDefined();
    const path = join(session.downloadsDir, name!);
    const bytes = await until(
      async () => {
        try {
          return readFileSync(path);
        } catch {
          return null;
        }
      },
      (read) => read !== null,
    );
    return unzipSync(new Uint8Array(bytes!));
  }

  async function sync(): Promise<void> {
    const results = await syncNow(popup);
    expect(results.map((r) => [r.mode, r.problem])).toEqual([[mode, null]]);
  }

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    session.context.on('request', (request) => {
      if (request.url().startsWith(demo.url)) requested.push(request.url());
    });
    await alignExtensionClock(session.context, demo);
    popup = await session.openExtensionPage('popup.html');
    if (mode === 'api') {
      expect((await send(popup, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    }
    ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(popup, demo);
    // An accepted dossier DS deletes in 5 days, which the instructeur follows (DS gives followers its news).
    const demarche = demo.demarches.find((d) => d.expiresWhenTermine)!.number;
    target = demo.admin.addDossier({
      demarche,
      state: 'accepte',
      expiresAt: new Date(demo.clock.now().getTime() + 5 * DAY_MS).toISOString(),
      followedByMe: true,
    });
    expect(demo.admin.dossier(target.number)?.daysLeft).toBe(5);
    await sync();
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('is « sauvegardé » once its ZIP is written', async () => {
    await save();
    await expect.poll(() => countdown().getAttribute('data-archiviste-saved-at')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await tooltip()).toContain('sauvegardé le');
    atRiskSaved = await popupAtRisk();
    expect(await popupRow()).toContain('sauvegardé le');
    expect(await badgeText(session)).toBe(atRiskSaved > 0 ? String(atRiskSaved) : '');
  });

  it('is « modifié depuis la sauvegarde » after its usager writes and a sync runs, on DS’s page and in the popup', async () => {
    await later();
    demo.admin.postMessage(target.number, { body: MESSAGE, attachment: { filename: 'budget-signe.pdf' } });
    await sync();

    await ds.goto(dossierPage());
    await expect.poll(() => countdown().getAttribute('data-archiviste-saved-at')).toBe('');
    expect(await tooltip()).toContain('modifié depuis la sauvegarde');
    expect(await tooltip()).not.toContain('sauvegardé le');
    expect(await popupAtRisk()).toBe(atRiskSaved + 1);
    expect(await popupRow()).toContain('modifié depuis la sauvegarde');
    expect(await badgeText(session)).toBe(String(atRiskSaved + 1));

    // Archiviste read no « Messagerie » tab: DS still shows the instructeur the message as new.
    expect(requested.filter((url) => url.endsWith('/messagerie'))).toEqual([]);
    if (mode === 'session')
      expect(requested.some((url) => url.endsWith(`/dossiers/${target.number}/print`))).toBe(true);
    await ds.goto(`${demo.url}/procedures/${target.demarche}/traites`);
    const news = ds.locator(`#table-dossiers-row-${target.number} td.fr-cell--numeric span.fr-badge--new`);
    expect(await news.allTextContents()).toEqual(['Message']);
  });

  it('is « sauvegardé » again after a new export, whose messagerie.txt holds the message, and stays so', async () => {
    await later();
    const entries = await save();
    await expect.poll(() => countdown().getAttribute('data-archiviste-saved-at')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await tooltip()).toContain('sauvegardé le');
    expect(await popupAtRisk()).toBe(atRiskSaved);
    const transcript = new TextDecoder().decode(entries[`dossier-${target.number}/messagerie.txt`]!);
    expect(transcript).toContain(MESSAGE);
    expect(transcript).toMatch(/Pièce jointe : budget-signe\.pdf → dossier-\d+\/messagerie\/budget-signe-[\d-]+\.pdf/);
    const inventory = new TextDecoder().decode(entries[`dossier-${target.number}/inventaire.csv`]!);
    expect(inventory).not.toContain('manquant');

    // DS still flags the message (nobody opened the tab), but the save holds it: no change to report.
    await later();
    await sync();
    await ds.goto(dossierPage());
    await expect.poll(() => countdown().getAttribute('data-archiviste-saved-at')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await popupAtRisk()).toBe(atRiskSaved);
  });
});
