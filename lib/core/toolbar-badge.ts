import { browser } from 'wxt/browser';
import { type DemarcheRow, type DossierRow, db } from '@/lib/core/db';
import { timelineOf } from '@/lib/core/retention';

/**
 * The toolbar badge: how many dossiers of watched démarches DS deletes within the lead time (or
 * already holds in its corbeille, due for purge) that Archiviste has not saved.
 */
export function countAtRisk(dossiers: DossierRow[], demarches: DemarcheRow[], leadTimeDays: number, now: Date): number {
  const watched = new Map(demarches.filter((d) => d.watched).map((d) => [`${d.origin}|${d.number}`, d]));
  let count = 0;
  for (const dossier of dossiers) {
    if (dossier.archivedAt) continue;
    const demarche = watched.get(`${dossier.origin}|${dossier.demarche}`);
    if (!demarche) continue;
    const { phase, daysLeft, purgeAt } = timelineOf(dossier, demarche, now);
    // In the corbeille, only a scheduled purge is a deletion to come.
    const purgeScheduled = phase === 'corbeille' && purgeAt !== null;
    if (
      purgeScheduled ||
      ((phase === 'active' || phase === 'notice') && daysLeft !== null && daysLeft <= leadTimeDays)
    ) {
      count += 1;
    }
  }
  return count;
}

export async function refreshBadge(leadTimeDays: number, now: Date): Promise<number> {
  const [dossiers, demarches] = await Promise.all([db.dossiers.toArray(), db.demarches.toArray()]);
  const count = countAtRisk(dossiers, demarches, leadTimeDays, now);
  await browser.action.setBadgeBackgroundColor({ color: '#e1000f' });
  await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
  return count;
}
