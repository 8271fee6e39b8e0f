import { db, type SyncStateRow } from '@/lib/core/db';
import { recordRulesEvidence } from '@/lib/core/instance-rules';
import { SyncError } from '@/lib/core/sync/errors';
import type { Observation } from '@/lib/core/sync/merge';
import { storeDemarches, storeObservations, watchedDemarches } from '@/lib/core/sync/store';
import type { DsApiClient, PollInput } from '@/lib/ds/api';
import { DemarcheUnauthorizedError } from '@/lib/ds/api-errors';
import { type DeletedDossierNode, type DossierNode, dossierLabel } from '@/lib/ds/queries';
import { CORBEILLE_DAYS, rulesShownByApi } from '@/lib/ds/rules';
import { addDays } from '@/lib/platform/time';

/**
 * API sync (admins with a token). Every poll walks all watched démarches in one aliased request,
 * incrementally: `updatedSince` stays fixed and the persisted cursor carries the progress, so a poll
 * where nothing changed costs one request. Because DS moves `dateExpiration` without touching
 * `updated_at`, each démarche is also scanned in full at most once a day; the very first walk (from
 * the epoch) is itself a full scan.
 */

/** The fixed start of every `updatedSince` walk: before DS existed, so the first walk sees everything. */
export const WALK_START = '2000-01-01T00:00:00.000Z';
const FULL_SCAN_EVERY_MS = 24 * 3_600_000;
/** Corbeille moves and purges are re-read with a day of overlap (idempotent), 30 days back at first. */
const DELETED_OVERLAP_DAYS = 1;
const FIRST_DELETED_LOOKBACK_DAYS = 30;

export interface ApiSyncResult {
  requests: number;
  dossiers: number;
  /** Watched démarches the token cannot read (reported, the others synced). */
  unauthorized: number[];
}

export function observationOfNode(node: DossierNode, demarche: number): Observation {
  return {
    number: node.number,
    demarche,
    state: node.state,
    label: dossierLabel(node),
    dateDepot: node.dateDepot,
    datePassageEnConstruction: node.datePassageEnConstruction,
    dateTraitement: node.dateTraitement ?? undefined,
    dateDerniereModification: node.dateDerniereModification,
    expiresAt: node.dateExpiration,
    expirySource: 'api',
    // A null `dateExpiration` is DS's answer "never" (en instruction, en construction since June 2026).
    neverExpires: node.dateExpiration === null,
    inCorbeille: false,
  };
}

/**
 * `pendingDeletedDossiers`: the corbeille. DS purges what its usager deleted 14 days later; what an
 * instructeur trashed stays until the usager deletes it too (expired dossiers are not listed here:
 * the daily scan finds them gone).
 */
async function storeCorbeille(origin: string, demarche: number, nodes: DeletedDossierNode[], at: string) {
  const observations = nodes.map(
    (n): Observation => ({
      number: n.number,
      demarche,
      state: n.state,
      inCorbeille: true,
      corbeilleSince: n.dateSupression,
      purgeAt: n.reason === 'user_request' ? addDays(new Date(n.dateSupression), CORBEILLE_DAYS).toISOString() : null,
    }),
  );
  await storeObservations(origin, observations, at);
}

/** `deletedDossiers`: purged for good; only the dossiers Archiviste followed matter. */
async function storePurged(origin: string, nodes: DeletedDossierNode[]) {
  const known = await db.dossiers.bulkGet(nodes.map((n) => [origin, n.number] as [string, number]));
  await db.dossiers.bulkUpdate(
    nodes
      .filter((_, i) => known[i])
      .map((n) => ({ key: [origin, n.number] as [string, number], changes: { deletedAt: n.dateSupression } })),
  );
}

async function syncStates(origin: string, numbers: number[]): Promise<Map<number, SyncStateRow>> {
  const rows = await db.syncState.bulkGet(numbers.map((n) => [origin, n] as [string, number]));
  return new Map(rows.filter((r): r is SyncStateRow => r !== undefined).map((r) => [r.demarche, r]));
}

/**
 * Dossiers DS no longer lists after a full scan went to its corbeille (or were purged): those no
 * reading has seen since the scan started (a resumed scan's pages were seen by the run that read them).
 */
async function markVanished(origin: string, demarche: number, scanStartedAt: string, now: Date): Promise<void> {
  const tracked = await db.dossiers.where('[origin+demarche]').equals([origin, demarche]).toArray();
  const vanished = tracked.filter(
    (d) => (!d.lastSeenAt || d.lastSeenAt < scanStartedAt) && !d.corbeilleSince && !d.deletedAt,
  );
  const at = now.toISOString();
  await db.dossiers.bulkUpdate(
    vanished.map((d) => ({
      key: [origin, d.number] as [string, number],
      // An expired dossier was hidden when its date passed; anything else, when we noticed.
      changes: { corbeilleSince: d.expiresAt && d.expiresAt < at ? d.expiresAt : at },
    })),
  );
}

