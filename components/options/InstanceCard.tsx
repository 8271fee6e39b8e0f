import { useSignal } from '@preact/signals';
import { Badge } from '@/components/Badge';
import { ProblemAlert } from '@/components/ProblemAlert';
import type { InstanceRules } from '@/lib/core/instance-rules';
import { now } from '@/lib/platform/clock';
import { formatAgo, t } from '@/lib/platform/i18n';
import type { ResponseOf } from '@/lib/platform/messages';
import {
  describeRules,
  disconnectInstance,
  forgetInstanceToken,
  type InstanceEntry,
  testInstanceToken,
} from '@/lib/view/instance-setup';
import { describeProblem } from '@/lib/view/status';

type TestState =
  | { kind: 'running' }
  | { kind: 'done'; result: ResponseOf<'test-token'> }
  | { kind: 'error'; error: string };

interface Props {
  entry: InstanceEntry;
  /** Fills the form's address with this instance and moves the focus to the token field. */
  onAddToken: (origin: string) => void;
}

/** One instance: its mode, its masked token, and the buttons to test, forget or remove. */
export function InstanceCard({ entry, onAddToken }: Props) {
  const test = useSignal<TestState | null>(null);
  const failure = useSignal<string | null>(null);
  const { row } = entry;
  const hint = row?.mode === 'api' ? row.tokenHint : null;
  const slug = new URL(entry.origin).host.replace(/[^a-z0-9]+/gi, '-');
  const which = <span class="fr-sr-only"> ({entry.name})</span>;

  const run = (action: () => Promise<unknown>) => {
    failure.value = null;
    action().catch((error: unknown) => {
      failure.value = error instanceof Error ? error.message : String(error);
    });
  };
  const runTest = () => {
    test.value = { kind: 'running' };
    testInstanceToken(entry.origin).then(
      (result) => {
        test.value = { kind: 'done', result };
      },
      (error: unknown) => {
        test.value = { kind: 'error', error: error instanceof Error ? error.message : String(error) };
      },
    );
  };

  return (
    <section class="fr-card" aria-labelledby={`instance-${slug}`} data-origin={entry.origin}>
      <h3 id={`instance-${slug}`}>{entry.name}</h3>
      <p class="fr-hint-text">{entry.origin}</p>
      <p>
        {hint ? (
          <>
            <Badge tone="info">{t('common_mode_api')}</Badge> {t('options_token_hint', hint)}
          </>
        ) : (
          <>
            <Badge tone="grey">{t('common_mode_session')}</Badge> {t('options_no_token')}
          </>
        )}
      </p>
      <RulesLine rules={entry.rules} />
      {row?.lastSyncAt && (
        <p class="fr-hint-text">{t('common_synced_ago', formatAgo(new Date(row.lastSyncAt), now()))}</p>
      )}
      {row?.problem && <ProblemAlert problem={describeProblem(row.problem)} />}

      <div class="fr-btns-group">
        {hint ? (
          <>
            <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" onClick={runTest}>
              {t('options_test_token')}
              {which}
            </button>
            <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" onClick={() => onAddToken(entry.origin)}>
              {t('options_replace_token')}
              {which}
            </button>
            <button
              type="button"
              class="fr-btn fr-btn--sm fr-btn--tertiary"
              onClick={() => {
                test.value = null;
                run(() => forgetInstanceToken(entry.origin));
              }}
            >
              {t('options_forget_token')}
              {which}
            </button>
          </>
        ) : (
          <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" onClick={() => onAddToken(entry.origin)}>
            {t('options_add_token')}
            {which}
          </button>
        )}
        {!entry.known && (
          <button
            type="button"
            class="fr-btn fr-btn--sm fr-btn--tertiary"
            onClick={() => {
              if (confirm(t('options_remove_confirm', entry.name))) run(() => disconnectInstance(entry.origin));
            }}
          >
            {t('options_remove_instance')}
            {which}
          </button>
        )}
      </div>
      <div role="status">
        {failure.value && <p class="fr-error-text">{failure.value}</p>}
        {test.value && <TestReport state={test.value} />}
      </div>
    </section>
  );
}

/** Which of DS's expiry rules Archiviste applies to this instance, and on what evidence. */
function RulesLine({ rules }: { rules: InstanceRules }) {
  const { rule, why, estimated } = describeRules(rules);
  return (
    <p class="fr-text--sm" data-rules={rules.set} data-rules-basis={rules.basis}>
      {rule} {estimated && <Badge tone="grey">{t('common_estimated')}</Badge>} <span class="fr-hint-text">{why}</span>
    </p>
  );
}

function TestReport({ state }: { state: TestState }) {
  if (state.kind === 'running') return <p>{t('options_testing')}</p>;
  if (state.kind === 'error') return <p class="fr-error-text">{t('options_test_failed', state.error)}</p>;
  const { readable, unreadable, problem } = state.result;
  if (problem) return <ProblemAlert problem={describeProblem(problem)} />;
  return (
    <div class="fr-alert fr-alert--success" data-testid="token-test">
      <p class="fr-alert__title">{t('options_token_reads', readable.length)}</p>
      <ul>
        {readable.map((demarche) => (
          <li key={demarche.number}>{t('options_demarche_line', demarche.number, demarche.title)}</li>
        ))}
      </ul>
      {unreadable.length > 0 && <p>{t('options_token_unreadable', unreadable.join(', '))}</p>}
    </div>
  );
}
