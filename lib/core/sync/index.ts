import { db, type SyncProblem } from '@/lib/core/db';
import { notifyInstance } from '@/lib/core/notify';
import { readToken } from '@/lib/core/secrets';
import { syncApi } from '@/lib/core/sync/api-sync';
import { problemOf } from '@/lib/core/sync/errors';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { syncSession } from '@/lib/core/sync/session';
import { DsApiClient } from '@/lib/ds/api';
import { hasHostPermission } from '@/lib/platform/instance-scripts';
import type { Settings } from '@/lib/platform/settings';

/**
 * Syncs every instance Archiviste knows, through the API when a token is stored and through the
 * user's logged-in pages otherwise; records the outcome (and any problem, in terms the UI can
 * explain) on the instance, then raises the notifications the fresh data calls for. A failure keeps
 * everything already stored.
 */

export interface SyncResult {
  origin: string;
  mode: 'api' | 'session';
  requests: number;
  dossiers: number;
  problem: SyncProblem | null;
}

export interface SyncContext {
  now: Date;
  settings: Settings;
  parse: PageParser;
  fetcher?: typeof fetch;
}

export async function syncInstance(origin: string, context: SyncContext): Promise<SyncResult> {
  const { now, settings } = context;
  const token = await readToken(origin);
  const mode = token ? 'api' : 'session';
  const result: SyncResult = { origin, mode, requests: 0, dossiers: 0, problem: null };
  // Every HTTP request counts, retries and failed runs included.
  let requests = 0;
  const base = context.fetcher ?? fetch;
  const fetcher: typeof fetch = (input, init) => {
    requests += 1;
    return base(input, init);
  };
  try {
    if (!(await hasHostPermission(origin))) {
      result.problem = { code: 'permission-missing', at: now.toISOString() };
    } else if (token) {
      const outcome = await syncApi(origin, new DsApiClient({ origin, token, fetch: fetcher }), now);
      result.dossiers = outcome.dossiers;
      if (outcome.unauthorized.length > 0) {
        result.problem = {
          code: 'demarche-unauthorized',
          at: now.toISOString(),
          detail: outcome.unauthorized.join(', '),
        };
      }
    } else {
      const outcome = await syncSession(origin, { ...context, fetcher, leadTimeDays: settings.leadTimeDays });
      result.dossiers = outcome.dossiers;
    }
  } catch (error) {
    result.problem = problemOf(error, now);
  }
  result.requests = requests;
  // The mode belongs to the token (saved or forgotten meanwhile, perhaps): an outcome of the other
  // mode is stale and must not overwrite the status.
  await db.transaction('rw', db.instances, async () => {
    if ((await db.instances.get(origin))?.mode !== mode) return;
    await db.instances.update(origin, {
      lastSyncRequests: result.requests,
      problem: result.problem,
      ...(result.problem && result.problem.code !== 'demarche-unauthorized' ? {} : { lastSyncAt: now.toISOString() }),
    });
  });
  await notifyInstance(origin, settings, now);
  return result;
}

let running: Promise<SyncResult[]> | null = null;

/** One sync at a time: a request during a sync waits for it instead of starting another. */
export function syncAll(context: SyncContext, origins?: string[]): Promise<SyncResult[]> {
  running ??= (async () => {
    const targets = origins ?? (await db.instances.toCollection().primaryKeys());
    const results: SyncResult[] = [];
    for (const origin of targets) results.push(await syncInstance(origin, context));
    return results;
  })().finally(() => {
    running = null;
  });
  return running;
}
