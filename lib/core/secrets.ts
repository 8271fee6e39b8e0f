import { db } from '@/lib/core/db';
import { maskToken } from '@/lib/core/token-hint';

/**
 * API tokens. They live only in the extension origin's IndexedDB: unreachable from content scripts
 * (whose IndexedDB is the DS page's) and from `storage.local` readers. Only the background reads
 * them back, to call its own instance's API; the UI only ever sees a masked hint.
 */

export async function saveToken(origin: string, token: string, at: Date): Promise<string> {
  const trimmed = token.trim();
  if (!trimmed)
    // The options page never sends an empty token (it saves none then): a caller's mistake, not the user's.
    throw new Error('Empty token');
  await db.transaction('rw', db.secrets, db.instances, async () => {
    await db.secrets.put({ origin, token: trimmed, savedAt: at.toISOString() });
    await db.instances.update(origin, { mode: 'api', tokenHint: maskToken(trimmed), problem: null });
  });
  return maskToken(trimmed);
}

export async function forgetToken(origin: string): Promise<void> {
  await db.transaction('rw', db.secrets, db.instances, async () => {
    await db.secrets.delete(origin);
    await db.instances.update(origin, { mode: 'session', tokenHint: null, problem: null });
  });
}

/** Background only. */
export async function readToken(origin: string): Promise<string | null> {
  return (await db.secrets.get(origin))?.token ?? null;
}
