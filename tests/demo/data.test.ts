import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../demo/server';
import { graphql, start } from './helpers';

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

  it('by default: 3 démarches with different retention, ~60 dossiers in every state and every expiry phase', async () => {
    const demo = await start();
    try {
      expect(
        demo.demarches.map((d) => [d.dureeConservationMonths, d.expiresWhenTermine, d.showsExpirationColumn]),
      ).toEqual([
        [12, true, true],
        [6, true, false],
        [24, false, true],
      ]);
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
      const expiring = all.filter((d) => d.visible && d.daysLeft !== null && d.state === 'en_construction');
      expect(expiring.some((d) => d.daysLeft! <= 14)).toBe(true);
      expect(expiring.some((d) => d.daysLeft! > 30 && d.daysLeft! <= 90)).toBe(true);
      expect(all.some((d) => d.inCorbeille && d.hiddenReason === 'expired')).toBe(true);
      expect(all.some((d) => d.inCorbeille && d.hiddenReason === 'instructeur_request')).toBe(true);
      expect(purged.some((d) => d.reason === 'expired')).toBe(true);
      // Past notices moved expired_at to two weeks after them.
      for (const d of all.filter((x) => x.noticeSentAt)) {
        expect(new Date(d.expiredAt!).getTime() - new Date(d.noticeSentAt!).getTime()).toBe(14 * 86_400_000);
      }
    } finally {
      await demo.close();
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
    });
    expect(parseDemoArgs([]).port).toBe(4000);
    expect(() => parseDemoArgs(['--dossiers', 'many'])).toThrow('--dossiers expects a non-negative integer');
  });
});
