import { browser } from 'wxt/browser';
import { type ResponseOf, sendMessage } from '@/lib/platform/messages';

/** What the popup's buttons ask for. */

export interface SyncOutcome {
  instances: number;
  dossiers: number;
  /** Instances whose sync stopped on a problem (the status line tells which and why). */
  failed: number;
}

/** Syncs every instance now (or one); problems land in the database, where the status line reads them. */
export async function syncNow(origin?: string): Promise<SyncOutcome> {
  const { results } = await sendMessage('sync-now', origin ? { origin } : {});
  return {
    instances: results.length,
    dossiers: results.reduce((sum, result) => sum + result.dossiers, 0),
    failed: results.filter((result) => result.problem).length,
  };
}

/**
 * Archives every unsaved threatened dossier, across démarches and instances (the toolbar badge's N):
 * the background makes the job and opens the export page on it.
 */
export function archiveUnsaved(): Promise<ResponseOf<'archive-start'>> {
  return sendMessage('archive-start', { kind: 'at-risk' });
}

/** The export page's list of archives: where one stopped half-way is resumed. */
export async function openArchives(): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL('/archive.html') });
}

export async function openOptions(): Promise<void> {
  await browser.runtime.openOptionsPage();
}
