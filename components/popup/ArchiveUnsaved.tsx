import { useSignal } from '@preact/signals';
import { t } from '@/lib/platform/i18n';
import { archiveUnsaved } from '@/lib/view/popup-actions';

type ArchiveReport = { kind: 'running' } | { kind: 'opened' } | { kind: 'error'; error: string };

/**
 * « Sauvegarder les N dossiers non sauvegardés »: one archive of every dossier the toolbar badge
 * counts, across démarches. Shown only while there is one; the export page takes it from there.
 */
export function ArchiveUnsaved({ atRisk }: { atRisk: number }) {
  const report = useSignal<ArchiveReport | null>(null);
  const start = async () => {
    report.value = { kind: 'running' };
    try {
      await archiveUnsaved();
      report.value = { kind: 'opened' };
    } catch (error) {
      report.value = { kind: 'error', error: error instanceof Error ? error.message : String(error) };
    }
  };
  return (
    <div class="popup__archive">
      <button
        type="button"
        class="fr-btn fr-btn--sm fr-btn--secondary"
        onClick={start}
        disabled={report.value?.kind === 'running'}
      >
        {atRisk === 1 ? t('popup_archive_one') : t('popup_archive_many', atRisk)}
      </button>
      <p role="status" class="popup__archive-report">
        {report.value && reportText(report.value)}
      </p>
    </div>
  );
}

function reportText(report: ArchiveReport): string {
  if (report.kind === 'running') return t('page_export_busy');
  return report.kind === 'opened' ? t('archive_opened') : report.error;
}
