import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { DossierState, ExpirySource } from '@/lib/ds/model';
import type { RuleSet, RulesEvidence } from '@/lib/ds/rules';
import type { ArchiveRef } from '@/lib/export/bulk/run-archive';
import type { ArchiveSelection } from './archive/selection';
import { maskToken } from './token-hint';

/**
 * Archiviste's database, owned by the extension origin: the background, the popup, the options and
 * export pages share it; content scripts cannot open it (their IndexedDB is the DS page's), which is
 * why the API token lives here and nowhere else.
 */

/** Why the last sync of an instance did not go through; the UI turns the code into French + a fix. */
export type ProblemCode =
  | 'token-expired' // 401 Token expired
  | 'network-forbidden' // 403 forbidden network: `detail` holds the address range DS asks to add
  | 'token-invalid' // 401/403 otherwise: wrong or revoked token
  | 'demarche-unauthorized' // the token cannot read a watched démarche (`detail`: its number)
  | 'logged-out' // token-less: DS answered with its sign-in page
  | 'unreachable' // network error (offline, DNS, connection refused)
  | 'too-slow' // no answer within the client's timeout, retried
  | 'redirected' // token-less: DS's page redirected to another origin (`detail`), which is never read
  | 'rate-limited' // 429, still limited after waiting
  | 'server-error' // 5xx after retries
  | 'permission-missing' // the optional host permission for this instance was not granted
  | 'storage-full' // the browser refused a database write for lack of space (never stored on an instance)
  | 'page-unrecognized'; // token-less: a DS page's markup is not the one Archiviste reads (`detail`: why, in English)

export interface SyncProblem {
  code: ProblemCode;
  at: string;
  detail?: string;
}

export interface InstanceRow {
  /** `https://demarche.numerique.gouv.fr` */
  origin: string;
  name: string;
  addedAt: string;
  /** `api` while a token is stored for this instance, else `session` (the user's logged-in pages). */
  mode: 'api' | 'session';
  /** Masked end of the stored token, for display (the token itself is in `secrets`). */
  tokenHint?: string | null;
  lastSyncAt?: string;
  /** Requests the last sync sent (API or pages). */
  lastSyncRequests?: number;
  problem?: SyncProblem | null;
  /** E-mail of the instructeur last seen logged in. */
  user?: string;
  /** The expiry rules DS showed this instance runs, and since when (absent: no evidence yet). */
  rules?: { set: RuleSet; evidence: RulesEvidence; at: string } | null;
}

export interface DemarcheRow {
  origin: string;
  number: number;
  title: string;
  /** Watched démarches are synced and notified; discovered ones start watched. */
  watched: boolean;
  discoveredAt: string;
  /** False when processed dossiers are never deleted (no "expirants" tab); null when unknown. */
  expiresWhenTermine?: boolean | null;
  /** `dureeConservationDossiers`, months. */
  retentionMonths?: number | null;
  /** Last time its dossier list was read in full (API scan or list pages). */
  lastListedAt?: string;
}

export interface DossierRow {
  origin: string;
  number: number;
  demarche: number;
  state?: DossierState;
  /** Demandeur as shown by DS (untrusted text). */
  label?: string;
  dateDepot?: string;
  datePassageEnConstruction?: string;
  dateTraitement?: string;
  dateDerniereModification?: string;
  /** When DS will delete it (its `expired_at`); null when it never expires or is unknown. */
  expiresAt: string | null;
  expirySource: ExpirySource | null;
  /** When `expiresAt` was last read from DS. */
  expiryCheckedAt?: string;
  neverExpires?: boolean;
  /** In DS's corbeille since this time (restorable until purged, 14 days later). */
  corbeilleSince?: string | null;
  /**
   * When DS purges it from the corbeille, when known; null when no purge is scheduled (trashed by an
   * instructeur only). Absent: `corbeilleSince` + 14 days, DS's rule for expired dossiers.
   */
  purgeAt?: string | null;
  /** Purged by DS (seen in `deletedDossiers` or gone from every list). */
  deletedAt?: string | null;
  lastSeenAt: string;
  /** Last time Archiviste saved it (see the ledger). */
  archivedAt?: string | null;
}

export interface SyncStateRow {
  origin: string;
  demarche: number;
  /** Relay cursor of the incremental `updatedSince` walk; never reset to null once set. */
  cursor: string | null;
  updatedSince: string | null;
  lastFullScanAt?: string;
  lastPollAt?: string;
  /** The daily full scan under way: the cursor after its last stored page, and when it started. */
  scanCursor?: string | null;
  scanStartedAt?: string | null;
}

