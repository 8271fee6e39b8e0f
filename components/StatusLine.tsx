import { ProblemAlert } from '@/components/ProblemAlert';
import type { InstanceRow } from '@/lib/core/db';
import { signInUrl } from '@/lib/ds/routes';
import { now } from '@/lib/platform/clock';
import { formatAgo, t } from '@/lib/platform/i18n';
import { useStorageFullSince } from '@/lib/view/live';
import { describeProblem, type InstanceStatus, instanceStatuses } from '@/lib/view/status';

interface Props {
  instances: readonly InstanceRow[];
  onRetry: () => void;
  onOpenOptions: () => void;
}

/** Instance, mode, last sync; a failed sync gets its reason and its fix, with the button that fixes it. */
export function StatusLine({ instances, onRetry, onOpenOptions }: Props) {
  const statuses = instanceStatuses(instances);
  const storageFull = useStorageFullSince().value;
  return (
    <section class="status" aria-live="polite" aria-label={t('popup_status_label')}>
      {storageFull && (
        <ProblemAlert problem={describeProblem({ code: 'storage-full', at: storageFull })}>
          <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" onClick={onRetry}>
            {t('popup_retry')}
          </button>
        </ProblemAlert>
      )}
      {statuses.map((status) => (
        <InstanceLine key={status.origin} status={status} onRetry={onRetry} onOpenOptions={onOpenOptions} />
      ))}
    </section>
  );
}

function InstanceLine({ status, onRetry, onOpenOptions }: { status: InstanceStatus } & Omit<Props, 'instances'>) {
  const mode = status.mode === 'api' ? t('common_mode_api') : t('common_mode_session');
  const synced = status.lastSyncAt
    ? t('common_synced_ago', formatAgo(status.lastSyncAt, now()))
    : t('popup_never_synced');
  const { problem } = status;
  return (
    <div class="status__instance">
      <p class="status__line">
        <strong>{status.name}</strong> · {mode} · {synced}
      </p>
      {problem && (
        <ProblemAlert problem={problem}>
          {problem.action === 'options' && (
            <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" onClick={onOpenOptions}>
              {t('popup_open_options')}
            </button>
          )}
          {problem.action === 'sign-in' && (
            <a
              class="fr-btn fr-btn--sm fr-btn--secondary"
              href={signInUrl(status.origin)}
              target="_blank"
              rel="noopener"
            >
              {t('popup_sign_in', status.name)}
            </a>
          )}
          {problem.action === 'retry' && (
            <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" onClick={onRetry}>
              {t('popup_retry')}
            </button>
          )}
        </ProblemAlert>
      )}
    </div>
  );
}
