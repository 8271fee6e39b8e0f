import type { Timeline } from '@/lib/core/retention';
import type { ArchiveStatus } from '@/lib/core/threat';
import type { DossierState } from '@/lib/ds/model';
import { formatDate, type MessageKey, t } from '@/lib/platform/i18n';

/**
 * The badges of a dossier: its countdown (« J-12 », « Suppression le 05/12/2026 », « estimation »),
 * its state with DS's own texts and colours, and whether Archiviste saved it.
 */

/** DSFR badge colours used by Archiviste (DS uses the same for its own badges). */
export type Tone = 'error' | 'warning' | 'new' | 'info' | 'success' | 'purple' | 'grey';

export interface Countdown {
  /** « J-12 », « Aujourd’hui », « Dans la corbeille ». */
  short: string;
  /** « Suppression le 05/12/2026 » or, in the corbeille, « Suppression définitive le … ». */
  date: string;
  estimated: boolean;
  tone: Tone;
}

/** Red within a week (and in the corbeille), orange within DS's notice, yellow within a month. */
function toneOf(timeline: Timeline): Tone {
  const days = timeline.daysLeft ?? Number.POSITIVE_INFINITY;
  if (timeline.phase === 'corbeille' || days <= 7) return 'error';
  if (timeline.phase === 'notice') return 'warning';
  return days <= 30 ? 'new' : 'info';
}

/** Null for dossiers that are not on their way out (never deleted, unknown date, purged). */
export function countdownOf(timeline: Timeline): Countdown | null {
  if (timeline.phase === 'corbeille' && timeline.purgeAt) {
    return {
      short: t('common_in_corbeille'),
      date: t('common_purge_on', formatDate(timeline.purgeAt)),
      estimated: timeline.estimated,
      tone: 'error',
    };
  }
  if ((timeline.phase !== 'active' && timeline.phase !== 'notice') || !timeline.expiresAt) return null;
  const days = timeline.daysLeft ?? 0;
  return {
    short: days === 0 ? t('common_today') : t('common_days_left', days),
    date: t('common_deletion_on', formatDate(timeline.expiresAt)),
    estimated: timeline.estimated,
    tone: toneOf(timeline),
  };
}

/** DS's `status_badge`: lower-case texts, DSFR colours (instructeurs recognise them at a glance). */
const STATES: Record<DossierState, { key: MessageKey; tone: Tone }> = {
  en_construction: { key: 'state_en_construction', tone: 'purple' },
  en_instruction: { key: 'state_en_instruction', tone: 'new' },
  accepte: { key: 'state_accepte', tone: 'success' },
  refuse: { key: 'state_refuse', tone: 'warning' },
  sans_suite: { key: 'state_sans_suite', tone: 'warning' },
};

export function stateBadge(state: DossierState): { text: string; tone: Tone } {
  const { key, tone } = STATES[state];
  return { text: t(key), tone };
}

export function archiveBadge(status: ArchiveStatus, archivedAt: Date | null): { text: string; tone: Tone } {
  if (status === 'saved' && archivedAt) return { text: t('common_saved_on', formatDate(archivedAt)), tone: 'success' };
  if (status === 'stale') return { text: t('common_changed_since_saved'), tone: 'warning' };
  return { text: t('common_not_saved'), tone: 'grey' };
}
