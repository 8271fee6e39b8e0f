import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/core/db';
import { fatesOf } from '@/lib/core/threat';
import { readLedger, summarizeLedger } from '@/lib/view/ledger';
import { popupView, readPopupSources } from '@/lib/view/popup';
import fixtureJson from '../fixtures/db/archiviste-v1.json';
import { type DatabaseFixture, restoreDatabase } from '../fixtures/db/db-fixture';

/**
 * Issue 12 §4: a database the first schema wrote (tests/fixtures/db/make-v1.ts) opens with today's
 * code with nothing lost, and today's screens read it.
 */
const fixture = fixtureJson as DatabaseFixture;
const NOW = new Date(fixture.madeAt);
const DS = 'https://demarche.numerique.gouv.fr';
const rowsOf = (store: string) => fixture.stores.find((s) => s.name === store)!.rows;

describe('upgrade from the first schema', () => {
  beforeEach(async () => {
    db.close({ disableAutoOpen: false });
    await restoreDatabase(fixture);
  });

  it('starts from a version-1 database holding every store of that version', () => {
    expect(fixture.version).toBe(10);
    expect(fixture.stores.map((s) => s.name).sort()).toEqual(
      ['demarches', 'dossiers', 'instances', 'ledger', 'notices', 'secrets', 'syncState'].sort(),
    );
  });

  it('keeps every row of every table', async () => {
    await db.open();
    expect(db.verno).toBe(2);
    for (const store of ['demarches', 'dossiers', 'syncState', 'notices', 'ledger', 'secrets']) {
      expect(await db.table(store).toArray(), store).toEqual(expect.arrayContaining(rowsOf(store)));
      expect(await db.table(store).count(), store).toBe(rowsOf(store).length);
    }
    // Instances keep every field; the one with a token gains the masked hint the options show.
    const instances = await db.instances.toArray();
    expect(instances).toEqual((rowsOf('instances') as { origin: string }[]).map((row) => expect.objectContaining(row)));
    expect((await db.instances.get(DS))!.tokenHint).toBe('••••••••8c9d');
    expect((await db.instances.get('https://www.demarches-simplifiees.fr'))!.tokenHint).toBeUndefined();
  });

  it('gives the same counts as the old rows mean: threatened, at risk, never deleted', async () => {
    const sources = await readPopupSources();
    const fates = new Map(
      fatesOf({ ...sources, dossiers: await db.dossiers.toArray() }, 30, NOW).map((f) => [f.dossier.number, f.fate]),
    );
    // Unwatched démarche 102: stored, never counted.
    expect(fates.has(2001)).toBe(false);
    expect(Object.fromEntries([...fates].map(([number, fate]) => [number, fate.timeline.phase]))).toEqual({
      1001: 'active',
      1002: 'notice',
      1003: 'active',
      1004: 'active',
      1005: 'corbeille',
      1006: 'never',
      1007: 'purged',
      // DS's own hosts run the June 2026 rules: en construction never expires, whatever the old row said.
      1008: 'never',
      31: 'notice',
      32: 'active',
      33: 'unknown',
    });
    expect(fates.get(1002)!.archive).toBe('saved');
    expect(fates.get(1003)!.archive).toBe('never'); // its only export was incomplete
    expect(fates.get(1004)!.archive).toBe('stale');
    // The corbeille's purge from the old row's date (no `purgeAt` then): 14 days later.
    expect(fates.get(1005)!.deadline!.toISOString()).toBe('2026-01-24T08:00:00.000Z');

    const view = popupView(sources, NOW, { unsavedOnly: false, leadTimeDays: 30 });
    expect(view.summary).toEqual({ leadTimeDays: 30, threatened: 5, atRisk: 4, neverExpire: 2 });
    expect(view.state).toBe('list');
    const listed = view.groups.flatMap((group) => group.rows.map((row) => row.number));
    expect(listed.sort()).toEqual([1001, 1002, 1003, 1004, 1005, 31, 32].sort());
    expect(view.unsaved).toBe(6);
  });

  it('lists the ledger as it was, complete and incomplete exports', async () => {
    const ledger = await readLedger();
    expect(ledger.map((row) => [row.dossier, row.format, row.missing.length])).toEqual([
      [1004, 'zip', 0],
      [1002, 'zip', 0],
      [1003, 'zip', 1],
      [1001, 'pdf', 0],
    ]);
    expect(summarizeLedger(ledger)).toEqual({ exports: 4, dossiers: 4, incomplete: 1 });
    // New entries follow the old ones.
    const id = await db.ledger.add({ ...ledger[0]!, id: undefined, at: NOW.toISOString() });
    expect(id).toBe(5);
  });

  it('opens the tables added since empty and usable', async () => {
    expect(await db.archiveJobs.count()).toBe(0);
    expect(await db.archiveTargets.count()).toBe(0);
    const id = await db.archiveJobs.add({
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      title: 'Test',
      selection: { kind: 'at-risk' },
      refs: [],
      partSize: 100,
      parts: [],
      state: 'new',
    });
    expect((await db.archiveJobs.get(id))!.state).toBe('new');
  });
});
