import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ArchiveJobRow } from '@/lib/core/db';
import {
  type ArchiveTarget,
  canPickDirectory,
  directoryTarget,
  downloadsTarget,
  pickDirectory,
  rememberDirectory,
  rememberedDirectory,
} from '@/lib/platform/archive-targets';
import { formatBytes, formatDate, t } from '@/lib/platform/i18n';
import { type MessageMap, sendMessage } from '@/lib/platform/messages';
import { formatDuration, progressView } from '@/lib/view/archive-progress';
import { ArchiveRun } from '@/lib/view/archive-run';
import './archive.css';

type JobList = MessageMap['archive-jobs']['response']['jobs'];

const parseHtml = (html: string) => new DOMParser().parseFromString(html, 'text/html');

/**
 * Demo and test builds only: `?target=opfs` writes into the page's private file system (the same
 * File System Access API, without the folder dialog headless browsers cannot answer), and
 * `?target=downloads` takes Firefox's path in Chromium.
 */
async function testTarget(): Promise<ArchiveTarget | null> {
  if (import.meta.env.MODE !== 'demo') return null;
  const wanted = new URLSearchParams(location.search).get('target');
  if (wanted === 'opfs') return directoryTarget(await navigator.storage.getDirectory());
  if (wanted === 'downloads') return downloadsTarget(t('archive_downloads'));
  return null;
}

/**
 * Where the parts go: the folder chosen earlier (resume), a new one, or the downloads (Firefox).
 * Rejects with an AbortError when the user closes the folder dialog.
 */
async function chooseTarget(job: ArchiveJobRow): Promise<ArchiveTarget> {
  const forTests = await testTarget();
  if (forTests) return forTests;
  if (!canPickDirectory()) return downloadsTarget(t('archive_downloads'));
  const known = job.parts.length > 0 ? await rememberedDirectory(job.id!) : null;
  if (known) return directoryTarget(known);
  const folder = await pickDirectory();
  await rememberDirectory(job.id!, folder);
  return directoryTarget(folder);
}

