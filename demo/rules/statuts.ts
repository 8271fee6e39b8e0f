/**
 * The instructeur's dossier tabs (`Dossier.by_statut`) and DS's per-dossier notification badges
 * (`DossierNotification`, `DossierHelper#tag_notification`), as functions of the records and now.
 */
import { type Demarche, type Dossier, isTermine } from '../data/model';
import { addDays, parisDayNumber } from '../time';
import {
  isInCorbeille,
  isVisibleByAdministration,
  isVisibleByUser,
  NOTICE_DAYS,
  type RuleSet,
  stateExpires,
} from './expiry';

export const STATUTS = ['a-suivre', 'suivis', 'traites', 'tous', 'expirant', 'archives', 'supprimes'] as const;
export type Statut = (typeof STATUTS)[number];

export const isStatut = (value: string | undefined): value is Statut =>
  (STATUTS as readonly string[]).includes(value ?? '');

const enCours = (d: Dossier) => !d.archived && (d.state === 'en_construction' || d.state === 'en_instruction');

/**
 * `termine_or_en_construction_close_to_expiration` (the expirant tab, archived dossiers included);
 * since June 2026 terminé dossiers only: a stale `expired_at` of an en construction dossier is ignored.
 */
function isListedAsExpiring(dossier: Dossier, demarche: Demarche, now: Date, rules: RuleSet): boolean {
  const expiring = stateExpires(dossier.state, rules) && (!isTermine(dossier.state) || demarche.expiresWhenTermine);
  return (
    expiring &&
    (isVisibleByUser(dossier) || isVisibleByAdministration(dossier)) &&
    dossier.expiredAt !== null &&
    dossier.expiredAt <= addDays(now, NOTICE_DAYS)
  );
}

export function isInStatut(
  statut: Statut,
  dossier: Dossier,
  demarche: Demarche,
  me: string,
  now: Date,
  rules: RuleSet,
): boolean {
  const visible = isVisibleByAdministration(dossier);
  switch (statut) {
    case 'a-suivre':
      return visible && enCours(dossier) && dossier.followers.length === 0;
    case 'suivis':
      return visible && enCours(dossier) && dossier.followers.includes(me);
    case 'traites':
      return visible && !dossier.archived && isTermine(dossier.state);
    case 'tous':
      return visible && !dossier.archived;
    case 'expirant':
      return visible && isListedAsExpiring(dossier, demarche, now, rules);
    case 'archives':
      return visible && dossier.archived;
    case 'supprimes':
      return isInCorbeille(dossier);
  }
}

export interface Badge {
  text: string;
  /** `new` (blue news), `warning` (orange), or plain. */
  tone: 'new' | 'warning' | 'plain';
}

const NEWS_TEXT = {
  modifie: 'Dossier modifié',
  message: 'Message',
  annotation: 'Annotation privée',
  avis: 'Avis externe',
};
const NEWS_ORDER = ['modifie', 'message', 'annotation', 'avis'] as const;

/**
 * The notification badges of a dossier for the instructeur `me`, in DS's enum order: déposé depuis,
 * expire dans, suppression dans, then news. Archived dossiers keep only "Expire dans", hidden ones
 * only "Suppression dans" (`DossierNotification.to_display`).
 */
export function notificationBadges(dossier: Dossier, me: string, now: Date): Badge[] {
  const today = parisDayNumber(now);
  const badges: Array<Badge & { kind: string }> = [];
  if (
    dossier.state === 'en_construction' &&
    dossier.followers.length === 0 &&
    today - parisDayNumber(dossier.deposeAt) >= 7
  ) {
    badges.push({
      kind: 'depose',
      tone: 'warning',
      text: `Déposé depuis ${today - parisDayNumber(dossier.deposeAt)} J.`,
    });
  }
  if (dossier.expirantNotifiedAt && dossier.expiredAt) {
    badges.push({
      kind: 'expirant',
      tone: 'warning',
      text: `Expire dans ${parisDayNumber(dossier.expiredAt) - today} J.`,
    });
  }
  if (dossier.suppressionNotifiedAt) {
    const purgeDay = parisDayNumber(addDays(dossier.suppressionNotifiedAt, NOTICE_DAYS));
    badges.push({ kind: 'suppression', tone: 'warning', text: `Suppression dans ${purgeDay - today} J.` });
  }
  if (dossier.followers.includes(me)) {
    for (const kind of NEWS_ORDER) {
      if (dossier.news.includes(kind)) badges.push({ kind, tone: 'new', text: NEWS_TEXT[kind] });
    }
  }
  const hidden = !!dossier.hiddenByAdministrationAt || !!dossier.hiddenByExpiredAt;
  return badges
    .filter((b) => (hidden ? b.kind === 'suppression' : b.kind !== 'suppression'))
    .filter((b) => !dossier.archived || b.kind === 'expirant' || hidden)
    .map(({ text, tone }) => ({ text, tone }));
}

/** The list order: dossiers with notifications first (DS's default sort), then the most recent. */
export function sortForList(dossiers: Dossier[], me: string, now: Date): Dossier[] {
  const rank = new Map(dossiers.map((d) => [d.number, notificationBadges(d, me, now).length > 0 ? 0 : 1]));
  return dossiers.sort((a, b) => rank.get(a.number)! - rank.get(b.number)! || b.number - a.number);
}
