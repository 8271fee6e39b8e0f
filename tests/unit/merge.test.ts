import { describe, expect, it } from 'vitest';
import type { DossierRow } from '@/lib/core/db';
import { mergeDossier } from '@/lib/core/sync/merge';

const O = 'https://demarche.numerique.gouv.fr';
const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-23T10:00:00.000Z';
const base: DossierRow = {
  origin: O,
  number: 42,
  demarche: 7,
  state: 'accepte',
  label: 'Mairie de Nantes',
  expiresAt: '2026-12-23T01:00:00+01:00',
  expirySource: 'api',
  expiryCheckedAt: T1,
  lastSeenAt: T1,
};

describe('mergeDossier', () => {
  it('creates a row from a first observation', () => {
    const row = mergeDossier(O, undefined, { number: 1, demarche: 7, state: 'en_construction' }, T2);
    expect(row).toMatchObject({ number: 1, demarche: 7, state: 'en_construction', expiresAt: null, lastSeenAt: T2 });
  });

  it('is idempotent', () => {
    const obs = { number: 42, demarche: 7, expiresAt: '2026-12-23T01:00:00+01:00', expirySource: 'page' as const };
    const once = mergeDossier(O, base, obs, T2);
    expect(mergeDossier(O, once, obs, T2)).toEqual(once);
  });

  it('never erases what the observation does not show', () => {
    const row = mergeDossier(O, base, { number: 42, demarche: 7 }, T2);
    expect(row).toMatchObject({ label: 'Mairie de Nantes', expiresAt: base.expiresAt, expirySource: 'api' });
  });

  it('keeps the precise date when a coarser source shows the same day', () => {
    const row = mergeDossier(
      O,
      base,
      { number: 42, demarche: 7, expiresAt: '2026-12-23T00:00:00+01:00', expirySource: 'badge' },
      T2,
    );
    expect(row).toMatchObject({ expiresAt: base.expiresAt, expirySource: 'api', expiryCheckedAt: T2 });
  });

  it('takes a coarser source when DS moved the date to another day', () => {
    const row = mergeDossier(
      O,
      base,
      { number: 42, demarche: 7, expiresAt: '2027-01-23T00:00:00+01:00', expirySource: 'column' },
      T2,
    );
    expect(row).toMatchObject({ expiresAt: '2027-01-23T00:00:00+01:00', expirySource: 'column' });
  });

  it('voids the date when the state changes without a new one', () => {
    const row = mergeDossier(
      O,
      { ...base, state: 'en_construction' },
      { number: 42, demarche: 7, state: 'en_instruction' },
      T2,
    );
    expect(row).toMatchObject({ state: 'en_instruction', expiresAt: null, expirySource: null });
  });

  it('records DS saying there is no date', () => {
    const row = mergeDossier(
      O,
      base,
      { number: 42, demarche: 7, expiresAt: null, expirySource: 'page', neverExpires: true },
      T2,
    );
    expect(row).toMatchObject({ expiresAt: null, neverExpires: true, expiryCheckedAt: T2 });
  });

  it('tracks entry into and restoration from the corbeille', () => {
    const hidden = mergeDossier(O, base, { number: 42, demarche: 7, inCorbeille: true }, T2);
    expect(hidden.corbeilleSince).toBe(T2);
    expect(
      mergeDossier(O, hidden, { number: 42, demarche: 7, inCorbeille: true }, '2026-11-25T00:00:00Z').corbeilleSince,
    ).toBe(T2);
    expect(mergeDossier(O, hidden, { number: 42, demarche: 7, inCorbeille: false }, T2).corbeilleSince).toBeNull();
  });

  it('keeps the purge DS has in store for a corbeille dossier, and drops it on restoration', () => {
    const trashed = mergeDossier(O, base, { number: 42, demarche: 7, inCorbeille: true, purgeAt: null }, T2);
    expect(trashed.purgeAt).toBeNull();
    const later = mergeDossier(O, trashed, { number: 42, demarche: 7, inCorbeille: true }, T2);
    expect(later.purgeAt).toBeNull();
    expect(mergeDossier(O, later, { number: 42, demarche: 7, inCorbeille: false }, T2).purgeAt).toBeUndefined();
  });
});
