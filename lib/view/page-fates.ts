import { db } from '@/lib/core/db';
import { type DossierFate, type Fate, fatesOf } from '@/lib/core/threat';
import type { ExpirySource } from '@/lib/ds/model';
import { dossierListUrl } from '@/lib/ds/routes';
import { formatDate, formatDayMonth, t } from '@/lib/platform/i18n';
import { parisDate } from '@/lib/platform/time';
import { upcomingRows } from '@/lib/view/upcoming';
import { weeklyDeletions } from '@/lib/view/weekly-chart';

/**
 * What the features injected in DS's pages show, computed by the background from its database
 * through the same fates as the toolbar badge and the popup, and sent ready to display: texts in
 * the user's language, so the content script carries no translations and no rules.
 */

/** DSFR badge colours: more than 30 days neutral, 30 or less warning, 7 or less error. */
export type CountdownTone = 'neutral' | 'warning' | 'error' | 'info';

export interface CountdownView {
  number: number;
  /** « Supprimé dans 23 j », « N’expire pas », « Corbeille : purge le 12/12 ». */
  text: string;
  /** « estimation » when Archiviste computed the date; empty otherwise. */
  estimate: string;
  /** The tooltip and accessible description: exact date, where it comes from, archive state. */
  description: string;
  tone: CountdownTone;
  /** Paris date (YYYY-MM-DD) of the deadline (the purge once in the corbeille), or `none`. */
  expiresAt: string;
  /** Paris calendar days until it, or null. */
  daysLeft: number | null;
  /** `api`, `page` or `estimate`; empty when DS gives no date (it will not be deleted). */
  source: 'api' | 'page' | 'estimate' | '';
  /** ISO date of the last complete save, or empty. */
  savedAt: string;
}

export interface WeekView {
  /** « 04/12 – 10/12 ». */
  label: string;
  total: number;
  unsaved: number;
}

export interface DemarcheBannerView {
  number: number;
  threatened: number;
  atRisk: number;
  /** « 12 dossiers supprimés d’ici 30 jours, dont 9 non sauvegardés — le premier le 04/12 », or none. */
  text: string;
  /** « 9 à sauvegarder d’ici 30 j », for the démarche's card on « Démarches ». */
  cardText: string;
  weeks: WeekView[];
  /** « Archiviste »: the notice says whose it is, not DS's. */
  title: string;
  chartLabel: string;
  /** The chart's table headers (week, dossiers, not saved) and its legend (not saved, saved). */
  chartColumns: [string, string, string];
  legend: { unsaved: string; saved: string };
  expirantUrl: string;
  expirantLink: string;
  /**
   * The button that archives the `atRisk` dossiers (« Sauvegarder ces 9 dossiers »), and what it says
   * while the archive starts, once it opened, or when it could not start; null when none is at risk.
   */
  save: { label: string; busy: string; opened: string; failed: string } | null;
}

export interface PageFates {
  dossiers: CountdownView[];
  demarches: DemarcheBannerView[];
}

const WEB_SOURCE: Record<ExpirySource, CountdownView['source']> = {
  api: 'api',
  page: 'page',
  column: 'page',
  badge: 'page',
  estimate: 'estimate',
};

function toneOf(fate: Fate): CountdownTone {
  if (fate.timeline.phase === 'never') return 'info';
  if (fate.timeline.phase === 'corbeille') return 'error';
  if (fate.daysLeft === null) return 'neutral';
  if (fate.daysLeft <= 7) return 'error';
  return fate.daysLeft <= 30 ? 'warning' : 'neutral';
}

function countdownText(fate: Fate): string {
  const { phase } = fate.timeline;
  if (phase === 'never') return t('page_never_expires');
  if (phase === 'purged') return t('page_purged');
  if (phase === 'corbeille') {
    return fate.deadline ? t('page_corbeille_purge', formatDayMonth(fate.deadline)) : t('page_corbeille_kept');
  }
  if (fate.daysLeft === null) return t('page_unknown');
  return fate.daysLeft === 0 ? t('page_deleted_today') : t('page_deleted_in', fate.daysLeft);
}

const SOURCE_TEXT = {
  api: 'page_source_api',
  page: 'page_source_page',
  estimate: 'page_source_estimate',
} as const;

