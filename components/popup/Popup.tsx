import { useSignal } from '@preact/signals';
import { StatusLine } from '@/components/StatusLine';
import { KNOWN_INSTANCES } from '@/lib/ds/instances';
import { now } from '@/lib/platform/clock';
import { t } from '@/lib/platform/i18n';
import { useLiveQuery, useSettings } from '@/lib/view/live';
import { popupView, readPopupSources } from '@/lib/view/popup';
import { openArchives, openOptions, type SyncOutcome, syncNow } from '@/lib/view/popup-actions';
import { ArchiveUnsaved } from './ArchiveUnsaved';
import { DossierList } from './DossierList';
import { EmptyState } from './EmptyState';
import { MarkupAlert } from './MarkupAlert';
import { Summary } from './Summary';
import { WeeklyChart } from './WeeklyChart';
import './popup.css';

type SyncReport =
  | { kind: 'running' }
  | { kind: 'resuming' }
  | { kind: 'done'; outcome: SyncOutcome }
  | { kind: 'error'; error: string };

export function Popup() {
  const sources = useLiveQuery(readPopupSources);
  const settings = useSettings();
  const unsavedOnly = useSignal(false);
  const sync = useSignal<SyncReport | null>(null);

  const runSync = async () => {
    sync.value = { kind: 'running' };
    try {
      const outcome = await syncNow(() => {
        sync.value = { kind: 'resuming' };
      });
      sync.value = { kind: 'done', outcome };
    } catch (error) {
      sync.value = { kind: 'error', error: error instanceof Error ? error.message : String(error) };
    }
  };
  const onOpenOptions = () => void openOptions();

  const data = sources.value;
  if (!data || !settings.value) return <main class="popup" aria-busy="true" />;
  const view = popupView(data, now(), { unsavedOnly: unsavedOnly.value, leadTimeDays: settings.value.leadTimeDays });
  const configured = view.state !== 'first-run' && view.state !== 'no-demarche' && view.state !== 'none-watched';
  const origin = data.instances[0]?.origin ?? KNOWN_INSTANCES[0].origin;

  return (
    <main class="popup">
      <header class="popup__header">
        <h1>Archiviste</h1>
        <div class="popup__header-actions">
          <button type="button" class="fr-btn fr-btn--sm fr-btn--tertiary" onClick={() => void openArchives()}>
            {t('popup_archives')}
          </button>
          <button type="button" class="fr-btn fr-btn--sm fr-btn--tertiary" onClick={onOpenOptions}>
            {t('popup_options')}
          </button>
        </div>
      </header>

      <StatusLine instances={data.instances} onRetry={runSync} onOpenOptions={onOpenOptions} />

      <MarkupAlert />

      {view.state !== 'first-run' && (
        <div class="popup__sync">
          <button
            type="button"
            class="fr-btn fr-btn--sm"
            onClick={runSync}
            disabled={sync.value?.kind === 'running' || sync.value?.kind === 'resuming'}
          >
            {t('popup_sync_now')}
          </button>
          <p role="status" class="popup__sync-report">
            {sync.value && syncText(sync.value)}
          </p>
        </div>
      )}

      {configured && <Summary summary={view.summary} />}

      {configured && view.summary.atRisk > 0 && <ArchiveUnsaved atRisk={view.summary.atRisk} />}

      {view.weeks && <WeeklyChart weeks={view.weeks} />}

      {view.total > 0 && (
        <p class="fr-checkbox popup__filter">
          <input
            type="checkbox"
            id="filter-unsaved"
            checked={unsavedOnly.value}
            onChange={(event) => {
              unsavedOnly.value = event.currentTarget.checked;
            }}
          />
          <label for="filter-unsaved">{t('popup_filter_unsaved', view.unsaved)}</label>
        </p>
      )}

      {view.state === 'list' ? (
        <DossierList groups={view.groups} hidden={view.hidden} />
      ) : (
        <EmptyState state={view.state} origin={origin} onOpenOptions={onOpenOptions} />
      )}
    </main>
  );
}

function syncText(report: SyncReport): string {
  if (report.kind === 'running') return t('popup_syncing');
  if (report.kind === 'resuming') return t('popup_sync_resuming');
  if (report.kind === 'error') return t('popup_sync_error', report.error);
  const { outcome } = report;
  return outcome.failed > 0 ? t('popup_sync_failed', outcome.failed) : t('popup_sync_done', outcome.dossiers);
}
