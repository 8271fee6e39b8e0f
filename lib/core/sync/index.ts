import { db, type SyncProblem } from '@/lib/core/db';
import { notifyInstance } from '@/lib/core/notify';
import { readToken } from '@/lib/core/secrets';
import { isStorageFull } from '@/lib/core/storage-full';
import { syncApi } from '@/lib/core/sync/api-sync';
import { problemOf } from '@/lib/core/sync/errors';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { syncSession } from '@/lib/core/sync/session';
import { DsApiClient } from '@/lib/ds/api';
import { hasHostPermission } from '@/lib/platform/instance-scripts';
import { MAX_SYNC_RESUMES, syncUnderWay } from '@/lib/platform/scheduler';
import type { Settings } from '@/lib/platform/settings';
import { noteStorageFull, noteStorageWritten } from '@/lib/platform/storage-full';

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
  try {
    if (result.problem?.code !== 'storage-full') {
      await recordOutcome(result, now);
      await noteStorageWritten();
      await notifyInstance(origin, settings, now);
      return result;
    }
  } catch (error) {
    if (!isStorageFull(error)) throw error;
    result.problem = problemOf(error, now);
  }
  // The instance keeps its last status: a full storage is the browser's, told once for every instance.
  await noteStorageFull(now);
  return result;
}

async function recordOutcome(result: SyncResult, now: Date): Promise<void> {
  // The mode belongs to the token (saved or forgotten meanwhile, perhaps): an outcome of the other
  // mode is stale and must not overwrite the status.
  await db.transaction('rw', db.instances, async () => {
    if ((await db.instances.get(result.origin))?.mode !== result.mode) return;
    await db.instances.update(result.origin, {
      lastSyncRequests: result.requests,
      problem: result.problem,
      ...(result.problem && result.problem.code !== 'demarche-unauthorized' ? {} : { lastSyncAt: now.toISOString() }),
    });
  });
}

let running: Promise<SyncResult[]> | null = null;

/**
 * One sync at a time: a request during a sync waits for it instead of starting another. The run is
 * marked under way until it ends, so a worker stopped in the middle leaves a trace to resume from.
 */
export function syncAll(context: SyncContext, origins?: string[], resumes = 0): Promise<SyncResult[]> {
  running ??= (async () => {
    await syncUnderWay.start({ origins: origins ?? null, resumes });
    try {
      const targets = origins ?? (await db.instances.toCollection().primaryKeys());
      const results: SyncResult[] = [];
      for (const origin of targets) results.push(await syncInstance(origin, context));
      return results;
    } finally {
      // Reached unless the worker itself stopped: only then does the mark outlive the sync.
      await syncUnderWay.end();
    }
  })().finally(() => {
    running = null;
  });
  return running;
}

let queued: Promise<SyncResult[]> | null = null;
/** The instances the queued run syncs: every request's (null: all of them). */
let queuedOrigins: Set<string> | null = null;

/**
 * A sync that starts after this call, for the user's « Synchroniser maintenant »: one already running
 * may have begun before what they just changed (a token saved, an instance added, a sync started by
 * the first page of a new instance) and would answer for the old state. Its end is awaited, then one
 * run serves every request that came meanwhile, over every instance any of them asked for.
 */
export function syncAllAfterCurrent(context: SyncContext, origins?: string[]): Promise<SyncResult[]> {
  if (!running) return syncAll(context, origins);
  if (!queued) queuedOrigins = origins ? new Set(origins) : null;
  else if (queuedOrigins) {
    if (origins) for (const origin of origins) queuedOrigins.add(origin);
    else queuedOrigins = null;
  }
  queued ??= running
    .catch(() => undefined)
    .then(() => {
      const asked = queuedOrigins ? [...queuedOrigins] : undefined;
      queued = null;
      queuedOrigins = null;
      return syncAll(context, asked);
    });
  return queued;
}

/**
 * A sync whose worker the browser stopped (its mark outlived it) runs again: what it stored stays,
 * and the API walk goes on from its persisted cursors. Null when there is nothing to resume, this
 * worker's own sync is still running, or the sync was already resumed too often.
 */
export async function resumeInterruptedSync(context: SyncContext): Promise<SyncResult[] | null> {
  if (running) return null;
  const interrupted = await syncUnderWay.get();
  if (!interrupted) return null;
  if (interrupted.resumes >= MAX_SYNC_RESUMES) {
    await syncUnderWay.end();
    return null;
  }
  return syncAll(context, interrupted.origins ?? undefined, interrupted.resumes + 1);
}
