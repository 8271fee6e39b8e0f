import { describe, expect, it } from 'vitest';
import type { DossierSummary } from '../../demo/admin/admin';
import type { DemoInstance } from '../../demo/instance';
import { describeDemo, parseDemoArgs } from '../../demo/server';
import { graphql, start } from './helpers';

const DAY = 86_400_000;
const isTermine = (d: DossierSummary) => ['accepte', 'refuse', 'sans_suite'].includes(d.state);

/** What both rule sets share: 3 démarches, 60 dossiers, every state, terminé dossiers in every phase. */
function expectCommonPopulation(demo: DemoInstance): void {
  expect(demo.demarches.map((d) => [d.dureeConservationMonths, d.expiresWhenTermine, d.showsExpirationColumn])).toEqual(
    [
      [12, true, true],
      [6, true, false],
      [24, false, true],
    ],
  );
  const all = demo.admin.dossiers();
  const purged = demo.admin.deletedDossiers();
  expect(all.length + purged.length).toBe(60);
  for (const { number } of demo.demarches) {
    const states = new Set(
      demo.admin
        .dossiers({ demarche: number })
        .filter((d) => d.visible)
        .map((d) => d.state),
    );
    expect([...states].sort()).toEqual(['accepte', 'en_construction', 'en_instruction', 'refuse', 'sans_suite']);
  }
  // Terminé dossiers in every phase: notice sent, within 30 days, later, corbeille, purged.
  const termine = all.filter((d) => isTermine(d) && d.visible && d.daysLeft !== null);
  expect(termine.some((d) => d.noticeSentAt && d.daysLeft! <= 14)).toBe(true);
  expect(termine.some((d) => !d.noticeSentAt && d.daysLeft! > 14 && d.daysLeft! <= 30)).toBe(true);
  expect(termine.some((d) => d.daysLeft! > 30)).toBe(true);
  expect(all.some((d) => isTermine(d) && d.inCorbeille && d.hiddenReason === 'expired')).toBe(true);
  expect(all.some((d) => d.inCorbeille && d.hiddenReason === 'instructeur_request')).toBe(true);
  expect(purged.some((d) => d.reason === 'expired' && ['accepte', 'refuse', 'sans_suite'].includes(d.state))).toBe(
    true,
  );
  // Past notices moved expired_at to two weeks after them.
  for (const d of all.filter((x) => x.noticeSentAt)) {
    expect(new Date(d.expiredAt!).getTime() - new Date(d.noticeSentAt!).getTime()).toBe(14 * DAY);
  }
}

