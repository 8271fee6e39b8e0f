import { browser } from 'wxt/browser';
import type { ArchiveJobRow } from '@/lib/core/db';
import { formatBytes, t } from '@/lib/platform/i18n';

/**
 * The notification at the end of a bulk archive: « 212 dossiers sauvegardés (4,1 Go), 2 fichiers
 * manquants : voir l’inventaire ». A click opens the export page of that archive.
 */
const PREFIX = 'archiviste-archive|';

export function archiveDoneText(job: ArchiveJobRow): string {
  const dossiers = job.parts.reduce((sum, part) => sum + part.dossiers.length - part.failed.length, 0);
  const bytes = formatBytes(job.parts.reduce((sum, part) => sum + part.bytes, 0));
  const missing = job.parts.reduce((sum, part) => sum + part.missingFiles, 0);
  const failed = job.parts.reduce((sum, part) => sum + part.failed.length, 0);
  if (failed > 0) return t('archive_notification_failed', dossiers, bytes, missing, failed);
  return missing > 0
    ? t('archive_notification_missing', dossiers, bytes, missing)
    : t('archive_notification', dossiers, bytes);
}

export async function notifyArchiveDone(job: ArchiveJobRow): Promise<void> {
  await browser.notifications.create(`${PREFIX}${job.id}`, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: t('archive_notification_title'),
    message: archiveDoneText(job),
  });
}

export function parseArchiveNotificationId(id: string): number | null {
  if (!id.startsWith(PREFIX)) return null;
  const job = Number(id.slice(PREFIX.length));
  return Number.isSafeInteger(job) && job > 0 ? job : null;
}
