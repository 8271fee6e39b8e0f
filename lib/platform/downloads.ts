import { browser } from 'wxt/browser';
import { t } from './i18n';

/**
 * Saves a file through the browser's downloads under its real name, and waits until it is written:
 * an export counts as saved only once the file is on disk. Answers the name it got on disk (the
 * browser adds « (1) » beside an earlier file of the same name). Rejects when the download is
 * interrupted (disk full, cancelled), with the browser's reason.
 */
export async function downloadAndWait(url: string, filename: string): Promise<string> {
  const id = await browser.downloads.download({ url, filename, conflictAction: 'uniquify' });
  await new Promise<void>((resolve, reject) => {
    const listener = (delta: Parameters<Parameters<typeof browser.downloads.onChanged.addListener>[0]>[0]) => {
      if (delta.id !== id || !delta.state?.current) return;
      if (delta.state.current === 'in_progress') return;
      browser.downloads.onChanged.removeListener(listener);
      if (delta.state.current === 'complete') resolve();
      else reject(new Error(delta.error?.current ?? 'interrupted'));
    };
    browser.downloads.onChanged.addListener(listener);
    // It may have finished before the listener was there.
    void browser.downloads.search({ id }).then(([item]) => {
      if (item?.state === 'complete') listener({ id, state: { current: 'complete' } });
      else if (item?.state === 'interrupted')
        listener({ id, state: { current: 'interrupted' }, error: { current: item.error ?? 'interrupted' } });
    });
  });
  const [item] = await browser.downloads.search({ id });
  return item?.filename ? (item.filename.split(/[\\/]/).pop() ?? filename) : filename;
}

/**
 * A download the browser interrupted, in the user's words: the two reasons they can act on (the save
 * dialog cancelled, the disk full) said plainly, any other with the browser's reason.
 */
export function downloadFailureText(reason: string): string {
  if (reason === 'USER_CANCELED') return t('export_download_canceled');
  if (reason === 'FILE_NO_SPACE') return t('export_disk_full');
  return t('export_download_failed', reason);
}

/**
 * Saves a file made for download (a Blob URL held until `release`), releases it whatever happens,
 * and words a failure for the user. Answers the name the file got on disk.
 */
export async function saveMadeFile(made: { url: string; release: () => Promise<void> }, name: string): Promise<string> {
  try {
    return await downloadAndWait(made.url, name);
  } catch (error) {
    throw new Error(downloadFailureText(error instanceof Error ? error.message : String(error)));
  } finally {
    await made.release();
  }
}
