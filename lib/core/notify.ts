import { browser } from 'wxt/browser';
import { type DemarcheRow, type DossierRow, db, type InstanceRow, type NoticeRow } from '@/lib/core/db';
import { fatesOf } from '@/lib/core/threat';
import { formatDate, t } from '@/lib/platform/i18n';
import type { Settings } from '@/lib/platform/settings';
import { addDays, parisDate } from '@/lib/platform/time';

/**
 * Digest notifications: one per démarche when its dossiers cross a threshold (D-30, D-7, D-1 by
 * default) and one when dossiers fall into DS's corbeille. Each dossier is notified at most once per
 * threshold and expiry date (a new date, after an extension, starts over). DS's two-week notice sets
 * `expired_at` to the notice time + 14 days, often the next day: that is no new date.
 */

/** Threshold 0 stands for "moved to the corbeille". */
export const CORBEILLE = 0;

export interface Digest {
  origin: string;
  demarche: number;
  title: string;
  /** The most urgent threshold crossed (days), or CORBEILLE. */
  threshold: number;
  count: number;
  notArchived: number;
  /** Earliest deletion date (or purge date for the corbeille digest). */
  earliest: Date;
  notices: Omit<NoticeRow, 'sentAt' | 'notificationId'>[];
}

/** Ascending thresholds, none beyond the lead time (which is always one). */
export function effectiveThresholds(settings: Pick<Settings, 'leadTimeDays' | 'thresholds'>): number[] {
  const set = new Set([
    ...settings.thresholds.filter((t) => t > 0 && t <= settings.leadTimeDays),
    settings.leadTimeDays,
  ]);
  return [...set].sort((a, b) => a - b);
}

export const noticeKey = (origin: string, dossier: number, threshold: number, date: Date) =>
  `${origin}|${dossier}|${threshold}|${parisDate(date)}`;

/** Pure: which digests this state of the database calls for, given the notices already sent. */
export function planDigests(input: {
  instance: InstanceRow;
  demarches: DemarcheRow[];
  dossiers: DossierRow[];
  sentKeys: ReadonlySet<string>;
  settings: Pick<Settings, 'leadTimeDays' | 'thresholds'>;
  now: Date;
}): Digest[] {
  const origin = input.instance.origin;
  const thresholds = effectiveThresholds(input.settings);
  const groups = new Map<string, Digest>();
  const rows = { instances: [input.instance], demarches: input.demarches, dossiers: input.dossiers };

  for (const { dossier, demarche, fate } of fatesOf(rows, input.settings.leadTimeDays, input.now)) {
    if (!fate.threatened || !fate.deadline || fate.daysLeft === null) continue;
    const corbeille = fate.timeline.phase === 'corbeille';
    const daysLeft = fate.daysLeft;
    const threshold = corbeille ? CORBEILLE : thresholds.find((t) => daysLeft <= t);
    const date = fate.deadline;
    if (threshold === undefined) continue;
    const key = noticeKey(origin, dossier.number, threshold, date);
    const dayBefore = noticeKey(origin, dossier.number, threshold, addDays(date, -1));
    if (input.sentKeys.has(key) || input.sentKeys.has(dayBefore)) continue;

    const group = `${dossier.demarche}|${threshold === CORBEILLE ? 'corbeille' : 'expiry'}`;
    const digest = groups.get(group) ?? {
      origin,
      demarche: dossier.demarche,
      title: demarche?.title || t('common_demarche_number', dossier.demarche),
      threshold,
      count: 0,
      notArchived: 0,
      earliest: date,
      notices: [],
    };
    digest.threshold = threshold === CORBEILLE ? CORBEILLE : Math.min(digest.threshold, threshold);
    digest.count += 1;
    if (fate.archive !== 'saved') digest.notArchived += 1;
    if (date < digest.earliest) digest.earliest = date;
    digest.notices.push({
      key,
      origin,
      demarche: dossier.demarche,
      dossier: dossier.number,
      threshold,
      expiresAt: date.toISOString(),
    });
    groups.set(group, digest);
  }
  return [...groups.values()].sort((a, b) => a.earliest.getTime() - b.earliest.getTime());
}

export function digestText(digest: Digest): { title: string; message: string } {
  const one = digest.count === 1 ? 'One' : 'Many';
  const message =
    digest.threshold === CORBEILLE
      ? t(`notify_corbeille${one}`, digest.count, formatDate(digest.earliest))
      : t(`notify_expiry${one}`, digest.count, digest.threshold, formatDate(digest.earliest));
  const archived =
    digest.notArchived === 0
      ? t('notify_allArchived')
      : t(digest.notArchived === 1 ? 'notify_notArchivedOne' : 'notify_notArchivedMany', digest.notArchived);
  return { title: digest.title, message: `${message} ${archived}` };
}

const NOTIFICATION_PREFIX = 'archiviste';

/** The démarche list a notification opens: the corbeille tab for corbeille digests. */
export function parseNotificationId(id: string): { origin: string; demarche: number; corbeille: boolean } | null {
  const [prefix, kind, origin, demarche] = id.split('|');
  if (prefix !== NOTIFICATION_PREFIX || !origin || !demarche) return null;
  return { origin, demarche: Number(demarche), corbeille: kind === 'corbeille' };
}

/** Shows the digests and records their notices, so the next sync does not repeat them. */
export async function sendDigests(digests: Digest[], now: Date): Promise<number> {
  for (const digest of digests) {
    const kind = digest.threshold === CORBEILLE ? 'corbeille' : `j${digest.threshold}`;
    const id = [NOTIFICATION_PREFIX, kind, digest.origin, digest.demarche, now.getTime()].join('|');
    const { title, message } = digestText(digest);
    await browser.notifications.create(id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title,
      message,
      priority: digest.threshold <= 7 ? 2 : 0,
    });
    const sentAt = now.toISOString();
    await db.notices.bulkPut(digest.notices.map((n) => ({ ...n, sentAt, notificationId: id })));
  }
  return digests.length;
}

/** Plans and sends what an instance's current data calls for. */
export async function notifyInstance(origin: string, settings: Settings, now: Date): Promise<number> {
  const [instance, demarches, dossiers, sent] = await Promise.all([
    db.instances.get(origin),
    db.demarches.where('origin').equals(origin).toArray(),
    db.dossiers.where('[origin+demarche]').between([origin, -Infinity], [origin, Infinity]).toArray(),
    db.notices.where('[origin+dossier]').between([origin, -Infinity], [origin, Infinity]).primaryKeys(),
  ]);
  if (!instance) return 0;
  const digests = planDigests({ instance, demarches, dossiers, sentKeys: new Set(sent), settings, now });
  return sendDigests(digests, now);
}
