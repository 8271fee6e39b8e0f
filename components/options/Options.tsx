import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { KNOWN_INSTANCES } from '@/lib/ds/instances';
import { t } from '@/lib/platform/i18n';
import { instanceEntries, readOptionsRows } from '@/lib/view/instance-setup';
import { useLiveQuery, useSettings } from '@/lib/view/live';
import { ConnectForm } from './ConnectForm';
import { InstanceCard } from './InstanceCard';
import { LedgerSection } from './LedgerSection';
import { SettingsForm } from './SettingsForm';
import { WatchedDemarches } from './WatchedDemarches';
import './options.css';

export function Options() {
  const rows = useLiveQuery(readOptionsRows);
  const settings = useSettings();
  const address = useSignal<string>(KNOWN_INSTANCES[0].origin);
  const tokenInput = useRef<HTMLInputElement>(null);

  const onAddToken = (origin: string) => {
    address.value = origin;
    tokenInput.current?.focus();
  };

  return (
    <main class="page options">
      <header class="page__header">
        <h1>{t('options_title')}</h1>
        <p>{t('options_intro')}</p>
      </header>

      <section aria-labelledby="instances-title">
        <h2 id="instances-title">{t('options_instances_title')}</h2>
        <p>{t('options_instances_intro')}</p>
        <ConnectForm address={address} tokenInput={tokenInput} />
        {rows.value &&
          instanceEntries(rows.value.instances).map((entry) => (
            <InstanceCard key={entry.origin} entry={entry} onAddToken={onAddToken} />
          ))}
      </section>

      <section aria-labelledby="demarches-title">
        <h2 id="demarches-title">{t('options_demarches_title')}</h2>
        <p>{t('options_demarches_intro')}</p>
        {rows.value && (
          <WatchedDemarches
            demarches={rows.value.demarches}
            instances={rows.value.instances}
            origin={rows.value.instances[0]?.origin ?? KNOWN_INSTANCES[0].origin}
          />
        )}
      </section>

      <section>{settings.value && <SettingsForm settings={settings.value} />}</section>

      {settings.value && <LedgerSection settings={settings.value} />}
    </main>
  );
}
