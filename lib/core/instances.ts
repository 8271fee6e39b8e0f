import { db, type InstanceRow } from '@/lib/core/db';
import { isSecureOrigin, KNOWN_INSTANCES } from '@/lib/ds/instances';

/** The DS instances the user works with: the known ones, plus those added from the options page. */

/** Normalises what a user types ("mes-demarches.gov.pf/", "https://x/procedures") to an origin. */
export function normaliseOrigin(input: string): string {
  const text = input.trim();
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  if (!isSecureOrigin(url)) {
    // Not shown as such: the options page checks the address first and says it in the user's language.
    throw new Error('An instance address must start with https://');
  }
  return url.origin;
}

export async function ensureInstance(origin: string, at: Date, name?: string): Promise<InstanceRow> {
  const existing = await db.instances.get(origin);
  if (existing) return existing;
  const row: InstanceRow = {
    origin,
    name: name ?? KNOWN_INSTANCES.find((i) => i.origin === origin)?.name ?? new URL(origin).host,
    addedAt: at.toISOString(),
    mode: 'session',
  };
  await db.instances.put(row);
  return row;
}

/** Forgets an instance and everything Archiviste stored about it (the archive ledger stays). */
export async function removeInstance(origin: string): Promise<void> {
  await db.transaction(
    'rw',
    [db.instances, db.secrets, db.demarches, db.dossiers, db.syncState, db.notices],
    async () => {
      await db.instances.delete(origin);
      await db.secrets.delete(origin);
      await db.demarches.where('origin').equals(origin).delete();
      await db.dossiers.where('[origin+demarche]').between([origin, -Infinity], [origin, Infinity]).delete();
      await db.syncState.where('[origin+demarche]').between([origin, -Infinity], [origin, Infinity]).delete();
      await db.notices.where('[origin+dossier]').between([origin, -Infinity], [origin, Infinity]).delete();
    },
  );
}
