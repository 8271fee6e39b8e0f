/**
 * What tests and `npm start` users can do to the instance beyond DS's own interface: inspect
 * dossiers with their expiry state, add dossiers with given states and dates, make a dossier vanish,
 * mint scoped or expiring tokens, open a signed-in session. The HTTP admin endpoint (`/__demo/…`)
 * and the programmatic API (`DemoInstance.admin`) both call this.
 */
import type { ApiToken } from '../api/tokens';
import { generateToken } from '../api/tokens';
import type { DemoApp } from '../app';
import { buildDossier } from '../data/dossiers';
import { HOSTILE_FILENAMES } from '../data/hostile';
import { MAX_ATTACHMENT_KB } from '../data/messages';
import { type DeletedDossier, DOSSIER_STATES, type Dossier, type DossierState } from '../data/model';
import { SESSION_COOKIE } from '../http/session';
import { createRandom } from '../random';
import {
  effectiveExpiredAt,
  isInCorbeille,
  isVisibleByAdministration,
  isVisibleByUser,
  NOTICE_DAYS,
  noticeSentAt,
  oldRulesExpirationDate,
  updateExpiredAt,
} from '../rules/expiry';
import { isInStatut, type Statut } from '../rules/statuts';
import { addDays, parisDayNumber } from '../time';

/** A dossier as tests see it: dates as ISO strings (UTC), expiry state spelled out. */
export interface DossierSummary {
  number: number;
  demarche: number;
  state: DossierState;
  archived: boolean;
  followedByMe: boolean;
  deposeAt: string;
  enConstructionAt: string;
  enInstructionAt: string | null;
  processedAt: string | null;
  /** `updated_at`, what API `updatedSince` filters on. */
  updatedAt: string;
  /**
   * `expired_at` as stored (the list's "Date d’expiration" column). Under the 2026 rules an en
   * construction dossier may keep a residual value here that DS no longer reads.
   */
  expiredAt: string | null;
  /**
   * What the API returns as `dateExpiration`: null for dossiers that never expire (en instruction;
   * en construction under the 2026 rules).
   */
  dateExpiration: string | null;
  /** Paris calendar days from now to `dateExpiration` (DS's "Expire dans N J."). */
  daysLeft: number | null;
  /**
   * En construction only: its last passage en construction plus the retention, the date the 2025
   * rules expire it from (before any notice). Under the 2026 rules DS reads it nowhere.
   */
  oldExpirationDate: string | null;
  /** Paris calendar days from now to `oldExpirationDate` (negative once past). */
  oldDaysLeft: number | null;
  /** 2026 rules, en construction: the page says « Ce dossier est en construction, il n’expirera pas ». */
  neverExpiresLine: boolean;
  /** When DS's two-week notice was sent for the current state, if it was. */
  noticeSentAt: string | null;
  conservationExtensionMonths: number;
  /** Listed by the API and in the instructeur's tabs. */
  visible: boolean;
  /** In the `supprimes` tab (expired, or trashed by an instructeur). */
  inCorbeille: boolean;
  hiddenByExpiredAt: string | null;
  hiddenByAdministrationAt: string | null;
  hiddenByUserAt: string | null;
  hiddenReason: string | null;
  usagerEmail: string;
}

export interface DossierFilter {
  demarche?: number;
  state?: DossierState;
  /** Only dossiers listed in that instructeur tab (`tous`, `expirant`, `supprimes`…). */
  statut?: Statut;
  /**
   * Only en construction dossiers whose old date is at most that many days ahead (`30`: past or
   * within 30 days; the ones an extension running the 2025 rules would announce).
   */
  oldDaysLeftAtMost?: number;
}

export interface NewDossier {
  demarche: number;
  state: DossierState;
  /**
   * ISO instant the dossier should expire at (en_construction and terminé). Under the 2026 rules an
   * en construction dossier never expires: this is its old date (it passed en construction that many
   * months of retention earlier).
   */
  expiresAt?: string;
  deposeAt?: string;
  enInstructionAt?: string;
  processedAt?: string;
  followedByMe?: boolean;
  archived?: boolean;
  /** 2026 rules, en construction: keep the old date as a residual `expired_at` (default false). */
  residualExpiredAt?: boolean;
  /** 2026 rules, en construction: the page says « … il n’expirera pas » (default false: nothing). */
  neverExpiresLine?: boolean;
  /**
   * Exactly this many attachments, all in the démarche's first « pièce justificative » champ, and no
   * other file but an accepted dossier's attestation (default: drawn like the others, 1 to ~10).
   */
  attachments?: number;
  /** Their bytes in all, KiB, split unevenly over them (default: the instance's `--attachment-kb`). */
  attachmentKb?: number;
  /**
   * Filled by an ill-meaning usager (`data/hostile.ts`): markup and formulas in the demandeur's
   * names and text champs, a 1 MB textarea, a repetition row per hostile text, the hostile file
   * names in the first « pièce justificative » champ (`attachments` of them, all by default) and a
   * message with markup and a hostile attachment name.
   */
  hostile?: boolean;
}

