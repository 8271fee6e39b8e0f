import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierSummary } from '../../demo/admin/admin';
import type { DemoInstance } from '../../demo/instance';
import { Browser, graphql, start } from './helpers';

/**
 * DS since June 2026 (../shared/ds/API-AND-RULES.md §3b), the demo's default: en construction
 * dossiers never expire, whatever their old date (passage en construction + retention) or their
 * residual `expired_at`; terminé dossiers keep every rule (expiry.test.ts). The 2025 side of each
 * surface is checked against a second instance.
 */
const SUBVENTION = 104532; // 12 months, "Date d’expiration" column shown
const DAY = 86_400_000;

const text = (element: Element | null | undefined) => element?.textContent?.trim() ?? '';

interface ApiDossier {
  number: number;
  state: string;
  dateExpiration: string | null;
}

async function apiDossier(demo: DemoInstance, number: number): Promise<ApiDossier | null> {
  const { body } = await graphql<{ dossier: ApiDossier }>(demo, {
    query: `{ dossier(number: ${number}) { number state dateExpiration } }`,
  });
  return body.data?.dossier ?? null;
}

describe('en construction dossiers never expire (2026 rules, the default)', () => {
  let demo: DemoInstance;
  let older: DemoInstance;
  let browser: Browser;
  let olderBrowser: Browser;
  beforeAll(async () => {
    [demo, older] = await Promise.all([start(), start({ rules: '2025' })]);
    browser = new Browser(demo);
    olderBrowser = new Browser(older);
    await Promise.all([browser.signIn(), olderBrowser.signIn()]);
  });
  afterAll(() => Promise.all([demo.close(), older.close()]));

  const enConstruction = (instance: DemoInstance, demarche?: number) =>
    instance.admin.dossiers({ demarche, state: 'en_construction' }).filter((d) => d.visible);

  it('the API dates none of them, even past their old date or with a residual expired_at', async () => {
    const dossiers = enConstruction(demo);
    expect(dossiers.some((d) => d.oldDaysLeft! < 0)).toBe(true);
    expect(dossiers.some((d) => d.expiredAt !== null)).toBe(true);
    for (const d of dossiers) expect(await apiDossier(demo, d.number)).toMatchObject({ dateExpiration: null });
    const { body } = await graphql<{ demarche: { dossiers: { nodes: ApiDossier[] } } }>(demo, {
      query: `{ demarche(number: ${SUBVENTION}) { dossiers(state: en_construction) { nodes { number state dateExpiration } } } }`,
    });
    const nodes = body.data!.demarche.dossiers.nodes;
    expect(nodes.length).toBe(enConstruction(demo, SUBVENTION).length);
    expect(nodes.every((n) => n.dateExpiration === null)).toBe(true);
  });

  it('the API dates them under the 2025 rules', async () => {
    const dossiers = enConstruction(older);
    expect(dossiers.length).toBeGreaterThan(0);
    for (const d of dossiers) {
      const node = await apiDossier(older, d.number);
      expect(node!.dateExpiration).not.toBeNull();
      expect(new Date(node!.dateExpiration!).toISOString()).toBe(d.expiredAt);
    }
  });

  it('their page shows no « Expirera le », but « … il n’expirera pas » on some of them', async () => {
    const dossiers = enConstruction(demo);
    let withLine = 0;
    for (const d of dossiers) {
      const page = await browser.page(`/procedures/${d.demarche}/tous/dossiers/${d.number}`);
      expect(page.querySelector('p.expires_at'), `${d.number}`).toBeNull();
      expect(page.querySelector('.fr-callout'), `${d.number}`).toBeNull();
      expect(page.querySelector('#test-instructeur-repousser-expiration')).toBeNull();
      expect(page.querySelector('p.expires_at_en_instruction')).toBeNull();
      expect([...page.querySelectorAll('#header-top .fr-badge')].map(text).join()).not.toMatch(/Expire dans/);
      const line = page.querySelector('#header-top p.expires_at_en_construction');
      if (d.neverExpiresLine) {
        withLine += 1;
        expect(line!.outerHTML).toBe(
          '<p class="expires_at_en_construction fr-text--sm">Ce dossier est en construction, il n’expirera pas</p>',
        );
        // In the same place as the en instruction line: after the state badges, before the labels.
        expect(line!.previousElementSibling!.querySelector('.fr-badge-group')).not.toBeNull();
      } else {
        expect(line, `${d.number}`).toBeNull();
      }
    }
    expect(withLine).toBeGreaterThan(0);
    expect(withLine).toBeLessThan(dossiers.length);
  });

  it('under the 2025 rules their page says « Expirera le … »', async () => {
    for (const d of enConstruction(older, SUBVENTION)) {
      const page = await olderBrowser.page(`/procedures/${SUBVENTION}/tous/dossiers/${d.number}`);
      expect(text(page.querySelector('p.expires_at'))).toMatch(
        /^Expirera le \d\d\/\d\d\/\d{4} \(12 mois après le dépôt du dossier\)$/,
      );
      expect(page.querySelector('p.expires_at_en_construction')).toBeNull();
    }
  });

  it('the expirant tab and its counters list terminé dossiers only', async () => {
    for (const { number } of demo.demarches.filter((d) => d.expiresWhenTermine)) {
      const listed = demo.admin.dossiers({ demarche: number, statut: 'expirant' });
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((d) => ['accepte', 'refuse', 'sans_suite'].includes(d.state))).toBe(true);
      const page = await browser.page(`/procedures/${number}/expirant`);
      const rows = [...page.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')].map((r) =>
        Number(r.getAttribute('data-row-key')),
      );
      expect(rows.sort()).toEqual(listed.map((d) => d.number).sort());
      const tab = page.querySelector(`a.fr-tabs__tab[href="/procedures/${number}/expirant"] > span.fr-badge`);
      expect(text(tab)).toBe(String(listed.length));
      const procedures = await browser.page('/procedures');
      expect(text(procedures.querySelector(`#procedure-${number}-expirant-count`))).toBe(String(listed.length));
    }
    // Under the 2025 rules the same tab lists en construction dossiers.
    const olderListed = older.admin.dossiers({ statut: 'expirant' });
    expect(olderListed.some((d) => d.state === 'en_construction')).toBe(true);
  });

  it('the batch "Conserver un mois de plus" is for terminé rows only', async () => {
    const page = await browser.page(`/procedures/${SUBVENTION}/tous`);
    for (const row of page.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')) {
      const summary = demo.admin.dossier(Number(row.getAttribute('data-row-key')))!;
      const operations = row.querySelector('input[data-operations]')!.getAttribute('data-operations')!.split(',');
      if (summary.state === 'en_construction') expect(operations).not.toContain('repousser_expiration');
      if (summary.state === 'accepte') expect(operations).toContain('repousser_expiration');
    }
    const olderPage = await olderBrowser.page(`/procedures/${SUBVENTION}/tous`);
    const olderRow = [...olderPage.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')].find(
      (row) => older.admin.dossier(Number(row.getAttribute('data-row-key')))!.state === 'en_construction',
    )!;
    expect(olderRow.querySelector('input[data-operations]')!.getAttribute('data-operations')).toContain(
      'repousser_expiration',
    );
  });

  it('a residual expired_at shows in the « Date d’expiration » column and nowhere else', async () => {
    const residual = enConstruction(demo, SUBVENTION).filter((d) => d.expiredAt !== null);
    // Old dates already past and within the next 30 days among them.
    expect(residual.some((d) => d.oldDaysLeft! < 0)).toBe(true);
    expect(residual.some((d) => d.oldDaysLeft! >= 0 && d.oldDaysLeft! <= 30)).toBe(true);
    const list = await browser.page(`/procedures/${SUBVENTION}/tous`);
    const headers = [...list.querySelectorAll('#table-dossiers > thead th')].map(text);
    const column = headers.indexOf('Date d’expiration');
    const expirant = demo.admin.dossiers({ demarche: SUBVENTION, statut: 'expirant' }).map((d) => d.number);
    for (const d of residual) {
      expect(d.expiredAt).toBe(d.oldExpirationDate);
      const row = list.querySelector(`tr[data-row-key="${d.number}"]`)!;
      const date = new Intl.DateTimeFormat('fr-FR', {
        timeZone: 'Europe/Paris',
        day: '2-digit',
        month: 'long',
        year: 'numeric',
      }).format(new Date(d.expiredAt!));
      expect(text(row.children[column])).toContain(date);
      expect([...row.querySelectorAll('td.fr-cell--numeric .fr-badge')].map(text).join()).not.toMatch(/Expire dans/);
      expect(expirant).not.toContain(d.number);
      expect((await apiDossier(demo, d.number))!.dateExpiration).toBeNull();
      const page = await browser.page(`/procedures/${SUBVENTION}/tous/dossiers/${d.number}`);
      expect(page.querySelector('p.expires_at')).toBeNull();
      expect(page.body.textContent).not.toContain('Expirera le');
    }
  });

  it('finds the dossiers past their old date through the admin endpoint', async () => {
    const response = await fetch(`${demo.url}/__demo/dossiers?state=en_construction&oldDaysLeftAtMost=30`);
    const listed = (await response.json()) as DossierSummary[];
    expect(listed.length).toBeGreaterThanOrEqual(8);
    for (const d of listed) {
      expect(d.state).toBe('en_construction');
      expect(d.oldDaysLeft).toBeLessThanOrEqual(30);
      expect(d).toMatchObject({ visible: true, dateExpiration: null, daysLeft: null, noticeSentAt: null });
    }
    expect((await fetch(`${demo.url}/__demo/dossiers?oldDaysLeftAtMost=soon`)).status).toBe(400);
  });
});

