import { db } from '@/lib/core/db';
import { fatesOf } from '@/lib/core/threat';
import {
  groupByDemarche,
  type UpcomingGroup,
  type UpcomingSources,
  unsavedOnly,
  upcomingRows,
} from '@/lib/view/upcoming';
import { type WeekBucket, weeklyDeletions } from '@/lib/view/weekly-chart';

/** Everything the popup shows below its status line, from the database rows and the time. */

/**
 * - `first-run`: nothing configured nor discovered yet;
 * - `no-demarche`: an instance is known, but no démarche yet (visit DS or sync);
 * - `none-watched`: démarches are known, none is watched;
 * - `nothing-soon`: no deletion within the horizon;
 * - `all-saved`: the "non sauvegardés" filter leaves nothing;
 * - `list`: dossiers to show.
 */
export type PopupState = 'first-run' | 'no-demarche' | 'none-watched' | 'nothing-soon' | 'all-saved' | 'list';

export interface PopupView {
  state: PopupState;
  groups: UpcomingGroup[];
  /** Rows left out of `groups` by the row limit. */
  hidden: number;
  /** Null until a démarche is watched. */
  weeks: WeekBucket[] | null;
  total: number;
  unsaved: number;
  /** The same counts as the toolbar badge and the digests (lib/core/threat.ts). */
  summary: PopupSummary;
}

export interface PopupSummary {
  leadTimeDays: number;
  /** Deleted within the lead time, or due for purge from the corbeille. */
  threatened: number;
  /** Of which not saved since their last change: the toolbar badge's number. */
  atRisk: number;
  /** Dossiers DS will not delete (en instruction; en construction on DS since June 2026). */
  neverExpire: number;
}

/** The popup stays short; the rest is one click away on DS. */
export const ROW_LIMIT = 50;

export function popupView(
  sources: UpcomingSources,
  now: Date,
  options: { unsavedOnly: boolean; leadTimeDays: number; limit?: number },
): PopupView {
  const limit = options.limit ?? ROW_LIMIT;
  const summary: PopupSummary = { leadTimeDays: options.leadTimeDays, threatened: 0, atRisk: 0, neverExpire: 0 };
  const empty = (state: PopupState): PopupView => ({
    state,
    groups: [],
    hidden: 0,
    weeks: null,
    total: 0,
    unsaved: 0,
    summary,
  });
  if (sources.demarches.length === 0 && sources.dossiers.length === 0) {
    return empty(sources.instances.length === 0 ? 'first-run' : 'no-demarche');
  }
  if (sources.demarches.length > 0 && sources.demarches.every((d) => !d.watched)) return empty('none-watched');

  const fates = fatesOf(sources, options.leadTimeDays, now);
  for (const { fate } of fates) {
    if (fate.threatened) summary.threatened += 1;
    if (fate.atRisk) summary.atRisk += 1;
    if (fate.timeline.phase === 'never') summary.neverExpire += 1;
  }
  const all = upcomingRows(fates);
  const unsaved = unsavedOnly(all);
  const shown = options.unsavedOnly ? unsaved : all;
  const state: PopupState = all.length === 0 ? 'nothing-soon' : shown.length === 0 ? 'all-saved' : ('list' as const);
  return {
    state,
    groups: groupByDemarche(shown.slice(0, limit), sources),
    hidden: Math.max(0, shown.length - limit),
    weeks: weeklyDeletions(all, now),
    total: all.length,
    unsaved: unsaved.length,
    summary,
  };
}

/** The rows `popupView` needs; purged dossiers are left out at once. */
export async function readPopupSources(): Promise<UpcomingSources> {
  const [instances, demarches, dossiers] = await Promise.all([
    db.instances.toArray(),
    db.demarches.toArray(),
    db.dossiers.filter((dossier) => !dossier.deletedAt).toArray(),
  ]);
  return { instances, demarches, dossiers };
}
