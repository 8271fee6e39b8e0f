import { Badge } from '@/components/Badge';
import { t } from '@/lib/platform/i18n';
import { archiveBadge, countdownOf, stateBadge } from '@/lib/view/badges';
import type { UpcomingRow } from '@/lib/view/upcoming';

/** Countdown, deletion date (« estimation » when Archiviste computed it), state and archive status. */
export function DossierBadges({ row }: { row: UpcomingRow }) {
  const countdown = countdownOf(row.timeline);
  const state = row.state ? stateBadge(row.state) : null;
  const archive = archiveBadge(row.archive, row.archivedAt);
  return (
    <ul class="fr-badges-group">
      {countdown && (
        <>
          <li>
            <Badge tone={countdown.tone}>{countdown.short}</Badge>
          </li>
          <li>
            <Badge tone="grey">{countdown.date}</Badge>
          </li>
          {countdown.estimated && (
            <li>
              <Badge tone="info">{t('common_estimated')}</Badge>
            </li>
          )}
        </>
      )}
      {state && (
        <li>
          <Badge tone={state.tone}>{state.text}</Badge>
        </li>
      )}
      <li>
        <Badge tone={archive.tone}>{archive.text}</Badge>
      </li>
    </ul>
  );
}
