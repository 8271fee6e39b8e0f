import { type DossierRow, db } from '@/lib/core/db';
import { type DossierFate, fatesOf } from '@/lib/core/threat';
import { isTermine } from '@/lib/ds/model';
import type { ListTab, ListTabRequest } from '@/lib/export/run-list-export';
import { formatMonth, t } from '@/lib/platform/i18n';
import { parisMonth } from '@/lib/platform/time';
import { TAB_NAMES } from '@/lib/view/list-export';
import type { ArchiveSelection, ResolvedSelection } from './selection';

/**
 * A bulk archive's selection turned into its dossiers, once, when it starts. What DS deletes soonest
 * comes first (an archive cut short has saved the most urgent), except a tab's dossiers, which keep
 * DS's list order (what the user saw). Every kind but the tab reads Archiviste's database, through
 * the same fates as the toolbar badge: the banner's and the popup's « N dossiers » are these N.
 */

export interface ResolveContext {
  now: Date;
  leadTimeDays: number;
  /** Every page of a list tab, read with the user's session (the list exports' reader). */
  readTab: (request: ListTabRequest) => Promise<Pick<ListTab, 'title' | 'pages'>>;
}

type Scoped = Exclude<ArchiveSelection, { kind: 'at-risk' }>;

/** Soonest deadline first, dossiers DS does not date after; then by instance and number, for a stable order. */
function byUrgency(a: DossierFate, b: DossierFate): number {
  const deadline = (fate: DossierFate) => fate.fate.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
  return (
    deadline(a) - deadline(b) || a.dossier.origin.localeCompare(b.dossier.origin) || a.dossier.number - b.dossier.number
  );
}

const refOf = ({ dossier }: { dossier: Pick<DossierRow, 'origin' | 'demarche' | 'number'> }) => ({
  origin: dossier.origin,
  demarche: dossier.demarche,
  dossier: dossier.number,
});

/** What the toolbar badge counts (lib/core/toolbar-badge.ts), optionally of one instance or one démarche. */
async function atRisk(selection: Extract<ArchiveSelection, { kind: 'at-risk' }>, context: ResolveContext) {
  const { origin, demarche } = selection;
  const [instances, demarches, dossiers] = await Promise.all([
    db.instances.toArray(),
    db.demarches.toArray(),
    origin === undefined
      ? db.dossiers.toArray()
      : demarche === undefined
        ? db.dossiers.where('[origin+number]').between([origin, -Infinity], [origin, Infinity]).toArray()
        : db.dossiers.where('[origin+demarche]').equals([origin, demarche]).toArray(),
  ]);
  return fatesOf({ instances, demarches, dossiers }, context.leadTimeDays, context.now)
    .filter(({ dossier, fate }) => fate.atRisk && (demarche === undefined || dossier.demarche === demarche))
    .sort(byUrgency);
}

/**
 * Every dossier of one démarche the database knows, with its fate. The user asked for this démarche
 * by name: watched or not, it is archived (as its page shows every dossier whatever the watch).
 */
async function demarcheFates(origin: string, demarche: number, context: ResolveContext): Promise<DossierFate[]> {
  const [instance, row, dossiers] = await Promise.all([
    db.instances.get(origin),
    db.demarches.get([origin, demarche]),
    db.dossiers.where('[origin+demarche]').equals([origin, demarche]).toArray(),
  ]);
  return fatesOf(
    { instances: instance ? [instance] : [], demarches: row ? [{ ...row, watched: true }] : [], dossiers },
    context.leadTimeDays,
    context.now,
  );
}

/** DS can still give it: not purged (a dossier in the corbeille is restorable, hence still DS's). */
const stillOnDs = ({ fate }: DossierFate) => fate.timeline.phase !== 'purged';

/** Processed (accepté, refusé, classé sans suite) in that Paris month, as DS's monthly archive holds. */
const processedIn =
  (month: string) =>
  ({ dossier }: DossierFate): boolean =>
    Boolean(dossier.state && isTermine(dossier.state) && dossier.dateTraitement) &&
    parisMonth(new Date(dossier.dateTraitement!)) === month;

/** A tab's dossiers in DS's list order, each once (the list may move while its pages are read). */
async function tabRefs(selection: Extract<Scoped, { kind: 'tab' }>, context: ResolveContext) {
  const { origin, demarche, statut } = selection;
  const tab = await context.readTab({ origin, demarche, statut });
  const numbers = new Set(tab.pages.flatMap((page) => page.rows.map((row) => row.number)));
  return { title: tab.title, refs: [...numbers].map((dossier) => ({ origin, demarche, dossier })) };
}

const countText = (count: number) => (count === 1 ? t('archive_count_one') : t('archive_count_many', count));

function whatText(selection: ArchiveSelection, leadTimeDays: number): string {
  switch (selection.kind) {
    case 'at-risk':
      return t('archive_what_at_risk', leadTimeDays);
    case 'tab':
      return t('archive_what_tab', t(TAB_NAMES[selection.statut]));
    case 'month':
      return t('archive_what_month', formatMonth(selection.month));
    case 'demarche':
      return t('archive_what_demarche');
  }
}

/** The démarche's title as Archiviste knows it (or as the tab showed it), else its number. */
async function scopeText(selection: ArchiveSelection, shownTitle: string): Promise<string> {
  if (selection.origin === undefined || selection.demarche === undefined) return t('archive_scope_all');
  const known = await db.demarches.get([selection.origin, selection.demarche]);
  return known?.title || shownTitle || t('common_demarche_number', selection.demarche);
}

export async function resolveSelection(
  selection: ArchiveSelection,
  context: ResolveContext,
): Promise<ResolvedSelection> {
  let refs: ResolvedSelection['refs'];
  let shownTitle = '';
  switch (selection.kind) {
    case 'at-risk':
      refs = (await atRisk(selection, context)).map(refOf);
      break;
    case 'tab':
      ({ refs, title: shownTitle } = await tabRefs(selection, context));
      break;
    case 'month': {
      const fates = await demarcheFates(selection.origin, selection.demarche, context);
      refs = fates.filter(stillOnDs).filter(processedIn(selection.month)).sort(byUrgency).map(refOf);
      break;
    }
    case 'demarche': {
      const fates = await demarcheFates(selection.origin, selection.demarche, context);
      refs = fates.filter(stillOnDs).sort(byUrgency).map(refOf);
      break;
    }
  }
  const scope = await scopeText(selection, shownTitle);
  return { refs, title: t('archive_title', scope, whatText(selection, context.leadTimeDays), countText(refs.length)) };
}
