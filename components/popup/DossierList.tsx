import { DossierBadges } from '@/components/DossierBadges';
import { t } from '@/lib/platform/i18n';
import type { UpcomingGroup } from '@/lib/view/upcoming';

/** The dossiers deleted soonest, by démarche; each links to its page on DS. */
export function DossierList({ groups, hidden }: { groups: readonly UpcomingGroup[]; hidden: number }) {
  return (
    <div class="dossiers">
      {groups.map((group) => (
        <section key={`${group.origin}|${group.demarche}`} class="dossiers__group" data-demarche={group.demarche}>
          <h3>
            {group.title ?? t('common_demarche_number', group.demarche)}
            <span class="fr-hint-text">
              {group.title && t('common_demarche_number', group.demarche)}
              {group.instanceName && ` · ${group.instanceName}`}
            </span>
          </h3>
          <ul class="dossiers__rows">
            {group.rows.map((row) => (
              <li key={row.number} class="dossiers__row" data-dossier={row.number}>
                <a href={row.url} target="_blank" rel="noopener">
                  {t('common_dossier_number', row.number)}
                </a>
                {row.label && <span class="dossiers__label"> · {row.label}</span>}
                <DossierBadges row={row} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {hidden > 0 && <p class="fr-hint-text">{t('popup_more_dossiers', hidden)}</p>}
    </div>
  );
}