/** A message its usager sends on a dossier, with a file if any (`kb`: its size, else a small PDF). */
export interface NewMessage {
  body: string;
  attachment?: { filename: string; kb?: number };
}

export interface TokenOptions {
  /** Démarches the token may read (default: all). */
  demarches?: number[];
  /** ISO instant the token expires at (checked against the demo clock). */
  expiresAt?: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const date = (value: string | undefined, field: string): Date | undefined => {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new Error(`Invalid date for ${field}: ${value}`);
  return parsed;
};

/** `attachments`/`attachmentKb` checked, as `Dossier.pieces`. */
function piecesOf(spec: NewDossier): Dossier['pieces'] {
  const count = spec.attachments ?? (spec.hostile ? HOSTILE_FILENAMES.length : undefined);
  if (count === undefined) {
    if (spec.attachmentKb !== undefined) throw new Error('attachmentKb needs attachments');
    return undefined;
  }
  const totalKb = spec.attachmentKb;
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new Error('attachments: 1 to 1000 files');
  if (totalKb !== undefined && !(Number.isFinite(totalKb) && totalKb >= 0)) {
    throw new Error('attachmentKb: a number of KiB');
  }
  return { count, totalKb };
}

export class Admin {
  private added = 0;

  constructor(private readonly app: DemoApp) {}

  summarize(dossier: Dossier): DossierSummary {
    const now = this.app.now();
    const { rules } = this.app.store;
    const notice = noticeSentAt(dossier, rules);
    const expiration = effectiveExpiredAt(dossier, rules);
    const oldDate = oldRulesExpirationDate(dossier, this.app.demarcheOf(dossier));
    return {
      number: dossier.number,
      demarche: dossier.demarche,
      state: dossier.state,
      archived: dossier.archived,
      followedByMe: dossier.followers.includes(this.app.account.email),
      deposeAt: dossier.deposeAt.toISOString(),
      enConstructionAt: dossier.enConstructionAt.toISOString(),
      enInstructionAt: iso(dossier.enInstructionAt),
      processedAt: iso(dossier.processedAt),
      updatedAt: dossier.updatedAt.toISOString(),
      expiredAt: iso(dossier.expiredAt),
      dateExpiration: iso(expiration),
      daysLeft: expiration ? parisDayNumber(expiration) - parisDayNumber(now) : null,
      oldExpirationDate: iso(oldDate),
      oldDaysLeft: oldDate ? parisDayNumber(oldDate) - parisDayNumber(now) : null,
      neverExpiresLine: rules === '2026' && dossier.state === 'en_construction' && dossier.neverExpiresLine,
      noticeSentAt: iso(notice),
      conservationExtensionMonths: dossier.conservationExtensionMonths,
      visible: isVisibleByAdministration(dossier),
      inCorbeille: isInCorbeille(dossier),
      hiddenByExpiredAt: iso(dossier.hiddenByExpiredAt),
      hiddenByAdministrationAt: iso(dossier.hiddenByAdministrationAt),
      hiddenByUserAt: iso(dossier.hiddenByUserAt),
      hiddenReason: dossier.hiddenReason,
      usagerEmail: dossier.usagerEmail,
    };
  }

  dossiers(filter: DossierFilter = {}): DossierSummary[] {
    const { store } = this.app;
    const now = this.app.now();
    const all = filter.demarche === undefined ? store.allDossiers() : store.dossiersOf(filter.demarche);
    const { oldDaysLeftAtMost } = filter;
    return all
      .filter((d) => !filter.state || d.state === filter.state)
      .filter(
        (d) =>
          !filter.statut ||
          isInStatut(filter.statut, d, store.demarcheOrThrow(d.demarche), this.app.account.email, now, store.rules),
      )
      .sort((a, b) => a.number - b.number)
      .map((d) => this.summarize(d))
      .filter((d) => oldDaysLeftAtMost === undefined || (d.oldDaysLeft !== null && d.oldDaysLeft <= oldDaysLeftAtMost));
  }

  dossier(number: number): DossierSummary | null {
    const dossier = this.app.store.dossier(number);
    return dossier ? this.summarize(dossier) : null;
  }

  /** Purged dossiers (`deleted_dossiers`), of one démarche or all. */
  deletedDossiers(demarche?: number): Array<Omit<DeletedDossier, 'deletedAt'> & { deletedAt: string }> {
    const demarches = demarche === undefined ? this.app.store.demarches.map((d) => d.number) : [demarche];
    return demarches.flatMap((n) =>
      this.app.store.deletedOf(n).map((d) => ({ ...d, deletedAt: d.deletedAt.toISOString() })),
    );
  }

