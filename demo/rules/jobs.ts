/**
 * DS's daily expiry cron jobs (Paris time), applied to the demo's records:
 * - 01:00 `ExpiredDossiersTermineDeletionJob` and, under the 2025 rules only, 15:00
 *   `ExpiredDossiersEnConstructionDeletionJob` (`Expired::DossiersDeletionService`; DS removed the
 *   en construction one in June 2026): the two-week notice, the move to the corbeille two weeks
 *   after it, and the `dossier_expirant` notifications;
 * - 02:00 `DiscardedDossiersDeletionJob` (`Dossier.purge_discarded`): hidden dossiers older than two
 *   weeks become `deleted_dossiers` rows.
 * The instance replays every run a clock move or the passing time crossed, in order.
 */
import { type DeletionReason, type Demarche, type Dossier, isTermine } from '../data/model';
import { addDays, parisDayNumber, parisInstantOnDay } from '../time';
import {
  CORBEILLE_DAYS,
  isVisibleByAdministration,
  isVisibleByUser,
  NOTICE_DAYS,
  type RuleSet,
  updateExpiredAt,
} from './expiry';

export interface JobTarget {
  rules: RuleSet;
  dossiers(): Iterable<Dossier>;
  demarche(number: number): Demarche;
  /** Removes the dossier and records a `deleted_dossiers` row. */
  purge(dossier: Dossier, reason: DeletionReason, deletedAt: Date): void;
}

type StateGroup = 'en_construction' | 'termine';

const inGroup = (dossier: Dossier, group: StateGroup) =>
  group === 'termine' ? isTermine(dossier.state) : dossier.state === 'en_construction';

/** `visible_by_user_or_administration`, the base of every scope the expiry service uses. */
const isVisibleByUserOrAdministration = (dossier: Dossier) =>
  isVisibleByUser(dossier) || isVisibleByAdministration(dossier);

function noticeOf(dossier: Dossier, group: StateGroup): Date | null {
  return group === 'termine' ? dossier.termineNoticeSentAt : dossier.enConstructionNoticeSentAt;
}

function setNotice(dossier: Dossier, group: StateGroup, at: Date): void {
  if (group === 'termine') dossier.termineNoticeSentAt = at;
  else dossier.enConstructionNoticeSentAt = at;
}

/**
 * `process_expired_dossiers_<group>`: notices, then the move to the corbeille, then notifications.
 * DS runs each step over all dossiers in turn; no step reads another dossier, so one pass that applies
 * the three steps to each dossier gives the same result.
 */
function processExpired(target: JobTarget, group: StateGroup, now: Date): void {
  const noticeHorizon = addDays(now, NOTICE_DAYS);
  const expiredBefore = addDays(now, -NOTICE_DAYS);
  for (const dossier of target.dossiers()) {
    if (!inGroup(dossier, group) || !isVisibleByUserOrAdministration(dossier)) continue;
    // Most dossiers are far from expiry: nothing to do for them.
    if (!noticeOf(dossier, group) && (dossier.expiredAt === null || dossier.expiredAt > noticeHorizon)) continue;
    const demarche = target.demarche(dossier.demarche);
    const closeToExpiration = () =>
      dossier.expiredAt !== null &&
      dossier.expiredAt <= noticeHorizon &&
      (group === 'en_construction' || demarche.expiresWhenTermine);

    // send_expiration_notices: `update_all` + `update_column`, so `updated_at` does not move.
    if (closeToExpiration() && !noticeOf(dossier, group)) {
      setNotice(dossier, group, now);
      updateExpiredAt(dossier, demarche, target.rules);
    }
    // delete_expired_and_notify: `hide_and_keep_track!(:automatic, :expired)` is a regular update.
    const notice = noticeOf(dossier, group);
    if (notice && notice < expiredBefore) {
      dossier.hiddenByExpiredAt = now;
      dossier.hiddenReason = 'expired';
      dossier.updatedAt = now;
      dossier.expirantNotifiedAt = null;
      dossier.suppressionNotifiedAt = now;
      continue;
    }
    // update_notifications_dossiers_<group>: "Expire dans N J." for every dossier close to expiration.
    if (closeToExpiration() && !dossier.expirantNotifiedAt) dossier.expirantNotifiedAt = now;
  }
}

/** `Dossier.purge_discarded`. */
function purgeDiscarded(target: JobTarget, now: Date): void {
  const before = addDays(now, -CORBEILLE_DAYS);
  const olderThan = (date: Date | null) => date !== null && date < before;
  for (const dossier of [...target.dossiers()]) {
    const expired = olderThan(dossier.hiddenByExpiredAt);
    const enConstructionByUser = dossier.state === 'en_construction' && olderThan(dossier.hiddenByUserAt);
    const termineByBoth =
      isTermine(dossier.state) && olderThan(dossier.hiddenByUserAt) && olderThan(dossier.hiddenByAdministrationAt);
    if (!expired && !enConstructionByUser && !termineByBoth) continue;
    // DeletedDossier.create_from_dossier: an en_construction dossier deleted by its user keeps that date.
    const deletedAt =
      dossier.hiddenByUserAt && dossier.state === 'en_construction' ? dossier.hiddenByUserAt : new Date(now);
    target.purge(dossier, dossier.hiddenReason ?? 'expired', deletedAt);
  }
}

interface DailyJob {
  name: string;
  hour: number;
  /** The rule sets under which DS runs the job. */
  rules: readonly RuleSet[];
  run: (target: JobTarget, now: Date) => void;
}

const DAILY_JOBS: readonly DailyJob[] = [
  {
    name: 'expired_dossiers_termine',
    hour: 1,
    rules: ['2026', '2025'],
    run: (t, now) => processExpired(t, 'termine', now),
  },
  { name: 'discarded_dossiers_deletion', hour: 2, rules: ['2026', '2025'], run: purgeDiscarded },
  {
    name: 'expired_dossiers_en_construction',
    hour: 15,
    rules: ['2025'],
    run: (t, now) => processExpired(t, 'en_construction', now),
  },
];

/** Runs, in order, every daily job of the target's rules scheduled in `(from, to]`. */
export function runJobsBetween(target: JobTarget, from: Date, to: Date): void {
  const jobs = DAILY_JOBS.filter((job) => job.rules.includes(target.rules));
  for (let day = parisDayNumber(from); day <= parisDayNumber(to); day++) {
    for (const job of jobs) {
      const at = parisInstantOnDay(day, job.hour);
      if (at > from && at <= to) job.run(target, at);
    }
  }
}
