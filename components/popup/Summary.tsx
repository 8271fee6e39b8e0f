import { t } from '@/lib/platform/i18n';
import type { PopupSummary } from '@/lib/view/popup';

/**
 * The counts every other screen agrees with: what DS deletes within the lead time, how much of it is
 * not saved (the toolbar badge's number), and how many dossiers DS will not delete at all.
 */
export function Summary({ summary }: { summary: PopupSummary }) {
  return (
    <section class="popup__summary" aria-labelledby="summary-title">
      <h2 id="summary-title" class="fr-sr-only">
        {t('popup_summary_title')}
      </h2>
      <dl>
        <div data-summary="threatened">
          <dt>{t('popup_summary_threatened', summary.leadTimeDays)}</dt>
          <dd>{summary.threatened}</dd>
        </div>
        <div data-summary="at-risk">
          <dt>{t('popup_summary_at_risk')}</dt>
          <dd>{summary.atRisk}</dd>
        </div>
        <div data-summary="never">
          <dt>{t('popup_summary_never')}</dt>
          <dd>{summary.neverExpire}</dd>
        </div>
      </dl>
    </section>
  );
}