describe('generated data', () => {
  it('is deterministic for a seed and a date', async () => {
    const [a, b, c] = await Promise.all([start({ seed: 7 }), start({ seed: 7 }), start({ seed: 8 })]);
    try {
      expect(a.admin.dossiers()).toEqual(b.admin.dossiers());
      expect(a.admin.deletedDossiers()).toEqual(b.admin.deletedDossiers());
      expect(a.token).toBe(b.token);
      expect(a.admin.dossiers()).not.toEqual(c.admin.dossiers());
      const query = { query: `{ dossier(number: ${a.admin.dossiers()[0]!.number}) { champs { stringValue } } }` };
      expect((await graphql(a, query)).body).toEqual((await graphql(b, query)).body);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('by default (2026 rules): every state and phase; en construction dossiers past their old date, never expiring', async () => {
    const demo = await start();
    try {
      expect(demo.rules).toBe('2026');
      expectCommonPopulation(demo);
      const enConstruction = demo.admin.dossiers({ state: 'en_construction' });
      // Nothing expires them: every one is still listed, with no date for DS, none ever purged.
      expect(enConstruction.every((d) => d.visible && d.dateExpiration === null && d.daysLeft === null)).toBe(true);
      expect(enConstruction.every((d) => d.noticeSentAt === null && !d.inCorbeille)).toBe(true);
      expect(demo.admin.deletedDossiers().every((d) => d.state !== 'en_construction')).toBe(true);
      // Plenty whose old date (passage en construction + retention) is long past or within 30 days.
      const pastOldDate = demo.admin.dossiers({ state: 'en_construction', oldDaysLeftAtMost: 30 });
      expect(pastOldDate.length).toBeGreaterThanOrEqual(8);
      expect(pastOldDate.filter((d) => d.oldDaysLeft! < -30).length).toBeGreaterThanOrEqual(3);
      expect(pastOldDate.filter((d) => d.oldDaysLeft! >= 0 && d.oldDaysLeft! <= 14).length).toBeGreaterThanOrEqual(3);
      for (const demarche of demo.demarches) {
        expect(pastOldDate.some((d) => d.demarche === demarche.number && d.oldDaysLeft! < 0)).toBe(true);
      }
      // A good share keep a residual expired_at (their old date): past, within 30 days, later.
      const residual = enConstruction.filter((d) => d.expiredAt !== null);
      expect(residual.length).toBeGreaterThanOrEqual(enConstruction.length / 2);
      for (const d of residual) expect(d.expiredAt).toBe(d.oldExpirationDate);
      expect(residual.some((d) => d.oldDaysLeft! < 0)).toBe(true);
      expect(residual.some((d) => d.oldDaysLeft! >= 0 && d.oldDaysLeft! <= 30)).toBe(true);
      expect(residual.some((d) => d.oldDaysLeft! > 30)).toBe(true);
      expect(enConstruction.some((d) => d.expiredAt === null)).toBe(true);
      // Some pages say « … il n’expirera pas », others nothing.
      expect(enConstruction.some((d) => d.neverExpiresLine)).toBe(true);
      expect(enConstruction.some((d) => !d.neverExpiresLine)).toBe(true);
    } finally {
      await demo.close();
    }
  });

  it('under the 2025 rules: en construction dossiers expire too, in every phase', async () => {
    const demo = await start({ rules: '2025' });
    try {
      expect(demo.rules).toBe('2025');
      expectCommonPopulation(demo);
      const all = demo.admin.dossiers();
      const expiring = all.filter((d) => d.visible && d.daysLeft !== null && d.state === 'en_construction');
      expect(expiring.some((d) => d.daysLeft! <= 14)).toBe(true);
      expect(expiring.some((d) => d.daysLeft! > 30 && d.daysLeft! <= 90)).toBe(true);
      expect(all.some((d) => d.state === 'en_construction' && d.inCorbeille && d.hiddenReason === 'expired')).toBe(
        true,
      );
      for (const d of all.filter((x) => x.state === 'en_construction' && !x.noticeSentAt)) {
        expect(d.dateExpiration).toBe(d.oldExpirationDate);
      }
      expect(all.every((d) => !d.neverExpiresLine)).toBe(true);
    } finally {
      await demo.close();
    }
  });

  it('keeps every other dossier the same under both rule sets', async () => {
    const [recent, older] = await Promise.all([start(), start({ rules: '2025' })]);
    try {
      const key = (d: DossierSummary) => `${d.demarche} ${d.state} ${d.usagerEmail} ${d.processedAt}`;
      const others = (demo: DemoInstance) =>
        demo.admin
          .dossiers()
          .filter((d) => d.state !== 'en_construction')
          .map((d) => [key(d), d.expiredAt, d.inCorbeille, d.noticeSentAt])
          .sort();
      expect(others(recent)).toEqual(others(older));
    } finally {
      await Promise.all([recent.close(), older.close()]);
    }
  });

  it('starts 10,000 dossiers fast and answers a page of 100 quickly', async () => {
    const started = performance.now();
    const demo = await start({ demarches: 1, dossiers: 10_000, attachmentKb: 200 });
    const startup = performance.now() - started;
    try {
      expect(startup).toBeLessThan(10_000);
      const begin = performance.now();
      const { body } = await graphql<{ demarche: { dossiers: { nodes: unknown[] } } }>(demo, {
        query: `{ demarche(number: ${demo.demarches[0]!.number}) { dossiers(first: 100) { nodes { number dateExpiration
          champs { ... on PieceJustificativeChamp { files { byteSizeBigInt checksum url } } } } } } }`,
      });
      const page = performance.now() - begin;
      expect(body.data!.demarche.dossiers.nodes).toHaveLength(100);
      expect(page).toBeLessThan(5_000);
      console.info(
        `10,000 dossiers: started in ${startup.toFixed(0)} ms, first API page of 100 with checksums in ${page.toFixed(0)} ms`,
      );
    } finally {
      await demo.close();
    }
  });
});

describe('npm run demo:server arguments', () => {
  it('reads every documented option', () => {
    expect(
      parseDemoArgs([
        '--port',
        '4100',
        '--files-port',
        '4200',
        '--seed',
        'x',
        '--demarches',
        '2',
        '--dossiers',
        '10000',
        '--attachment-kb',
        '200',
        '--token',
        'abc',
        '--now',
        '2026-01-15T10:00:00+01:00',
        '--rules',
        '2025',
      ]),
    ).toEqual({
      port: 4100,
      filesPort: 4200,
      seed: 'x',
      demarches: 2,
      dossiers: 10_000,
      attachmentKb: 200,
      token: 'abc',
      now: '2026-01-15T10:00:00+01:00',
      rules: '2025',
    });
    expect(parseDemoArgs([]).port).toBe(4000);
    expect(parseDemoArgs([]).rules).toBeUndefined();
    expect(parseDemoArgs(['--rules', '2026']).rules).toBe('2026');
    expect(() => parseDemoArgs(['--dossiers', 'many'])).toThrow('--dossiers expects a non-negative integer');
    expect(() => parseDemoArgs(['--rules', '2024'])).toThrow('--rules expects 2026 or 2025, got "2024"');
  });

  it('prints the rules at start-up', async () => {
    const [recent, older] = await Promise.all([start({ dossiers: 3 }), start({ dossiers: 3, rules: '2025' })]);
    try {
      expect(describeDemo(recent)).toContain(
        'règles d’expiration : 2026 (DS depuis juin 2026 : les dossiers en construction n’expirent plus)',
      );
      expect(describeDemo(older)).toContain(
        'règles d’expiration : 2025 (DS avant juin 2026 : les dossiers en construction expirent aussi)',
      );
      const info = (await (await fetch(`${recent.url}/__demo`)).json()) as { rules: string };
      expect(info.rules).toBe('2026');
    } finally {
      await Promise.all([recent.close(), older.close()]);
    }
  });
});