/** Stores a page of the API's dossiers, and what they prove of the instance's expiry rules. */
async function storeNodes(origin: string, demarche: number, nodes: DossierNode[], at: string): Promise<number> {
  const shown = rulesShownByApi(nodes);
  if (shown) await recordRulesEvidence(origin, shown, at);
  return storeObservations(
    origin,
    nodes.map((n) => observationOfNode(n, demarche)),
    at,
  );
}

/**
 * The full scan of a démarche, page by page, its cursor saved after each: one the previous run left
 * half-way (token expired, worker stopped…) goes on from there if it started less than a day ago.
 */
async function fullScan(client: DsApiClient, origin: string, demarche: number, now: Date): Promise<void> {
  const at = now.toISOString();
  const state = await db.syncState.get([origin, demarche]);
  const resumable =
    !!state?.scanCursor &&
    !!state.scanStartedAt &&
    now.getTime() - Date.parse(state.scanStartedAt) < FULL_SCAN_EVERY_MS;
  const startedAt = resumable ? state.scanStartedAt! : at;
  for await (const page of client.scan(demarche, resumable ? state.scanCursor! : null)) {
    await storeNodes(origin, demarche, page.nodes, at);
    if (page.pageInfo.endCursor) {
      await db.syncState.update([origin, demarche], { scanCursor: page.pageInfo.endCursor, scanStartedAt: startedAt });
    }
  }
  await markVanished(origin, demarche, startedAt, now);
  await db.syncState.update([origin, demarche], { lastFullScanAt: at, scanCursor: null, scanStartedAt: null });
  await db.demarches.update([origin, demarche], { lastListedAt: at });
}

export async function syncApi(origin: string, client: DsApiClient, now: Date): Promise<ApiSyncResult> {
  const at = now.toISOString();
  const watched = await watchedDemarches(origin);
  if (watched.length === 0) return { requests: 0, dossiers: 0, unauthorized: [] };

  const unknownRetention = watched.filter((d) => d.retentionMonths == null).map((d) => d.number);
  const unauthorized = new Set<number>();
  if (unknownRetention.length > 0) {
    const { demarches, denied } = await client.describeDemarches(unknownRetention);
    await storeDemarches(
      origin,
      demarches.map((d) => ({ number: d.number, title: d.title, retentionMonths: d.dureeConservationDossiers })),
      at,
    );
    for (const d of denied) unauthorized.add(d.number);
  }

  const states = await syncStates(
    origin,
    watched.map((d) => d.number),
  );
  const inputs: PollInput[] = watched
    .filter((d) => !unauthorized.has(d.number))
    .map((d) => {
      const state = states.get(d.number);
      const deletedSince = state?.lastPollAt
        ? addDays(new Date(state.lastPollAt), -DELETED_OVERLAP_DAYS)
        : addDays(now, -FIRST_DELETED_LOOKBACK_DAYS);
      return {
        number: d.number,
        updatedSince: state?.updatedSince ?? WALK_START,
        after: state?.cursor ?? null,
        deletedSince: deletedSince.toISOString(),
      };
    });

  let dossiers = 0;
  for await (const round of client.poll(inputs)) {
    for (const denied of round.denied) unauthorized.add(denied.number);
    for (const result of round.demarches) {
      const number = result.number;
      if (result.dossiers) {
        dossiers += await storeNodes(origin, number, result.dossiers.nodes, at);
      }
      await storeCorbeille(origin, number, result.pendingDeleted?.nodes ?? [], at);
      await storePurged(origin, result.deleted?.nodes ?? []);
      // Persist progress before the next round; an empty page's null cursor never erases it.
      const previous = states.get(number);
      const cursor = result.dossiers?.pageInfo.endCursor ?? previous?.cursor ?? null;
      const row: SyncStateRow = {
        ...previous,
        origin,
        demarche: number,
        cursor,
        updatedSince: previous?.updatedSince ?? WALK_START,
      };
      states.set(number, row);
      await db.syncState.put(row);
    }
  }

  for (const input of inputs) {
    if (unauthorized.has(input.number)) continue;
    const state = states.get(input.number);
    if (!state?.lastFullScanAt) {
      // The walk from the epoch has now reached its end (perhaps over several interrupted runs): it
      // listed every dossier, a full scan in itself.
      await db.syncState.update([origin, input.number], { lastFullScanAt: at, lastPollAt: at });
      await db.demarches.update([origin, input.number], { lastListedAt: at });
      continue;
    }
    await db.syncState.update([origin, input.number], { lastPollAt: at });
    if (now.getTime() - Date.parse(state.lastFullScanAt) >= FULL_SCAN_EVERY_MS) {
      try {
        await fullScan(client, origin, input.number, now);
      } catch (error) {
        if (!(error instanceof DemarcheUnauthorizedError)) throw error;
        unauthorized.add(input.number);
      }
    }
  }
  if (unauthorized.size === watched.length) throw new SyncError('demarche-unauthorized', [...unauthorized].join(', '));
  return { requests: client.requests, dossiers, unauthorized: [...unauthorized] };
}
