import { type DemarcheRow, db } from '@/lib/core/db';
import { mergeDossier, type Observation } from '@/lib/core/sync/merge';

/** Idempotent writes of what a sync or a page saw. */

export async function storeObservations(origin: string, observations: Observation[], seenAt: string): Promise<number> {
  if (observations.length === 0) return 0;
  return db.transaction('rw', db.dossiers, async () => {
    const existing = await db.dossiers.bulkGet(observations.map((o) => [origin, o.number] as [string, number]));
    const rows = observations.map((obs, i) => mergeDossier(origin, existing[i], obs, seenAt));
    await db.dossiers.bulkPut(rows);
    return rows.length;
  });
}

export type DemarcheFacts = Pick<DemarcheRow, 'number' | 'title'> &
  Partial<Pick<DemarcheRow, 'expiresWhenTermine' | 'retentionMonths' | 'lastListedAt'>>;

/** New démarches start watched; a known one keeps the user's choice. */
export async function storeDemarches(origin: string, demarches: DemarcheFacts[], seenAt: string): Promise<void> {
  if (demarches.length === 0) return;
  await db.transaction('rw', db.demarches, async () => {
    const existing = await db.demarches.bulkGet(demarches.map((d) => [origin, d.number] as [string, number]));
    await db.demarches.bulkPut(
      demarches.map((facts, i) => {
        const known = existing[i];
        const defined = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined && v !== ''));
        return {
          watched: true,
          discoveredAt: seenAt,
          ...known,
          ...defined,
          title: facts.title || known?.title || `Démarche n°${facts.number}`,
          origin,
          number: facts.number,
        };
      }),
    );
  });
}

export async function watchedDemarches(origin: string): Promise<DemarcheRow[]> {
  return (await db.demarches.where('origin').equals(origin).toArray()).filter((d) => d.watched);
}
