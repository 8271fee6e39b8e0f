import { browser } from 'wxt/browser';
import { db } from '@/lib/core/db';
import { countAtRisk } from '@/lib/core/threat';

/**
 * The toolbar badge: how many dossiers of watched démarches DS deletes within the lead time (or
 * already holds in its corbeille, due for purge) that Archiviste has not saved (lib/core/threat.ts).
 */
export async function refreshBadge(leadTimeDays: number, now: Date): Promise<number> {
  const [instances, demarches, dossiers] = await Promise.all([
    db.instances.toArray(),
    db.demarches.toArray(),
    db.dossiers.toArray(),
  ]);
  const count = countAtRisk({ instances, demarches, dossiers }, leadTimeDays, now);
  await browser.action.setBadgeBackgroundColor({ color: '#e1000f' });
  await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
  return count;
}
