import { now } from '@/lib/platform/clock';
import { formatMonth, t } from '@/lib/platform/i18n';
import type { PageTexts } from '@/lib/platform/messages';
import { addMonths, parisMonth } from '@/lib/platform/time';

/**
 * The words of the « Archiver (ZIP) » menu beside DS's downloads, sent with the other page texts:
 * the months it offers are the previous and the current Paris month (DS's monthly archives count
 * in Paris time), named in the options' language, so the content script needs no calendar and no
 * translations.
 */
export function archiveMenuTexts(
  at: Date = now(),
): Pick<PageTexts, 'archive' | 'archive-tab' | 'archive-demarche' | 'archive-opened' | 'archiveMonths'> {
  const months = [parisMonth(addMonths(at, -1)), parisMonth(at)];
  return {
    archive: t('page_archive_menu'),
    'archive-tab': t('page_archive_tab'),
    'archive-demarche': t('page_archive_demarche'),
    'archive-opened': t('archive_opened'),
    archiveMonths: months.map((month) => ({ month, label: t('page_archive_month', formatMonth(month)) })),
  };
}
