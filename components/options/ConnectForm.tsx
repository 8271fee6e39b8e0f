import type { Signal } from '@preact/signals';
import { useSignal } from '@preact/signals';
import type { RefObject } from 'preact';
import { Field } from '@/components/Field';
import { KNOWN_INSTANCES } from '@/lib/ds/instances';
import { t } from '@/lib/platform/i18n';
import { connectInstance } from '@/lib/view/instance-setup';

type Report = { ok: true; text: string } | { ok: false; text: string } | null;

interface Props {
  /** The address field, also filled by an instance card's « Ajouter un jeton ». */
  address: Signal<string>;
  tokenInput: RefObject<HTMLInputElement | null>;
}

/**
 * Adds an instance and/or stores its API token. The token field is not bound to any state: it is
 * read once on submit, sent to the background, and cleared.
 */
export function ConnectForm({ address, tokenInput }: Props) {
  const report = useSignal<Report>(null);
  const busy = useSignal(false);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const input = tokenInput.current;
    // Called before anything is awaited: a permission request needs this very user gesture.
    const done = connectInstance(address.value, input?.value ?? '');
    busy.value = true;
    report.value = null;
    done
      .then(
        ({ origin, hint }) => {
          if (input) input.value = '';
          const host = new URL(origin).host;
          report.value = {
            ok: true,
            text: hint ? t('options_token_saved', host, hint) : t('options_instance_added', host),
          };
        },
        (error: unknown) => {
          report.value = { ok: false, text: error instanceof Error ? error.message : String(error) };
        },
      )
      .finally(() => {
        busy.value = false;
      });
  };

  return (
    <form class="fr-card" aria-labelledby="connect-title" onSubmit={onSubmit}>
      <h3 id="connect-title">{t('options_connect_title')}</h3>
      <Field id="instance-address" label={t('options_instance_address')} hint={t('options_instance_address_hint')}>
        {(control) => (
          <input
            {...control}
            class="fr-input"
            type="text"
            inputMode="url"
            list="known-instances"
            autoComplete="url"
            spellcheck={false}
            required
            value={address.value}
            onInput={(event) => {
              address.value = event.currentTarget.value;
            }}
          />
        )}
      </Field>
      <datalist id="known-instances">
        {KNOWN_INSTANCES.map((known) => (
          <option key={known.origin} value={known.origin}>
            {known.name}
          </option>
        ))}
      </datalist>
      <Field id="api-token" label={t('options_api_token')} hint={t('options_api_token_hint')}>
        {(control) => (
          <input
            {...control}
            ref={tokenInput}
            class="fr-input"
            type="password"
            name="token"
            autoComplete="off"
            spellcheck={false}
          />
        )}
      </Field>
      <div class="fr-btns-group">
        <button type="submit" class="fr-btn" disabled={busy.value}>
          {t('options_save')}
        </button>
      </div>
      <p role="status" class={report.value?.ok === false ? 'fr-error-text' : 'options__report'}>
        {report.value?.text}
      </p>
    </form>
  );
}
