import { useSignal } from '@preact/signals';
import { Field } from '@/components/Field';
import { type MessageKey, t } from '@/lib/platform/i18n';
import type { Settings } from '@/lib/platform/settings';
import { updateSettings } from '@/lib/platform/settings';
import {
  CSV_SEPARATORS,
  type FieldErrors,
  fieldsOf,
  LANGUAGES,
  parseSettingsFields,
  type SettingsFields,
  SYNC_INTERVALS_HOURS,
} from '@/lib/view/settings-form';

const SEPARATOR_LABELS: Record<Settings['csvSeparator'], MessageKey> = {
  ';': 'options_separator_semicolon',
  ',': 'options_separator_comma',
  '\t': 'options_separator_tab',
};
const LANGUAGE_LABELS: Record<Settings['language'], MessageKey> = {
  auto: 'options_language_auto',
  fr: 'options_language_fr',
  en: 'options_language_en',
};

/** Notification thresholds, sync interval, CSV separator and language; saved with « Enregistrer ». */
export function SettingsForm({ settings }: { settings: Settings }) {
  const fields = useSignal<SettingsFields>(fieldsOf(settings));
  const errors = useSignal<FieldErrors>({});
  const saved = useSignal(false);

  const set = (name: keyof SettingsFields) => (event: { currentTarget: { value: string } }) => {
    fields.value = { ...fields.value, [name]: event.currentTarget.value };
    saved.value = false;
  };
  const error = (name: keyof SettingsFields) => {
    const key = errors.value[name];
    return key ? t(key) : null;
  };
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseSettingsFields(fields.value);
    if ('errors' in parsed) {
      errors.value = parsed.errors;
      return;
    }
    errors.value = {};
    await updateSettings(parsed.settings);
    saved.value = true;
  };

  return (
    <form aria-labelledby="settings-title" onSubmit={onSubmit} noValidate>
      <h2 id="settings-title">{t('options_settings_title')}</h2>
      <Field
        id="lead-time"
        label={t('options_lead_time')}
        hint={t('options_lead_time_hint')}
        error={error('leadTimeDays')}
      >
        {(control) => (
          <input
            {...control}
            class="fr-input"
            type="number"
            min={1}
            max={365}
            value={fields.value.leadTimeDays}
            onInput={set('leadTimeDays')}
          />
        )}
      </Field>
      <Field
        id="reminders"
        label={t('options_reminders')}
        hint={t('options_reminders_hint')}
        error={error('reminders')}
      >
        {(control) => (
          <input {...control} class="fr-input" type="text" value={fields.value.reminders} onInput={set('reminders')} />
        )}
      </Field>
      <Field id="sync-interval" kind="select" label={t('options_sync_interval')} error={error('syncIntervalHours')}>
        {(control) => (
          <select
            {...control}
            class="fr-select"
            value={fields.value.syncIntervalHours}
            onChange={set('syncIntervalHours')}
          >
            {SYNC_INTERVALS_HOURS.map((hours) => (
              <option key={hours} value={String(hours)}>
                {t('options_every_hours', hours)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="csv-separator" kind="select" label={t('options_csv_separator')} error={error('csvSeparator')}>
        {(control) => (
          <select {...control} class="fr-select" value={fields.value.csvSeparator} onChange={set('csvSeparator')}>
            {CSV_SEPARATORS.map((separator) => (
              <option key={separator} value={separator}>
                {t(SEPARATOR_LABELS[separator])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="language" kind="select" label={t('options_language')} error={error('language')}>
        {(control) => (
          <select {...control} class="fr-select" value={fields.value.language} onChange={set('language')}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(LANGUAGE_LABELS[language])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div class="fr-btns-group">
        <button type="submit" class="fr-btn">
          {t('options_save')}
        </button>
      </div>
      <p role="status" class="options__report">
        {saved.value && t('options_settings_saved')}
      </p>
    </form>
  );
}