describe('daily jobs under the 2026 rules', () => {
  let demo: DemoInstance;
  beforeAll(async () => {
    demo = await start();
  });
  afterAll(() => demo.close());

  it('never announce, hide nor purge an en construction dossier by expiry, whatever the clock does', async () => {
    const added = [
      demo.admin.addDossier({
        demarche: SUBVENTION,
        state: 'en_construction',
        expiresAt: '2026-01-16T09:00:00+01:00',
        residualExpiredAt: true,
      }),
      demo.admin.addDossier({ demarche: SUBVENTION, state: 'en_construction', expiresAt: '2025-06-01T09:00:00+02:00' }),
    ];
    expect(added[0]!.expiredAt).toBe(new Date('2026-01-16T09:00:00+01:00').toISOString());
    expect(added[1]!.expiredAt).toBeNull();
    expect(added[1]!.oldDaysLeft).toBeLessThan(-200);
    const before = new Map(demo.admin.dossiers({ state: 'en_construction' }).map((d) => [d.number, d]));
    const byUsager = [...before.values()].filter((d) => d.hiddenByUserAt).map((d) => d.number);
    for (let day = 0; day < 40; day++) {
      demo.clock.advance(DAY);
      for (const d of demo.admin.dossiers({ state: 'en_construction' })) {
        expect(d.noticeSentAt).toBeNull();
        expect(d.daysLeft).toBeNull();
        expect(d.inCorbeille).toBe(false);
        expect(d.hiddenByExpiredAt).toBeNull();
      }
    }
    demo.clock.advance(500 * DAY);
    const after = demo.admin.dossiers({ state: 'en_construction' });
    for (const [number, d] of before) {
      if (byUsager.includes(number)) continue;
      const now = after.find((x) => x.number === number);
      expect(now, `${number}`).toMatchObject({
        visible: true,
        expiredAt: d.expiredAt,
        updatedAt: d.updatedAt,
        dateExpiration: null,
      });
    }
    expect(demo.admin.dossiers({ statut: 'expirant' }).every((d) => d.state !== 'en_construction')).toBe(true);
    expect(demo.admin.deletedDossiers().filter((d) => d.state === 'en_construction' && d.reason === 'expired')).toEqual(
      [],
    );
    // Terminé dossiers still expired meanwhile.
    expect(demo.admin.deletedDossiers().filter((d) => d.reason === 'expired').length).toBeGreaterThan(4);
  });
});

