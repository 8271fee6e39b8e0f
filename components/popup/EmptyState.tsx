import { proceduresUrl } from '@/lib/ds/routes';
import { t } from '@/lib/platform/i18n';
import type { PopupState } from '@/lib/view/popup';

type Empty = Exclude<PopupState, 'list'>;

const TEXTS: Record<Empty, { title: Parameters<typeof t>[0]; body: Parameters<typeof t>[0] }> = {
  'first-run': { title: 'popup_first_run_title', body: 'popup_first_run_body' },
  'no-demarche': { title: 'popup_no_demarche_title', body: 'popup_no_demarche_body' },
  'none-watched': { title: 'popup_none_watched_title', body: 'popup_none_watched_body' },
  'nothing-soon': { title: 'popup_nothing_soon_title', body: 'popup_nothing_soon_body' },
  'all-saved': { title: 'popup_all_saved_title', body: 'popup_all_saved_body' },
};

interface Props {
  state: Empty;
  /** The instance to open on DS. */
  origin: string;
  onOpenOptions: () => void;
}

/** What to do next when there is nothing to list. */
export function EmptyState({ state, origin, onOpenOptions }: Props) {
  const { title, body } = TEXTS[state];
  const visitDs = state === 'first-run' || state === 'no-demarche';
  const options = state === 'first-run' || state === 'none-watched';
  return (
    <div class="fr-alert fr-alert--info" data-state={state}>
      <p class="fr-alert__title">{t(title)}</p>
      <p>{t(body)}</p>
      {(visitDs || options) && (
        <div class="fr-btns-group">
          {visitDs && (
            <a class="fr-btn fr-btn--sm" href={proceduresUrl(origin)} target="_blank" rel="noopener">
              {t('common_open_demarches')}
            </a>
          )}
          {options && (
            <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" onClick={onOpenOptions}>
              {t('popup_open_options')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