export interface NoticeRow {
  /** `${origin}|${dossier}|${threshold}|${expiresAt}`: one notice per dossier, threshold and date. */
  key: string;
  origin: string;
  demarche: number;
  dossier: number;
  /** Days-ahead threshold crossed (30, 7, 1…), or 0 for "moved to the corbeille". */
  threshold: number;
  expiresAt: string;
  sentAt: string;
  notificationId: string;
}

export interface LedgerFile {
  name: string;
  size: number;
  /** Base64 MD5, when DS gave one and it was verified. */
  checksum?: string;
}

export interface LedgerRow {
  id?: number;
  origin: string;
  demarche: number;
  dossier: number;
  at: string;
  format: 'zip' | 'pdf' | 'csv' | 'xlsx' | 'ods' | 'json';
  /** The file the user got. */
  fileName: string;
  files: LedgerFile[];
  /** What could not be saved, and why: partial archives are never silent. */
  missing: { name: string; reason: string }[];
}

export interface SecretRow {
  origin: string;
  token: string;
  savedAt: string;
}

/** One part of a bulk archive, on disk: the dossiers it holds are recorded in the ledger. */
export interface ArchivePartRow {
  name: string;
  origin: string;
  demarche: number;
  dossiers: number[];
  /** Dossiers DS could not give at all (listed in the part's inventory). */
  failed: number[];
  bytes: number;
  missingFiles: number;
  writtenAt: string;
}

/** A bulk archive: what it holds, frozen when asked, and the parts written so far. */
export interface ArchiveJobRow {
  id?: number;
  createdAt: string;
  updatedAt: string;
  /** What the user asked for, in the UI's language at the time. */
  title: string;
  selection: ArchiveSelection;
  refs: ArchiveRef[];
  /** A ZIP every this many dossiers (and one per démarche). */
  partSize: number;
  parts: ArchivePartRow[];
  /** `done`: every dossier is in a written part; the others can be resumed. */
  state: 'new' | 'running' | 'paused' | 'stopped' | 'done';
}

/**
 * Where the export page writes an archive (a directory the user chose through the File System
 * Access API). Written by the export page only, since a handle cannot cross a message.
 */
export interface ArchiveTargetRow {
  job: number;
  handle: FileSystemDirectoryHandle;
}

export class ArchivisteDB extends Dexie {
  instances!: EntityTable<InstanceRow, 'origin'>;
  demarches!: Dexie.Table<DemarcheRow, [string, number]>;
  dossiers!: Dexie.Table<DossierRow, [string, number]>;
  syncState!: Dexie.Table<SyncStateRow, [string, number]>;
  notices!: EntityTable<NoticeRow, 'key'>;
  ledger!: EntityTable<LedgerRow, 'id'>;
  secrets!: EntityTable<SecretRow, 'origin'>;
  archiveJobs!: EntityTable<ArchiveJobRow, 'id'>;
  archiveTargets!: EntityTable<ArchiveTargetRow, 'job'>;

  constructor(name = 'archiviste') {
    super(name);
    this.version(1).stores({
      instances: 'origin',
      demarches: '[origin+number], origin',
      dossiers: '[origin+number], [origin+demarche], expiresAt, archivedAt',
      syncState: '[origin+demarche]',
      notices: 'key, [origin+dossier], sentAt',
      ledger: '++id, [origin+dossier], at',
      secrets: 'origin',
    });
    // Bulk archives (issue 11): new tables only. Rows of version 1 keep their shapes: fields added
    // since are optional and read as "not known yet", except the one below.
    this.version(2).stores({ archiveJobs: '++id, createdAt', archiveTargets: 'job' }).upgrade(fillTokenHints);
  }
}

/**
 * The first schema's instances had no `tokenHint`: without it the options page says no token is
 * stored while the background syncs with one. The hint comes from the stored token itself.
 */
async function fillTokenHints(tx: Transaction): Promise<void> {
  const tokens = new Map((await tx.table<SecretRow>('secrets').toArray()).map((row) => [row.origin, row.token]));
  await tx
    .table<InstanceRow>('instances')
    .toCollection()
    .modify((instance) => {
      const token = tokens.get(instance.origin);
      if (instance.mode === 'api' && token && !instance.tokenHint) instance.tokenHint = maskToken(token);
    });
}

export const db = new ArchivisteDB();
