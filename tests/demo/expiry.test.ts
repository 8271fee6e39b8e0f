import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import type { RuleSet } from '../../demo/rules/expiry';
import { Browser, graphql, start } from './helpers';

/**
 * DS's expiry lifecycle on the demo clock: the two-week notice (which moves `dateExpiration` but
 * not `updated_at`), the move to the corbeille, the purge into `deletedDossiers`. Terminé dossiers
 * follow the same rules under both rule sets; en construction ones expire under the 2025 rules only
 * (the 2026 side is in rules.test.ts).
 */
describe.each<RuleSet>(['2026', '2025'])('expiry rules and daily jobs (%s rules)', (rules) => {
  let demo: DemoInstance;
  const SUBVENTION = 104532; // 12 months, expires processed dossiers
  const ECOLES = 110987; // never expires processed dossiers

  beforeEach(async () => {
    demo = await start({ dossiers: 0, rules });
  });
  afterEach(() => demo.close());

  const apiDossier = async (number: number) => {
    const { body } = await graphql<{ dossier: { dateExpiration: string | null; dateDerniereModification: string } }>(
      demo,
      {
        query: `{ dossier(number: ${number}) { dateExpiration dateDerniereModification } }`,
      },
    );
    return body;
  };
  const updatedSince = async (since: string) => {
    const { body } = await graphql<{ demarche: { dossiers: { nodes: Array<{ number: number }> } } }>(demo, {
      query: `{ demarche(number: ${SUBVENTION}) { dossiers(updatedSince: "${since}") { nodes { number } } } }`,
    });
    return body.data!.demarche.dossiers.nodes.map((n) => n.number);
  };

  // DS's en construction job, gone since June 2026.
  if (rules === '2025') {
    it('sends an en construction dossier’s D-14 notice at the 15:00 job: dateExpiration moves, updated_at does not', async () => {
      const added = demo.admin.addDossier({
        demarche: SUBVENTION,
        state: 'en_construction',
        expiresAt: '2026-03-01T11:05:00+01:00',
      });
      expect((await apiDossier(added.number)).data!.dossier.dateExpiration).toBe('2026-03-01T11:05:00+01:00');
      const updatedAt = added.updatedAt;

      demo.clock.set('2026-01-30T10:00:00+01:00'); // D-30
      expect(demo.admin.dossier(added.number)).toMatchObject({ daysLeft: 30, noticeSentAt: null });

      demo.clock.set('2026-02-15T14:59:00+01:00'); // D-14, before the en_construction job
      expect(demo.admin.dossier(added.number)!.noticeSentAt).toBeNull();
      demo.clock.set('2026-02-15T15:01:00+01:00');
      const noticed = demo.admin.dossier(added.number)!;
      expect(noticed.noticeSentAt).toBe(new Date('2026-02-15T15:00:00+01:00').toISOString());
      // expired_at = notice + 2 weeks: same day, the job's hour.
      expect((await apiDossier(added.number)).data!.dossier.dateExpiration).toBe('2026-03-01T15:00:00+01:00');
      expect(noticed.updatedAt).toBe(updatedAt);
      expect(await updatedSince(new Date(new Date(updatedAt).getTime() + 1).toISOString())).not.toContain(added.number);
    });

    it('resets dateExpiration to two weeks after a late notice', async () => {
      // Already inside the last two weeks without a notice (e.g. added, or retention just lowered).
      const added = demo.admin.addDossier({
        demarche: SUBVENTION,
        state: 'en_construction',
        expiresAt: '2026-01-18T09:00:00+01:00',
      });
      demo.clock.set('2026-01-15T15:30:00+01:00');
      expect((await apiDossier(added.number)).data!.dossier.dateExpiration).toBe('2026-01-29T15:00:00+01:00');
      expect(demo.admin.dossier(added.number)!.daysLeft).toBe(14);
    });
  }

  it('sends the D-14 notice of a processed dossier at the 01:00 job: dateExpiration moves, updated_at does not', async () => {
    const added = demo.admin.addDossier({
      demarche: SUBVENTION,
      state: 'refuse',
      expiresAt: '2026-03-01T00:30:00+01:00',
    });
    expect((await apiDossier(added.number)).data!.dossier.dateExpiration).toBe('2026-03-01T00:30:00+01:00');
    demo.clock.set('2026-02-15T00:59:00+01:00');
    expect(demo.admin.dossier(added.number)!.noticeSentAt).toBeNull();
    demo.clock.set('2026-02-15T01:01:00+01:00');
    const noticed = demo.admin.dossier(added.number)!;
    expect(noticed.noticeSentAt).toBe(new Date('2026-02-15T01:00:00+01:00').toISOString());
    expect((await apiDossier(added.number)).data!.dossier.dateExpiration).toBe('2026-03-01T01:00:00+01:00');
    expect(noticed.updatedAt).toBe(added.updatedAt);
    expect(await updatedSince(new Date(new Date(added.updatedAt).getTime() + 1).toISOString())).not.toContain(
      added.number,
    );
  });

  it('hides an expired dossier into the corbeille, then purges it two weeks later', async () => {
    const added = demo.admin.addDossier({
      demarche: SUBVENTION,
      state: 'accepte',
      expiresAt: '2026-01-20T11:00:00+01:00',
    });
    demo.clock.set('2026-01-16T02:00:00+01:00'); // the 01:00 job sent the notice
    expect(demo.admin.dossier(added.number)!.expiredAt).toBe(new Date('2026-01-30T01:00:00+01:00').toISOString());

    demo.clock.set('2026-01-30T12:00:00+01:00'); // expired this morning, not hidden yet
    expect(demo.admin.dossier(added.number)).toMatchObject({ visible: true, daysLeft: 0 });

    demo.clock.set('2026-01-31T01:30:00+01:00'); // the 01:00 job hid it
    expect(demo.admin.dossier(added.number)).toMatchObject({
      visible: false,
      inCorbeille: true,
      hiddenReason: 'expired',
    });
    expect((await apiDossier(added.number)).errors?.[0]?.message).toBe('Dossier not found');
    const pending = await graphql<{ demarche: { pendingDeletedDossiers: { nodes: Array<{ number: number }> } } }>(
      demo,
      {
        query: `{ demarche(number: ${SUBVENTION}) { pendingDeletedDossiers { nodes { number } } } }`,
      },
    );
    expect(pending.body.data!.demarche.pendingDeletedDossiers.nodes.map((n) => n.number)).not.toContain(added.number);
    expect(demo.admin.dossiers({ demarche: SUBVENTION, statut: 'supprimes' }).map((d) => d.number)).toContain(
      added.number,
    );

    demo.clock.set('2026-02-14T01:59:00+01:00');
    expect(demo.admin.dossier(added.number)).not.toBeNull();
    demo.clock.set('2026-02-14T02:01:00+01:00'); // the 02:00 purge
    expect(demo.admin.dossier(added.number)).toBeNull();
    const deleted = await graphql<{
      demarche: {
        deletedDossiers: { nodes: Array<{ number: number; reason: string; state: string; dateSupression: string }> };
      };
    }>(demo, {
      query: `{ demarche(number: ${SUBVENTION}) { deletedDossiers { nodes { number reason state dateSupression } } } }`,
    });
    expect(deleted.body.data!.demarche.deletedDossiers.nodes).toContainEqual({
      number: added.number,
      reason: 'expired',
      state: 'accepte',
      dateSupression: '2026-02-14T02:00:00+01:00',
    });
  });

  it('shows DS’s badges in the list: "Expire dans N J.", then "Suppression dans N J." in the corbeille', async () => {
    const added = demo.admin.addDossier({
      demarche: SUBVENTION,
      state: 'refuse',
      expiresAt: '2026-01-25T10:00:00+01:00',
    });
    const browser = new Browser(demo);
    await browser.signIn();
    const badges = async (statut: string) => {
      const page = await browser.page(`/procedures/${SUBVENTION}/${statut}`);
      return [...page.querySelectorAll(`#table-dossiers-row-${added.number} td.fr-cell--numeric .fr-badge`)].map(
        (b) => b.textContent,
      );
    };
    demo.clock.set('2026-01-16T08:00:00+01:00');
    expect(await badges('tous')).toEqual(['Expire dans 14 J.']);
    expect(await badges('expirant')).toEqual(['Expire dans 14 J.']);
    demo.clock.set('2026-01-27T08:00:00+01:00');
    expect(await badges('tous')).toEqual(['Expire dans 3 J.']);
    demo.clock.set('2026-02-02T08:00:00+01:00');
    expect(await badges('tous')).toEqual([]);
    expect(await badges('supprimes')).toEqual(['Suppression dans 12 J.']);
  });

  it('never deletes processed dossiers of a démarche that does not expire them, nor en instruction ones', async () => {
    const processed = demo.admin.addDossier({
      demarche: ECOLES,
      state: 'accepte',
      expiresAt: '2026-01-20T10:00:00+01:00',
    });
    const instruction = demo.admin.addDossier({ demarche: SUBVENTION, state: 'en_instruction' });
    demo.clock.advance(200 * 86_400_000);
    expect(demo.admin.dossier(processed.number)).toMatchObject({ visible: true, noticeSentAt: null });
    // The API still reports expired_at, in the past: DS does not expose the flag.
    expect((await apiDossier(processed.number)).data!.dossier.dateExpiration).toBe('2026-01-20T10:00:00+01:00');
    expect((await apiDossier(instruction.number)).data!.dossier.dateExpiration).toBeNull();
  });
});