function Jobs({ jobs }: { jobs: JobList }) {
  if (!jobs.length) return <p>{t('archive_none')}</p>;
  return (
    <ul class="archive__jobs">
      {jobs.map((job) => (
        <li key={job.id}>
          <a href={`?job=${job.id}`}>{job.title}</a>{' '}
          <span class="fr-text--sm">
            {formatDate(new Date(job.createdAt))} · {t('archive_job_progress', job.total - job.remaining, job.total)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function RunView({ run }: { run: ArchiveRun }) {
  const state = run.state.value;
  const partSize = useSignal(state.job.partSize);
  const progress = progressView({ ...state, total: state.job.refs.length });
  const busy = state.phase === 'running' || state.phase === 'paused';
  const remaining = progress.total - progress.done;

  useEffect(() => {
    // Closing the tab mid-part drops that part (written parts stay): ask first.
    const warn = (event: BeforeUnloadEvent) => {
      if (run.state.value.phase === 'running') event.preventDefault();
    };
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [run]);

  const begin = async () => {
    if (partSize.value !== state.job.partSize) {
      const { job } = await sendMessage('archive-update', { id: state.job.id!, partSize: partSize.value });
      if (job) run.state.value = { ...run.state.value, job };
    }
    let target: ArchiveTarget;
    try {
      target = await chooseTarget(run.state.value.job);
    } catch (error) {
      // The dialog closed (or the browser refused the folder): nothing starts, the archive is as it was.
      run.notStarted(
        (error as { name?: unknown }).name === 'AbortError'
          ? t('archive_folder_cancelled')
          : t('archive_write_failed', error instanceof Error ? error.message : String(error)),
      );
      return;
    }
    await run.start(target);
  };

  const details = [
    t('archive_done_of', progress.done, progress.total),
    state.bytesNow > 0 ? formatBytes(state.bytesNow) : null,
    progress.bytesPerSecond ? t('archive_speed', formatBytes(progress.bytesPerSecond)) : null,
    busy && progress.remainingMs !== null ? t('archive_time_left', formatDuration(progress.remainingMs)) : null,
    busy && state.current ? t('archive_current', state.current) : null,
  ].filter(Boolean);

  return (
    <section aria-labelledby="archive-job-title">
      <h2 id="archive-job-title">{state.job.title}</h2>
      <progress class="archive__progress" max={progress.total} value={progress.done} aria-label={t('archive_progress')}>
        {progress.percent} %
      </progress>
      <p class="archive__details" aria-live="polite">
        {details.join(' · ')}
      </p>
      {state.missingFiles > 0 && (
        <p class="fr-alert fr-alert--warning fr-alert--sm">{t('archive_missing', state.missingFiles)}</p>
      )}
      {state.failedDossiers > 0 && (
        <p class="fr-alert fr-alert--warning fr-alert--sm">{t('archive_failed_dossiers', state.failedDossiers)}</p>
      )}
      {state.error && (
        <p class="fr-alert fr-alert--error fr-alert--sm" role="alert">
          {state.error}
        </p>
      )}
      {state.phase === 'done' && (
        <p class="fr-alert fr-alert--success fr-alert--sm" role="status">
          {t('archive_finished', progress.total, formatBytes(state.job.parts.reduce((sum, p) => sum + p.bytes, 0)))}
        </p>
      )}

      {busy && (
        <div class="archive__actions">
          {state.phase === 'running' ? (
            <button type="button" class="fr-btn fr-btn--secondary" onClick={() => run.pause()}>
              {t('archive_pause')}
            </button>
          ) : (
            <button type="button" class="fr-btn" onClick={() => run.resume()}>
              {t('archive_continue')}
            </button>
          )}
          <button type="button" class="fr-btn fr-btn--tertiary" onClick={() => run.stop()}>
            {t('archive_stop')}
          </button>
        </div>
      )}

      {!busy && remaining > 0 && (
        <div class="archive__start">
          <div class="fr-input-group">
            <label class="fr-label" for="archive-part-size">
              {t('archive_part_size')}
              <span class="fr-hint-text">{t('archive_part_size_hint')}</span>
            </label>
            <input
              id="archive-part-size"
              class="fr-input"
              type="number"
              min={1}
              max={10000}
              value={partSize.value}
              onInput={(event) => {
                const value = Number((event.target as HTMLInputElement).value);
                if (Number.isInteger(value) && value >= 1 && value <= 10_000) partSize.value = value;
              }}
            />
          </div>
          <button type="button" class="fr-btn" onClick={() => void begin()}>
            {state.job.parts.length > 0 || state.phase === 'stopped' || state.phase === 'failed'
              ? t('archive_resume', remaining)
              : canPickDirectory()
                ? t('archive_start_folder', remaining)
                : t('archive_start_downloads', remaining)}
          </button>
        </div>
      )}

      {state.job.parts.length > 0 && (
        <details class="archive__parts" open={state.phase === 'done'}>
          <summary>{t('archive_parts', state.job.parts.length)}</summary>
          <ul>
            {state.job.parts.map((part) => (
              <li key={part.name}>
                <code>{part.name}</code> — {t('archive_part_line', part.dossiers.length, formatBytes(part.bytes))}
                {part.missingFiles > 0 && <> · {t('archive_missing', part.missingFiles)}</>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function ArchivePage() {
  const run = useSignal<ArchiveRun | null>(null);
  const jobs = useSignal<JobList | null>(null);
  const problem = useSignal<string | null>(null);

  useEffect(() => {
    const id = Number(new URLSearchParams(location.search).get('job'));
    if (Number.isSafeInteger(id) && id > 0) {
      sendMessage('archive-job', { id })
        .then(({ job }) => {
          if (job) run.value = new ArchiveRun(job, parseHtml);
          else problem.value = t('archive_unknown');
        })
        .catch((error) => {
          problem.value = error instanceof Error ? error.message : String(error);
        });
    } else {
      void sendMessage('archive-jobs', {}).then((answer) => {
        jobs.value = answer.jobs;
      });
    }
  }, []);

  return (
    <main class="page archive">
      <header class="page__header">
        <h1>{t('archive_page_title')}</h1>
        <p class="fr-text--sm">{t('archive_intro')}</p>
      </header>
      {problem.value && <p class="fr-alert fr-alert--error fr-alert--sm">{problem.value}</p>}
      {run.value && <RunView run={run.value} />}
      {jobs.value && <Jobs jobs={jobs.value} />}
    </main>
  );
}
