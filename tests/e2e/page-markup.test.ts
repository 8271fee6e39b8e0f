import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import type { MarkupVariant } from '../../demo/pages/markup';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { demarchesKnown, readTable, send, syncNow } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 12 §2: DS changes its markup. For each change the demo can serve, on a real page in
 * Chromium: the features that read what changed turn themselves off with exactly one console
 * warning each, the others still run (their marks are on the page), the popup opened afterwards says
 * « Page DS non reconnue » with the features turned off, and DS's own markup back clears it.
 */

type FeatureId = 'report-page' | 'countdown-badges' | 'demarche-banner' | 'export-buttons';

const CASES: { variant: MarkupVariant; page: 'list' | 'dossier'; off: FeatureId[]; on: FeatureId[] }[] = [
  {
    variant: 'renamed-classes',
    page: 'list',
    off: ['report-page', 'countdown-badges', 'demarche-banner'],
    on: ['export-buttons'],
  },
  { variant: 'renamed-classes', page: 'dossier', off: ['report-page', 'countdown-badges'], on: ['export-buttons'] },
  {
    variant: 'no-table',
    page: 'list',
    off: ['report-page', 'countdown-badges'],
    on: ['demarche-banner', 'export-buttons'],
  },
  {
    variant: 'unknown-columns',
    page: 'list',
    off: ['report-page'],
    on: ['countdown-badges', 'demarche-banner', 'export-buttons'],
  },
  {
    variant: 'new-tab',
    page: 'list',
    off: ['demarche-banner'],
    on: ['report-page', 'countdown-badges', 'export-buttons'],
  },
];

/** What each feature leaves on a page it ran on. */
const MARKS: Record<Exclude<FeatureId, 'report-page'>, string> = {
  'countdown-badges': '[data-archiviste-countdown]',
  'demarche-banner': '[data-archiviste-banner]',
  'export-buttons': '[data-archiviste-slot="export"]',
};

const FRENCH_NAMES: Record<FeatureId, string> = {
  'report-page': 'lecture de la page (mode sans jeton)',
  'countdown-badges': 'comptes à rebours des dossiers',
  'demarche-banner': 'bandeau de la démarche',
  'export-buttons': 'boutons de sauvegarde',
};

describe('DS changed its markup', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  let admin: Page;
  let demarche: number;
  let dossier: number;
  const warnings: string[] = [];

  const url = (page: 'list' | 'dossier') =>
    page === 'list'
      ? `${demo.url}/procedures/${demarche}/tous`
      : `${demo.url}/procedures/${demarche}/tous/dossiers/${dossier}`;

  /** Loads a DS page and waits for the content script to be done (its page-markup report sent). */
  async function visit(page: 'list' | 'dossier') {
    warnings.length = 0;
    await ds.goto(url(page));
    await ds.waitForSelector('html[data-archiviste="ready"]');
  }

  /** The latest moment the extension saw any dossier of the démarche (a page report moves it). */
  const lastSeen = async () =>
    (await readTable<{ origin: string; demarche: number; lastSeenAt: string }>(admin, 'dossiers'))
      .filter((d) => d.origin === demo.url && d.demarche === demarche)
      .map((d) => d.lastSeenAt)
      .sort()
      .at(-1);

  /** The popup, opened in a tab of its own: it speaks of the last DS page seen. */
  async function popupAlert(): Promise<string | null> {
    const popup = await session.openExtensionPage('popup.html');
    try {
      await popup.waitForSelector('main.popup:not([aria-busy])');
      // The record the popup reads is written before the page says « ready »: once the popup shows it, it is final.
      const records = await popup.evaluate(async () => (await chrome.storage.session.get('pageMarkup')).pageMarkup);
      const shown = Object.values(records as Record<string, { features: unknown[] }>).some((r) => r.features.length);
      if (!shown) {
        // Nothing to show: give the popup's hook its time, then make sure it drew nothing.
        await popup.waitForTimeout(500);
        expect(await popup.locator('[data-markup-alert]').count()).toBe(0);
        return null;
      }
      return (await popup.locator('[data-markup-alert]').textContent({ timeout: 5_000 })) ?? '';
    } finally {
      await popup.close();
    }
  }

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    await alignExtensionClock(session.context, demo);
    admin = await session.openExtensionPage('options.html');
    expect((await send(admin, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    ds = await session.newPage();
    ds.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'warning' && message.text().startsWith('Archiviste:')) warnings.push(message.text());
    });
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(admin, demo);
    const [result] = await syncNow(admin);
    expect(result?.problem).toBeNull();
    demarche = demo.demarches.find((d) => d.expiresWhenTermine)!.number;
    dossier = demo.admin.dossiers({ demarche, statut: 'tous' })[0]!.number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('DS’s own pages: no warning, every feature on, no alert', async () => {
    for (const page of ['list', 'dossier'] as const) {
      await visit(page);
      for (const [, selector] of Object.entries(MARKS).filter(([id]) => page === 'list' || id !== 'demarche-banner')) {
        await ds.waitForSelector(selector);
      }
      expect(warnings).toEqual([]);
    }
    expect(await popupAlert()).toBeNull();
  });

  it.each(CASES)(
    '$variant on a $page page: the features reading it off, the rest on, the popup says so',
    async ({ variant, page, off, on }) => {
      demo.markup.set(variant);
      const before = await lastSeen();
      await visit(page);

      for (const id of on.filter((id): id is keyof typeof MARKS => id !== 'report-page')) {
        await ds.waitForSelector(MARKS[id]);
      }
      for (const id of off.filter((id): id is keyof typeof MARKS => id !== 'report-page')) {
        expect(await ds.locator(MARKS[id]).count(), id).toBe(0);
      }
      // The report: sent when on (the dossiers seen again), not when off (nothing read from that page).
      if (on.includes('report-page')) await expect.poll(lastSeen).not.toBe(before);
      else expect(await lastSeen()).toBe(before);

      // Exactly one warning per feature turned off, and none for the others.
      await expect.poll(() => warnings.length).toBe(off.length);
      for (const id of off) {
        expect(
          warnings.filter((w) => w.startsWith(`Archiviste: ${id} turned off: DS page not recognised (`)),
        ).toHaveLength(1);
      }

      const alert = await popupAlert();
      expect(alert).toContain('Page DS non reconnue');
      expect(alert).toContain('Archiviste est désactivé sur cette page : DS a peut-être changé.');
      for (const id of off) expect(alert).toContain(FRENCH_NAMES[id]);
      for (const id of on) expect(alert).not.toContain(FRENCH_NAMES[id]);

      // DS's own markup back: the same page is recognised, the alert is gone.
      demo.markup.set(null);
      await visit(page);
      await ds.waitForSelector(MARKS['export-buttons']);
      expect(warnings).toEqual([]);
      expect(await popupAlert()).toBeNull();
    },
  );
});
