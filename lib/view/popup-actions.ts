import { browser } from 'wxt/browser';
import { NoAnswerError, type ResponseOf, sendMessage } from '@/lib/platform/messages';

/** What the popup's buttons ask for. */

export interface SyncOutcome {
  instances: number;
  dossiers: number;
  /** Instances whose sync stopped on a problem (the status line tells which and why). */
  failed: number;
}

/**
 * Syncs every instance now (or one); problems land in the database, where the status line reads them.
 * When the browser stops the background before it answers (the reply's channel closes), asking once
 * more wakes it, and it resumes the interrupted sync; `onInterrupted` lets the popup say so meanwhile.
 */
export async function syncNow(onInterrupted?: () => void): Promise<SyncOutcome> {
  let reply: ResponseOf<'sync-now'>;
  try {
    reply = await sendMessage('sync-now', {});
  } catch (error) {
    if (!(error instanceof NoAnswerError)) throw error;
    onInterrupted?.();
    reply = await sendMessage('sync-now', {});
  }
  const { results } = reply;
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
