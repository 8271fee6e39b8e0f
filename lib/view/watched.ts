import type { DemarcheRow } from '@/lib/core/db';
import { sendMessage } from '@/lib/platform/messages';

/** The démarches Archiviste follows: discovered from DS's pages, each one switched on or off by the user. */

export interface DemarcheGroup {
  origin: string;
  demarches: DemarcheRow[];
}

/** Démarches by instance, by number within each (the order DS lists them in). */
export function demarchesByInstance(demarches: readonly DemarcheRow[]): DemarcheGroup[] {
  const groups = new Map<string, DemarcheRow[]>();
  for (const demarche of [...demarches].sort((a, b) => a.number - b.number)) {
    groups.set(demarche.origin, [...(groups.get(demarche.origin) ?? []), demarche]);
  }
  return [...groups].map(([origin, rows]) => ({ origin, demarches: rows }));
}

/** The background owns the database: it stores the choice and updates the toolbar badge. */
export async function setWatched(origin: string, number: number, watched: boolean): Promise<void> {
  await sendMessage('set-watched', { origin, number, watched });
}
