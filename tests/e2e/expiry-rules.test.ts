import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { startDemoForTest } from './demo';
import { badgeText, callKey, calls, dueSoon, noticeKey, readTable, type StoredNotice, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { signInAndSync } from './setup';

/**
 * Issue 8: DS as it runs since June 2026, where en construction dossiers never expire. The demo
 * models it by default, with en construction dossiers long past (or close to) the date the older
 * rules would delete them at, some with a residual date in the « Date d’expiration » column. Without
 * a token and with one, Archiviste learns the rules from what DS shows, and announces none of them:
 * no digest, no toolbar count, « N’expire pas » in the popup. (The older rules, where they are still
 * warned a month ahead, are the expiry-watch tests, which run the demo with `rules: '2025'`.)
 */

interface StoredRules {
  origin: string;
  rules?: { set: string; evidence: string; at: string } | null;
}

/** En construction dossiers the older rules would delete within 30 days, or already past their date. */
const pastTheirOldDate = (demo: DemoInstance) =>
  demo.admin
    .dossiers()
    .filter((d) => d.visible && d.state === 'en_construction' && d.oldDaysLeft !== null && d.oldDaysLeft <= 30);

async function expectNothingAnnouncedFor(popup: Page, numbers: readonly number[]) {
  const notified = new Set((await readTable<StoredNotice>(popup, 'notices')).map((n) => n.dossier));
  expect(numbers.filter((n) => notified.has(n))).toEqual([]);
}

/** The popup's three counts, and the dossier numbers it lists. */
async function popupFacts(popup: Page) {
  await popup.reload();
  await popup.locator('[data-summary="never"] dd').waitFor();
  const count = async (name: string) => Number(await popup.locator(`[data-summary="${name}"] dd`).textContent());
  return {
    threatened: await count('threatened'),
    atRisk: await count('at-risk'),
    never: await count('never'),
    neverLabel: (await popup.locator('[data-summary="never"] dt').textContent()) ?? '',
    listed: await popup
      .locator('[data-dossier]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-dossier')))),
  };
}

describe.each([
  { mode: 'session' as const, evidence: 'page-no-expiry' },
  { mode: 'api' as const, evidence: 'api-null' },
])('DS’s June 2026 rules, $mode mode', ({ mode, evidence }) => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let popup: Page;

  beforeAll(async () => {
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest()]);
    ({ popup } = await signInAndSync(session, demo, {
      token: mode === 'api' ? demo.token : false,
      sync: false,
      closeDs: true,
    }));
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('learns the instance’s rules from what DS shows, and announces no en construction dossier', async () => {
    const old = pastTheirOldDate(demo);
    // The demo's data: en construction dossiers far past their old date, and others due within 30 days.
    expect(old.filter((d) => d.oldDaysLeft! < -100).length).toBeGreaterThan(0);
    expect(old.filter((d) => d.oldDaysLeft! >= 0).length).toBeGreaterThan(0);

    const [result] = await syncNow(popup);
    expect(result).toMatchObject({ origin: demo.url, mode, problem: null });
    const [instance] = (await readTable<StoredRules>(popup, 'instances')).filter((i) => i.origin === demo.url);
    expect(instance?.rules).toMatchObject({ set: '2026', evidence });

    await expectNothingAnnouncedFor(
      popup,
      old.map((d) => d.number),
    );
    // What is announced is exactly what DS deletes within 30 days: processed dossiers only.
    const due = dueSoon(demo);
    expect(due.every((d) => d.state !== 'en_construction')).toBe(true);
    const expected = calls(demo, due)
      .map(callKey)
      .filter((key) => !key.endsWith('|corbeille'));
    const notices = (await readTable<StoredNotice>(popup, 'notices'))
      .map(noticeKey)
      .filter((k) => !k.endsWith('|corbeille'));
    expect(notices.sort()).toEqual(expected.sort());
  });

  it('leaves them out of the toolbar count, and says « N’expire pas » in the popup, every count agreeing', async () => {
    const old = pastTheirOldDate(demo).map((d) => d.number);
    const facts = await popupFacts(popup);
    expect(old.filter((n) => facts.listed.includes(n))).toEqual([]);
    expect(facts.neverLabel).toContain('N’expirent pas');
    const neverInDemo = demo.admin
      .dossiers()
      .filter((d) => d.visible && !d.inCorbeille && (d.state === 'en_construction' || d.state === 'en_instruction'));
    // Also counted: processed dossiers of the démarche that keeps them.
    expect(facts.never).toBeGreaterThanOrEqual(neverInDemo.length);
    // The toolbar badge is the popup's « non sauvegardés » count: one truth.
    expect(await badgeText(session)).toBe(facts.atRisk > 0 ? String(facts.atRisk) : '');
    expect(facts.atRisk).toBeGreaterThan(0);
  });

  it('updates the toolbar badge at once when a démarche is unwatched in the options, without a sync', async () => {
    const requestsBefore = demo.metrics().requests.total;
    const before = Number(await badgeText(session));
    const options = await session.openExtensionPage('options.html');
    // The démarche with the most dossiers counted by the badge.
    const counted = dueSoon(demo).map((d) => d.demarche);
    const demarche = demo.demarches
      .map((d) => ({ d, n: counted.filter((c) => c === d.number).length }))
      .sort((a, b) => b.n - a.n)[0]!.d;
    const toggle = options.getByRole('switch', { name: `n° ${demarche.number} — ${demarche.title}` });
    await toggle.click();
    const after = await until(
      async () => Number((await badgeText(session)) || 0),
      (count) => count < before,
    );
    expect(after).toBeLessThan(before);
    expect(demo.metrics().requests.total).toBe(requestsBefore);
    const facts = await popupFacts(popup);
    expect(facts.atRisk).toBe(after);
    await toggle.click();
    await until(
      async () => Number((await badgeText(session)) || 0),
      (count) => count === before,
    );
    await options.close();
  });
});