function countdownOfFate({ dossier, fate }: DossierFate): CountdownView {
  const source = fate.deadline && fate.timeline.source ? WEB_SOURCE[fate.timeline.source] : '';
  const saved = fate.archive === 'saved' && dossier.archivedAt ? dossier.archivedAt : '';
  const parts: string[] = [];
  if (fate.deadline) {
    const key = fate.timeline.phase === 'corbeille' ? 'common_purge_on' : 'common_deletion_on';
    parts.push(t(key, formatDate(fate.deadline)));
  } else {
    parts.push(countdownText(fate));
  }
  if (source) parts.push(t(SOURCE_TEXT[source]));
  parts.push(
    saved
      ? t('common_saved_on', formatDate(new Date(saved)))
      : t(fate.archive === 'stale' ? 'common_changed_since_saved' : 'common_not_saved'),
  );
  return {
    number: dossier.number,
    text: countdownText(fate),
    estimate: fate.timeline.estimated && fate.deadline ? t('common_estimated') : '',
    description: parts.join(' · '),
    tone: toneOf(fate),
    expiresAt: fate.deadline ? parisDate(fate.deadline) : 'none',
    daysLeft: fate.deadline ? fate.daysLeft : null,
    source,
    savedAt: saved,
  };
}

/** « 12 dossiers supprimés d’ici 30 jours, dont 9 non sauvegardés — le premier le 04/12 ». */
function bannerText(count: number, atRisk: number, leadTimeDays: number, first: Date): string {
  const total =
    count === 1 ? t('page_banner_count_one', leadTimeDays) : t('page_banner_count_many', count, leadTimeDays);
  const unsaved =
    atRisk === 0
      ? t('page_banner_unsaved_none')
      : atRisk === 1
        ? t('page_banner_unsaved_one')
        : t('page_banner_unsaved_many', atRisk);
  return `${total}, ${unsaved} — ${t('page_banner_first', formatDayMonth(first))}`;
}

function bannerOf(
  origin: string,
  number: number,
  fates: readonly DossierFate[],
  leadTimeDays: number,
  now: Date,
): DemarcheBannerView {
  const threatened = fates.filter(({ fate }) => fate.threatened);
  const atRisk = threatened.filter(({ fate }) => fate.atRisk).length;
  const first = threatened.map(({ fate }) => fate.deadline!).sort((a, b) => a.getTime() - b.getTime())[0];
  const weeks = weeklyDeletions(upcomingRows(fates), now);
  return {
    number,
    threatened: threatened.length,
    atRisk,
    text: first ? bannerText(threatened.length, atRisk, leadTimeDays, first) : t('page_banner_none', leadTimeDays),
    weeks: weeks.map((week) => ({
      label: `${formatDayMonth(week.start)} – ${formatDayMonth(week.end)}`,
      total: week.total,
      unsaved: week.unsaved,
    })),
    cardText: t('page_summary_card', atRisk, leadTimeDays),
    title: t('page_banner_title'),
    chartLabel: t('page_banner_chart'),
    chartColumns: [t('popup_chart_week'), t('popup_chart_dossiers'), t('popup_legend_unsaved')],
    legend: { unsaved: t('popup_legend_unsaved'), saved: t('popup_legend_saved') },
    expirantUrl: dossierListUrl(origin, number, 'expirant'),
    expirantLink: t('page_banner_expirant'),
    save:
      atRisk === 0
        ? null
        : {
            label: atRisk === 1 ? t('page_banner_save_one') : t('page_banner_save_many', atRisk),
            busy: t('page_export_busy'),
            opened: t('archive_opened'),
            failed: t('page_export_failed'),
          },
  };
}

/** The countdowns of these dossiers and the banners of these démarches, for one DS instance. */
export async function readPageFates(
  request: { origin: string; dossiers: readonly number[]; demarches: readonly number[] },
  leadTimeDays: number,
  now: Date,
): Promise<PageFates> {
  const { origin } = request;
  const [instance, demarches, dossiers] = await Promise.all([
    db.instances.get(origin),
    db.demarches.where('origin').equals(origin).toArray(),
    request.demarches.length > 0
      ? db.dossiers
          .where('[origin+demarche]')
          .anyOf(request.demarches.map((d) => [origin, d]))
          .toArray()
      : db.dossiers.bulkGet(request.dossiers.map((n) => [origin, n] as [string, number])),
  ]);
  const known = dossiers.filter((d) => d !== undefined);
  // A page shows its dossiers whether or not their démarche is watched: fates of all of them.
  const fates = fatesOf(
    {
      instances: instance ? [instance] : [],
      demarches: demarches.map((d) => ({ ...d, watched: true })),
      dossiers: known,
    },
    leadTimeDays,
    now,
  );
  const wanted = new Set(request.dossiers);
  const watched = new Set(demarches.filter((d) => d.watched).map((d) => d.number));
  return {
    dossiers: fates.filter(({ dossier }) => wanted.has(dossier.number)).map(countdownOfFate),
    demarches: request.demarches.map((number) =>
      bannerOf(
        origin,
        number,
        // The banner counts as the toolbar badge does: an unwatched démarche threatens nothing.
        watched.has(number) || !demarches.some((d) => d.number === number)
          ? fates.filter(({ dossier }) => dossier.demarche === number && !dossier.deletedAt)
          : [],
        leadTimeDays,
        now,
      ),
    ),
  };
}
