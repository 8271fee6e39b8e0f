import { type DossierRow, db } from '@/lib/core/db';
import { observationOfNode } from '@/lib/core/sync/api-sync';
import { mergeDossier, type Observation } from '@/lib/core/sync/merge';
import { storeObservations } from '@/lib/core/sync/store';
import type { DossierState } from '@/lib/ds/model';
import type { DossierNode } from '@/lib/ds/queries';
import { type Benchmark, interleave, median, type Row, timed } from './harness';
import { NOW, resetDb } from './support';

/**
 * What storing 1,000 dossiers costs (`storeObservations`: read the stored rows, merge, write back,
 * in one transaction), against the least IndexedDB can do: one transaction of raw `put`s of the
 * same final rows, on the same fake-indexeddb database.
 */

const ORIGIN = 'https://demarche.numerique.gouv.fr';
const BATCH = 1_000;
const OTHERS = 10_000;
const RUNS = { warmup: 3, runs: 15 };
const STATES: DossierState[] = ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'];

/** An API node as DS sends it, deterministic in `number`. */
function node(number: number): DossierNode {
  const day = (offset: number) => new Date(Date.parse(NOW) + offset * 86_400_000).toISOString();
  const state = STATES[number % STATES.length]!;
  return {
    number,
    state,
    archived: false,
    dateDepot: day(-400 + (number % 300)),
    datePassageEnConstruction: day(-400 + (number % 300)),
    dateTraitement: state === 'accepte' || state === 'refuse' || state === 'sans_suite' ? day(-100) : null,
    dateDerniereModification: day(-50),
    dateExpiration: state === 'en_instruction' ? null : day(number % 200),
    usager: { email: `usager${number}@exemple.fr` },
    demandeur: { __typename: 'PersonnePhysique', nom: `Nom${number}`, prenom: 'Camille' },
    groupeInstructeur: { label: 'défaut' },
  };
}

const observations = (from: number, count: number, demarche: number): Observation[] =>
  Array.from({ length: count }, (_, i) => observationOfNode(node(from + i), demarche));

/** Raw IndexedDB: one read-write transaction, one `put` per row, nothing read first. */
async function rawPut(rows: readonly DossierRow[]): Promise<void> {
  const transaction = db.backendDB().transaction('dossiers', 'readwrite');
  const store = transaction.objectStore('dossiers');
  for (const row of rows) store.put(row);
  await new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

async function prefill(): Promise<void> {
  await resetDb();
  await storeObservations(ORIGIN, observations(1_000_000, OTHERS, 2), NOW);
}

/** Dossiers 1…1000 of démarche 1, removed so the next run inserts them afresh. */
const clearBatch = () => db.dossiers.where('[origin+demarche]').equals([ORIGIN, 1]).delete();

export const dexieWrites: Benchmark = {
  name: 'dexie',
  title: 'Dexie writes per 1,000 dossiers',
  run: async () => {
    const batch = observations(1, BATCH, 1);
    const rows = batch.map((obs) => mergeDossier(ORIGIN, undefined, obs, NOW));
    const rowOf = (label: string, samples: { measured: number[]; baseline: number[] }): Row => ({
      case: `Store 1,000 dossiers, ${label}`,
      measure: 'write time',
      unit: 'ms',
      archiviste: median(samples.measured),
      baseline: median(samples.baseline),
    });

    await resetDb();
    const firstInsert = await interleave(
      RUNS,
      async () => {
        await clearBatch();
        return (await timed(() => storeObservations(ORIGIN, batch, NOW))).ms;
      },
      async () => {
        await clearBatch();
        return (await timed(() => rawPut(rows))).ms;
      },
    );
    const rewrite = await interleave(
      RUNS,
      async () => (await timed(() => storeObservations(ORIGIN, batch, NOW))).ms,
      async () => (await timed(() => rawPut(rows))).ms,
    );
    await prefill();
    const crowded = await interleave(
      RUNS,
      async () => {
        await clearBatch();
        return (await timed(() => storeObservations(ORIGIN, batch, NOW))).ms;
      },
      async () => {
        await clearBatch();
        return (await timed(() => rawPut(rows))).ms;
      },
    );
    await resetDb();
    return {
      rows: [
        rowOf('first insert', firstInsert),
        rowOf('unchanged re-write', rewrite),
        rowOf(`first insert beside ${OTHERS.toLocaleString('en-US')} stored`, crowded),
      ],
      notes: [
        'Dexie writes — `storeObservations` (read, merge, write in one transaction) on fake-indexeddb; baseline: raw IndexedDB `put` of the same final rows in one transaction on the same database. fake-indexeddb is much slower than a browser’s IndexedDB: read the ratio, not the milliseconds.',
      ],
    };
  },
};
