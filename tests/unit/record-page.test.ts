import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/core/db';
import { observationOf, recordPageReport, sameOriginReport } from '@/lib/core/sync/record-page';
import type { PageReport } from '@/lib/ds/model';

const O = 'https://demarche.numerique.gouv.fr';
const report = (extra: Partial<PageReport> = {}): PageReport => ({
  origin: O,
  url: `${O}/procedures/7/tous`,
  seenAt: '2026-11-23T09:00:00.000Z',
  demarches: [{ number: 7, title: 'Aides au sport', expiresWhenTermine: true }],
  dossiers: [
    { number: 42, demarche: 7, state: 'accepte', expiresAt: '2026-12-01T00:00:00.000Z', expirySource: 'column' },
  ],
  list: { demarche: 7, statut: 'tous', page: 1, pageCount: 1 },
  user: 'agent@exemple.gouv.fr',
  ...extra,
});

describe('recordPageReport', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  it('stores the instance, its user, the démarche (watched) and the dossiers', async () => {
    expect(await recordPageReport(report())).toBe(1);
    expect(await db.instances.get(O)).toMatchObject({ origin: O, mode: 'session', user: 'agent@exemple.gouv.fr' });
    expect(await db.demarches.get([O, 7])).toMatchObject({
      title: 'Aides au sport',
      watched: true,
      expiresWhenTermine: true,
    });
    expect(await db.dossiers.get([O, 42])).toMatchObject({ expirySource: 'column', corbeilleSince: null });
  });

  it('keeps the user’s choice not to watch a démarche', async () => {
    await recordPageReport(report());
    await db.demarches.update([O, 7], { watched: false });
    await recordPageReport(report());
    expect((await db.demarches.get([O, 7]))?.watched).toBe(false);
  });

  it('turns the newest message a « Messagerie » tab shows after the save into a change: « à resauvegarder »', async () => {
    await recordPageReport(report());
    await db.dossiers.update([O, 42], { archivedAt: '2026-11-20T10:00:00.000Z' });
    const messagerie = (lastMessageAt: string) =>
      report({
        url: `${O}/procedures/7/tous/dossiers/42/messagerie`,
        list: undefined,
        dossiers: [{ number: 42, demarche: 7, state: 'accepte', lastMessageAt }],
      });
    await recordPageReport(messagerie('2026-11-19T16:12:00.000Z'));
    expect((await db.dossiers.get([O, 42]))?.dateDerniereModification).toBeUndefined();
    await recordPageReport(messagerie('2026-11-22T08:31:00.000Z'));
    expect(await db.dossiers.get([O, 42])).toMatchObject({
      archivedAt: '2026-11-20T10:00:00.000Z',
      dateDerniereModification: '2026-11-22T08:31:59.999Z',
    });
  });

  it('drops malformed entries (page data is untrusted)', async () => {
    const stored = await recordPageReport(
      report({
        demarches: [
          { number: -1, title: 'x' },
          { number: 7, title: 'ok' },
        ],
        dossiers: [
          { number: 1.5, demarche: 7 },
          { number: 43, demarche: Number.NaN },
          { number: 44, demarche: 7 },
        ],
      }),
    );
    expect(stored).toBe(1);
    expect(await db.demarches.count()).toBe(1);
  });
});

describe('observationOf', () => {
  it('marks rows of a normal list as out of the corbeille, and corbeille rows as in it', () => {
    const row = { number: 1, demarche: 7 };
    expect(observationOf(row, report()).inCorbeille).toBe(false);
    expect(
      observationOf(
        { ...row, inCorbeille: true },
        report({ list: { demarche: 7, statut: 'supprimes', page: 1, pageCount: 1 } }),
      ).inCorbeille,
    ).toBe(true);
    expect(observationOf(row, report({ list: undefined })).inCorbeille).toBeUndefined();
  });

  it('takes the purge day of corbeille rows, and the day DS hid them', () => {
    const corbeille = report({ list: { demarche: 7, statut: 'supprimes', page: 1, pageCount: 1 } });
    const row = { number: 1, demarche: 7, inCorbeille: true, purgeAt: '2026-11-30T23:00:00.000Z' };
    expect(observationOf(row, corbeille)).toMatchObject({
      inCorbeille: true,
      purgeAt: '2026-11-30T23:00:00.000Z',
      corbeilleSince: '2026-11-16T23:00:00.000Z',
    });
    const trashed = observationOf({ ...row, purgeAt: null }, corbeille);
    expect(trashed).toMatchObject({ inCorbeille: true, purgeAt: null });
    expect(trashed.corbeilleSince).toBeUndefined();
  });

  it('turns "il n’expirera pas" into a confirmed absence of date', () => {
    expect(observationOf({ number: 1, demarche: 7, neverExpires: true }, report())).toMatchObject({
      expiresAt: null,
      neverExpires: true,
      expirySource: 'page',
    });
  });
});

describe('sameOriginReport', () => {
  it('accepts a report only about the page’s own instance', () => {
    expect(sameOriginReport({ origin: O }, `${O}/procedures`)).toBe(true);
    expect(sameOriginReport({ origin: O }, 'https://evil.example/procedures')).toBe(false);
    expect(sameOriginReport({ origin: O }, undefined)).toBe(false);
    expect(sameOriginReport({ origin: O }, 'not a url')).toBe(false);
  });
});
