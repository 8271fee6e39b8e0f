import { db } from '@/lib/core/db';

/** The user's choice of démarches to watch (options page, through the background). */
export async function setWatched(origin: string, number: number, watched: boolean): Promise<void> {
  const updated = await db.demarches.update([origin, number], { watched: watched === true });
  if (updated === 0) throw new Error(`Unknown démarche ${number} on ${origin}`);
}