describe('what still works on en construction dossiers under the 2026 rules', () => {
  let demo: DemoInstance;
  let browser: Browser;
  beforeAll(async () => {
    demo = await start({ dossiers: 0 });
    browser = new Browser(demo);
    await browser.signIn();
  });
  afterAll(() => demo.close());

  it('deleted by its usager: pending deletion, then purged two weeks later (user_request)', async () => {
    const added = demo.admin.addDossier({ demarche: SUBVENTION, state: 'en_construction' });
    const hidden = demo.admin.vanish(added.number, 'corbeille')!;
    expect(hidden).toMatchObject({ visible: false, hiddenReason: 'user_request', inCorbeille: false });
    const pending = await graphql<{
      demarche: { pendingDeletedDossiers: { nodes: Array<{ number: number; reason: string }> } };
    }>(demo, {
      query: `{ demarche(number: ${SUBVENTION}) { pendingDeletedDossiers { nodes { number reason } } } }`,
    });
    expect(pending.body.data!.demarche.pendingDeletedDossiers.nodes).toContainEqual({
      number: added.number,
      reason: 'user_request',
    });
    demo.clock.advance(13 * DAY);
    expect(demo.admin.dossier(added.number)).not.toBeNull();
    demo.clock.advance(2 * DAY);
    expect(demo.admin.dossier(added.number)).toBeNull();
    expect(demo.admin.deletedDossiers(SUBVENTION)).toContainEqual({
      number: added.number,
      demarche: SUBVENTION,
      state: 'en_construction',
      reason: 'user_request',
      deletedAt: hidden.hiddenByUserAt,
    });
  });

  it('the unit route repousser-expiration still answers, and clears a residual expired_at', async () => {
    const added = demo.admin.addDossier({
      demarche: SUBVENTION,
      state: 'en_construction',
      expiresAt: '2026-01-10T09:00:00+01:00',
      residualExpiredAt: true,
    });
    expect(added.expiredAt).not.toBeNull();
    const path = `/procedures/${SUBVENTION}/a-suivre/dossiers/${added.number}`;
    const page = await browser.page(path);
    const token = page.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
    const response = await browser.post(`${path}/repousser-expiration`, { authenticity_token: token });
    expect(response.status).toBe(302);
    expect(demo.admin.dossier(added.number)).toMatchObject({
      conservationExtensionMonths: 1,
      expiredAt: null,
      dateExpiration: null,
    });
  });
});
