import type { DemarcheRow, InstanceRow } from '@/lib/core/db';
import { proceduresUrl } from '@/lib/ds/routes';
import { t } from '@/lib/platform/i18n';
import { demarchesByInstance, setWatched } from '@/lib/view/watched';

interface Props {
  demarches: readonly DemarcheRow[];
  instances: readonly InstanceRow[];
  /** Where to send the user to discover démarches. */
  origin: string;
}

/** Démarches discovered on DS's pages, each with its switch; a change is saved at once. */
export function WatchedDemarches({ demarches, instances, origin }: Props) {
  const names = new Map(instances.map((instance) => [instance.origin, instance.name]));
  const groups = demarchesByInstance(demarches);
  if (groups.length === 0) {
    return (
      <div class="fr-alert fr-alert--info">
        <p class="fr-alert__title">{t('options_no_demarche_title')}</p>
        <p>{t('options_no_demarche_body')}</p>
        <p>
          <a href={proceduresUrl(origin)} target="_blank" rel="noopener">
            {t('common_open_demarches')}
          </a>
        </p>
      </div>
    );
  }
  return (
    <>
      {groups.map((group) => (
        <fieldset key={group.origin} class="fr-fieldset">
          <legend>{names.get(group.origin) ?? new URL(group.origin).host}</legend>
          {group.demarches.map((demarche) => {
            const id = `watch-${new URL(demarche.origin).host.replace(/[^a-z0-9]+/gi, '-')}-${demarche.number}`;
            return (
              <p key={demarche.number} class="fr-checkbox">
                <input
                  type="checkbox"
                  role="switch"
                  aria-checked={demarche.watched}
                  id={id}
                  checked={demarche.watched}
                  onChange={(event) => void setWatched(demarche.origin, demarche.number, event.currentTarget.checked)}
                />
                <label for={id}>{t('options_demarche_line', demarche.number, demarche.title)}</label>
              </p>
            );
          })}
        </fieldset>
      ))}
    </>
  );
}
