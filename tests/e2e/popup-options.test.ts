import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { startDemoForTest } from './demo';
import { ARTIFACTS_DIR, type ExtensionSession, launchExtension } from './harness';

/** Screenshots for the README: written when missing, refreshed with ARCHIVISTE_UPDATE_SCREENSHOTS=1. */
const DOCS_DIR = resolve(import.meta.dirname, '../../docs');
/** Both clocks at one instant, so that dates, countdowns and screenshots are the same on every run. */
const NOW = '2026-11-23T09:30:00+01:00';

async function screenshot(page: Page, name: string, fullPage: boolean): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const artifact = join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: artifact, fullPage });
  const target = join(DOCS_DIR, name);
  if (!existsSync(target) || process.env.ARCHIVISTE_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_DIR, { recursive: true });
    copyFileSync(artifact, target);
  }
}

/**
 * An instructeur's morning: the token typed into the options page, the démarches discovered on
 * DS's /procedures page, a sync from the popup, then the list and the chart; and an expired token.
 */
describe('popup and options against the local DS instance', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let options: Page;
  let popup: Page;

  beforeAll(async () => {
    demo = await startDemoForTest({ now: NOW, exportDelayMs: 3000 });
    session = await launchExtension();
    const worker = await session.serviceWorker();
    await worker.evaluate((ms) => chrome.storage.local.set({ demoClockOffsetMs: ms }), Date.parse(NOW) - Date.now());
    const [name, value] = demo.admin.sessionCookie().split('=') as [string, string];
    await session.context.addCookies([{ name, value, url: demo.url }]);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('saves the API token typed into the options page', async () => {
    options = await session.openExtensionPage('options.html');
    await options.setViewportSize({ width: 900, height: 900 });
    const connect = options.getByRole('form', { name: 'Ajouter une instance ou un jeton' });
    await connect.getByLabel('Adresse de l’instance').fill(demo.url);
    await connect.getByLabel('Jeton d’API').fill(demo.token);
    await connect.getByRole('button', { name: 'Enregistrer' }).click();

    const host = new URL(demo.url).host;
    await expect
      .poll(() => connect.getByRole('status').textContent())
      .toMatch(`Jeton enregistré pour ${host} (••••••••`);
    expect(await connect.getByLabel('Jeton d’API').inputValue()).toBe('');
    const card = options.locator(`[data-origin="${demo.url}"]`);
    await expect.poll(() => card.textContent()).toContain(`Jeton enregistré : ••••••••${demo.token.slice(-4)}`);
    expect(await options.content()).not.toContain(demo.token);
  });

  it('discovers the démarches on DS’s /procedures page and tests the token on them', async () => {
    const ds = await session.newPage();
    await ds.goto(`${demo.url}/procedures`);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await ds.close();

    for (const demarche of demo.demarches) {
      await options.getByRole('switch', { name: `n° ${demarche.number} — ${demarche.title}` }).waitFor();
    }
    const card = options.locator(`[data-origin="${demo.url}"]`);
    await card.getByRole('button', { name: 'Tester le jeton' }).click();
    const report = card.getByTestId('token-test');
    await expect
      .poll(() => report.textContent(), { timeout: 15_000 })
      .toContain(`Ce jeton lit ${demo.demarches.length} démarche(s)`);
    await screenshot(options, 'options.png', true);
  });

  it('syncs from the popup, then lists the dossiers deleted soonest and charts them', async () => {
    popup = await session.openExtensionPage('popup.html');
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.getByRole('button', { name: 'Synchroniser maintenant' }).click();
    await expect
      .poll(() => popup.getByRole('status').filter({ hasText: 'Synchronisation' }).textContent(), { timeout: 30_000 })
      .toMatch(/Synchronisation terminée : \d+ dossiers lus\./);

    await expect.poll(() => popup.locator('.dossiers__row').count()).toBeGreaterThan(0);
    const status = popup.getByRole('region', { name: 'État de la synchronisation' });
    expect(await status.textContent()).toMatch(/mode API · synchronisé à l’instant/);

    const first = popup.locator('.dossiers__row').first();
    const link = first.getByRole('link');
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${demo.url}/procedures/\\d+/tous/dossiers/\\d+$`));
    expect(await first.textContent()).toMatch(/J-\d+|Aujourd’hui|Dans la corbeille/);

    const chart = popup.getByRole('img', { name: 'Suppressions prévues, par semaine' });
    expect(await chart.locator('[data-week]').count()).toBe(13);
    const rows = await popup.locator('table tbody tr td:first-of-type').allTextContents();
    const charted = rows.reduce((sum, count) => sum + Number(count), 0);
    expect(charted).toBeGreaterThanOrEqual(await popup.locator('.dossiers__row').count());

    // The keyboard reaches the controls in reading order, with the DSFR focus ring.
    await popup.getByRole('heading', { name: 'Archiviste', level: 1 }).click();
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Archives');
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Options');
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Synchroniser maintenant');
    expect(await popup.evaluate(() => getComputedStyle(document.activeElement as Element).outlineColor)).toBe(
      'rgb(10, 118, 246)',
    );
    await popup.evaluate(() => (document.activeElement as HTMLElement).blur());
    // As the toolbar shows it: Chrome caps popups at 600 px high.
    await screenshot(popup, 'popup.png', false);
  });

  it('explains an expired token and how to fix it', async () => {
    demo.faults.set({ tokenExpired: true });
    await popup.getByRole('button', { name: 'Synchroniser maintenant' }).click();
    const alert = popup.locator('[data-problem="token-expired"]');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('Votre jeton d’API a expiré.');
    expect(await alert.textContent()).toContain(
      'Créez-en un nouveau dans votre profil DS (/profil), puis collez-le dans les options.',
    );
    await alert.getByRole('button', { name: 'Ouvrir les options' }).waitFor();
    // What was synced before stays on screen.
    expect(await popup.locator('.dossiers__row').count()).toBeGreaterThan(0);
    demo.faults.clear();
  });
});