  /** Adds a dossier with the given state and dates; DS's next daily jobs treat it like any other. */
  addDossier(spec: NewDossier): DossierSummary {
    const { store } = this.app;
    const demarche = store.demarche(spec.demarche);
    if (!demarche) throw new Error(`No démarche ${spec.demarche}`);
    if (!DOSSIER_STATES.includes(spec.state)) throw new Error(`Unknown state ${spec.state}`);
    this.added += 1;
    const dossier = buildDossier(
      {
        demarche,
        number: store.nextNumber(),
        state: spec.state,
        expiresAt: date(spec.expiresAt, 'expiresAt'),
        deposeAt: date(spec.deposeAt, 'deposeAt'),
        enInstructionAt: date(spec.enInstructionAt, 'enInstructionAt'),
        processedAt: date(spec.processedAt, 'processedAt'),
        followers: spec.followedByMe ? [this.app.account.email] : [],
        archived: spec.archived,
        residualExpiredAt: spec.residualExpiredAt,
        neverExpiresLine: spec.neverExpiresLine,
        pieces: piecesOf(spec),
        hostile: spec.hostile === true,
      },
      createRandom('admin', this.added),
      this.app.now(),
      store.rules,
    );
    // It appears now (a deposit or transition happening now, as far as DS's API can tell): DS sets
    // `updated_at` then, so incremental `updatedSince` clients see it.
    dossier.updatedAt = this.app.now();
    store.add(dossier);
    return this.summarize(dossier);
  }

  /**
   * Makes a dossier disappear now: into the corbeille (as DS's expiry does: hidden, purged two
   * weeks later) or straight into `deleted_dossiers` (as if the purge had run). Under the 2026
   * rules an en construction dossier cannot expire: its usager deletes it instead (`user_request`;
   * `corbeille`: gone from `dossiers`, listed by `pendingDeletedDossiers`, purged two weeks later).
   */
  vanish(number: number, into: 'corbeille' | 'deleted' = 'corbeille'): DossierSummary | null {
    const { store } = this.app;
    const { rules } = store;
    const dossier = store.dossier(number);
    if (!dossier) throw new Error(`No dossier ${number}`);
    const now = this.app.now();
    const deletedByUsager = dossier.state === 'en_construction' && rules === '2026';
    if (into === 'deleted') {
      store.purge(dossier, deletedByUsager ? 'user_request' : 'expired', now);
      return null;
    }
    if (deletedByUsager) {
      dossier.hiddenByUserAt = now;
      dossier.hiddenReason = 'user_request';
      dossier.updatedAt = now;
      return this.summarize(dossier);
    }
    if (dossier.state !== 'en_instruction' && !noticeSentAt(dossier, rules)) {
      const notice = addDays(now, -NOTICE_DAYS);
      if (dossier.state === 'en_construction') dossier.enConstructionNoticeSentAt = notice;
      else dossier.termineNoticeSentAt = notice;
      updateExpiredAt(dossier, store.demarcheOrThrow(dossier.demarche), rules);
    }
    dossier.hiddenByExpiredAt = now;
    dossier.hiddenReason = 'expired';
    dossier.updatedAt = now;
    dossier.expirantNotifiedAt = null;
    dossier.suppressionNotifiedAt = now;
    return this.summarize(dossier);
  }

  /**
   * The dossier's usager sends a message now, as on DS (`Users::DossiersController#create_commentaire`):
   * refused where DS's messagerie is closed (`Dossier#messagerie_available?`: hidden, deleted by its
   * usager, « à archiver »); it touches the dossier (`updated_at`, so the API's `updatedSince` sees
   * it) and gives its followers DS's « Message » news.
   */
  postMessage(number: number, message: NewMessage): DossierSummary {
    const dossier = this.app.store.dossier(number);
    if (!dossier) throw new Error(`No dossier ${number}`);
    if (typeof message.body !== 'string' || message.body.trim() === '') throw new Error('body: ne peut être vide');
    const { attachment } = message;
    if (attachment !== undefined) {
      if (typeof attachment.filename !== 'string' || attachment.filename.trim() === '') {
        throw new Error('attachment.filename: a file name');
      }
      const { kb } = attachment;
      if (kb !== undefined && !(Number.isFinite(kb) && kb >= 0 && kb <= MAX_ATTACHMENT_KB)) {
        throw new Error(`attachment.kb: 0 to ${MAX_ATTACHMENT_KB} KiB (DS's limit)`);
      }
    }
    if (!isVisibleByAdministration(dossier) || !isVisibleByUser(dossier) || dossier.archived) {
      throw new Error('Il n’est pas possible d’envoyer un message sur un dossier supprimé, à archiver ou en brouillon');
    }
    const now = this.app.now();
    this.app.postedMessages.post(dossier, now, { body: message.body, attachment });
    dossier.updatedAt = now;
    // `DossierNotification.create_notification(dossier, :message)`: for the instructeurs who follow it.
    if (dossier.followers.length > 0 && !dossier.news.includes('message')) dossier.news.push('message');
    return this.summarize(dossier);
  }

  /** A new API token in DS's format, optionally limited to some démarches or expiring. */
  createToken(options: TokenOptions = {}): ApiToken {
    const random = createRandom('token', this.app.now().getTime(), Math.random());
    return this.app.tokens.add(
      generateToken(random, options.demarches ?? null, date(options.expiresAt, 'expiresAt') ?? null),
    );
  }

  /** A signed-in session, as the `Cookie` header value to send (for tests that skip the sign-in form). */
  sessionCookie(): string {
    return `${SESSION_COOKIE}=${this.app.sessions.open(this.app.account.email).id}`;
  }
}
