import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { expectTruth, rowNumbers, shownBadges } from './badges';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { badgeText, deletable, demarchesKnown, send, syncNow } from './expiry';
import { ARTIFACTS_DIR, type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 9: what instructeurs see on DS's own pages. A countdown on every row of every tab and in
 * every dossier header, with the days DS's API gives (±1 day, Paris calendar days), « N’expire
 * pas » (`none`) for what DS never deletes; one badge whatever DS re-renders; the tooltip reachable
 * from the keyboard. Also the README's captures of a list and a dossier page.
 */

const TABS = ['a-suivre', 'suivis', 'traites', 'tous', 'expirant', 'archives', 'supprimes'] as const;
const DOCS_DIR = resolve(import.meta.dirname, '../../docs');

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const artifact = join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: artifact });
  if (!existsSync(join(DOCS_DIR, name)) || process.env.ARCHIVISTE_UPDATE_SCREENSHOTS === '1') {
    copyFileSync(artifact, join(DOCS_DIR, name));
  }
}

describe('countdowns on DS’s pages', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  /** The démarche with the « Date d’expiration » column, processed dossiers expiring. */
  let demarche: number;

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    await alignExtensionClock(session.context, demo);
    const popup = await session.openExtensionPage('popup.html');
    expect((await send(popup, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    ds = await session.newPage();
    await ds.setViewportSize({ width: 1280, height: 900 });
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(popup, demo);
    const [result] = await syncNow(popup);
    expect(result?.problem).toBeNull();
    await popup.close();
    demarche = demo.demarches.find((d) => d.expiresWhenTermine && d.showsExpirationColumn)!.number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it.each(TABS)('puts one countdown on every row of the « %s » tab, with the API’s days', async (tab) => {
    for (const { number } of demo.demarches) {
      await ds.goto(`${demo.url}/procedures/${number}/${tab}`);
      await ds.waitForSelector('html[data-archiviste="ready"]');
      const rows = await rowNumbers(ds);
      await expect.poll(async () => (await shownBadges(ds)).length).toBe(rows.length);
      const badges = await shownBadges(ds);
      expect(badges.map((b) => b.number)).toEqual(rows);
      expect(badges.every((b) => b.inRow)).toBe(true);
      for (const badge of badges) expectTruth(demo, badge);
    }
  });

  it('shows the countdown in every dossier header, one per state', async () => {
    const visible = demo.admin.dossiers({ demarche }).filter((d) => d.visible);
    const samples = ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'].flatMap((state) => {
      const found = visible.find((d) => d.state === state);
      return found ? [found] : [];
    });
    expect(samples.length).toBeGreaterThanOrEqual(4);
    for (const dossier of samples) {
      await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${dossier.number}`);
      await ds.waitForSelector('html[data-archiviste="ready"]');
      await expect.poll(async () => (await shownBadges(ds)).length).toBe(1);
      const [badge] = await shownBadges(ds);
      expect(badge?.number).toBe(dossier.number);
      expectTruth(demo, badge!);
      expect(await ds.locator('#header-top [data-archiviste-countdown]').count()).toBe(1);
    }
    await screenshot(ds, 'page-dossier.png');
  });

  it('keeps exactly one header badge when DS replaces #header-top, twice', async () => {
    const accepted = demo.admin.dossiers({ demarche, state: 'accepte' }).find((d) => d.visible)!;
    await ds.goto(`${demo.url}/procedures/${demarche}/tous/dossiers/${accepted.number}`);
    await ds.waitForSelector('#header-top [data-archiviste-countdown]');
    for (let i = 0; i < 2; i += 1) {
      // What DS's turbo-stream does after a state change: a fresh header in place of the old one.
      await ds.evaluate(() => {
        const header = document.querySelector('#header-top')!;
        const fresh = header.cloneNode(true) as Element;
        for (const mark of fresh.querySelectorAll('[data-archiviste-slot]')) mark.remove();
        header.replaceWith(fresh);
      });
      await expect.poll(() => ds.locator('#header-top [data-archiviste-countdown]').count()).toBe(1);
    }
    expect(await ds.locator('[data-archiviste-countdown]').count()).toBe(1);
  });

  it('lets a keyboard user reach the tooltip: the exact date, its source and the archive state', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    await ds.waitForSelector('[data-archiviste-countdown]');
    let focused = '';
    for (let i = 0; i < 400 && !focused; i += 1) {
      await ds.keyboard.press('Tab');
      focused = await ds.evaluate(() => document.activeElement?.getAttribute('data-archiviste-countdown') ?? '');
    }
    expect(focused).not.toBe('');
    const tooltip = await ds.evaluate(() => {
      const id = document.activeElement!.getAttribute('aria-describedby')!;
      const tip = document.getElementById(id)!;
      return { text: tip.textContent, role: tip.getAttribute('role'), visibility: getComputedStyle(tip).visibility };
    });
    expect(tooltip).toMatchObject({ role: 'tooltip', visibility: 'visible' });
    expect(tooltip.text).toMatch(/(Suppression|Suppression définitive) le \d{2}\/\d{2}\/\d{4}|N’expire pas/);
    expect(tooltip.text).toMatch(/non sauvegardé|sauvegardé le/);
  });

  it('sums up each démarche on « Démarches » and in its banner, as the toolbar badge counts', async () => {
    await ds.goto(`${demo.url}/procedures`);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    const toolbar = Number((await badgeText(session)) || 0);
    expect(toolbar).toBeGreaterThan(0);
    await expect
      .poll(async () => {
        const counts = await ds
          .locator('[data-archiviste-summary]')
          .evaluateAll((links) => links.map((link) => Number.parseInt(link.textContent ?? '', 10)));
        return counts.reduce((sum, n) => sum + n, 0);
      })
      .toBe(toolbar);
    const cards = await ds.locator('[data-archiviste-summary]').evaluateAll((links) =>
      links.map((link) => ({
        number: Number(link.getAttribute('data-archiviste-summary')),
        count: Number.parseInt(link.textContent ?? '', 10),
        href: link.getAttribute('href'),
      })),
    );
    for (const card of cards) {
      expect(card.href).toBe(`/procedures/${card.number}`);
      await ds.goto(`${demo.url}/procedures/${card.number}/tous`);
      const title = ds.locator('[data-archiviste-banner] .fr-notice__title');
      await title.waitFor();
      expect(await ds.locator('[data-archiviste-banner]').count()).toBe(1);
      const text = (await title.textContent()) ?? '';
      expect(text).toMatch(/supprimés? d’ici 30 jours/);
      expect(text).toContain(card.count === 1 ? 'dont 1 non sauvegardé' : `dont ${card.count} non sauvegardés`);
      expect(await ds.locator('[data-archiviste-banner] .archiviste-chart__week').count()).toBe(13);
    }

    // The README's capture: the banner above a list, a badge focused with its tooltip.
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    await ds.waitForSelector('[data-archiviste-banner] .fr-notice__title');
    await expect.poll(async () => (await shownBadges(ds)).length).toBe((await rowNumbers(ds)).length);
    await ds.evaluate(() => {
      const banner = document.querySelector<HTMLElement>('[data-archiviste-banner]')!;
      window.scrollTo(0, banner.getBoundingClientRect().top + window.scrollY - 16);
      document.querySelectorAll<HTMLElement>('[data-archiviste-countdown]')[2]?.focus({ preventScroll: true });
    });
    await screenshot(ds, 'page-list.png');
  });
});

describe('countdowns without a token', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    await alignExtensionClock(session.context, demo);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('gives a dated row the page’s date at once, and an undated one DS’s date once its page was read', async () => {
    const ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    // The démarche whose list shows no « Date d’expiration » column: processed rows have no date there.
    const demarche = demo.demarches.find((d) => d.expiresWhenTermine && !d.showsExpirationColumn)!.number;
    const processed = demo.admin
      .dossiers({ demarche, statut: 'traites' })
      .filter((d) => deletable(demo, d) && d.daysLeft! > 14)
      .map((d) => d.number);
    expect(processed.length).toBeGreaterThan(0);
    await ds.goto(`${demo.url}/procedures/${demarche}/traites`);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    // First an estimate from the state and the retention, then DS's own date from the dossier page.
    await expect
      .poll(
        async () => (await shownBadges(ds)).filter((b) => processed.includes(b.number) && b.source === 'page').length,
        { timeout: 20_000 },
      )
      .toBe(Math.min(processed.length, 25));
    for (const badge of (await shownBadges(ds)).filter((b) => b.source === 'page')) {
      const d = demo.admin.dossiers().find((x) => x.number === badge.number)!;
      if (deletable(demo, d)) expect(Math.abs(Number(badge.daysLeft) - d.daysLeft!)).toBeLessThanOrEqual(1);
    }
  });
});
