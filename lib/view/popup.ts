import { db } from '@/lib/core/db';
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
}

/** The popup stays short; the rest is one click away on DS. */
export const ROW_LIMIT = 50;

export function popupView(
  sources: UpcomingSources,
  now: Date,
  options: { unsavedOnly: boolean; limit?: number },
): PopupView {
  const limit = options.limit ?? ROW_LIMIT;
  const empty = (state: PopupState): PopupView => ({ state, groups: [], hidden: 0, weeks: null, total: 0, unsaved: 0 });
  if (sources.demarches.length === 0 && sources.dossiers.length === 0) {
    return empty(sources.instances.length === 0 ? 'first-run' : 'no-demarche');
  }
  if (sources.demarches.length > 0 && sources.demarches.every((d) => !d.watched)) return empty('none-watched');

  const all = upcomingRows(sources, now);
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
