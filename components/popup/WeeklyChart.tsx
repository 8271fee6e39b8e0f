import { formatDayMonth, t } from '@/lib/platform/i18n';
import type { WeekBucket } from '@/lib/view/weekly-chart';

const WIDTH = 372;
const HEIGHT = 112;
const AXIS = 16;
const TOP = 14;
const BAR = 18;

/**
 * Deletions per week as stacked bars: the unsaved part in red (what needs doing), the saved part
 * in blue. Screen readers get the same numbers as a table.
 */
export function WeeklyChart({ weeks }: { weeks: readonly WeekBucket[] }) {
  const slot = WIDTH / Math.max(1, weeks.length);
  const max = Math.max(1, ...weeks.map((week) => week.total));
  const scale = (count: number) => (count / max) * (HEIGHT - AXIS - TOP);
  const total = weeks.reduce((sum, week) => sum + week.total, 0);
  const unsaved = weeks.reduce((sum, week) => sum + week.unsaved, 0);
  return (
    <figure class="chart">
      <figcaption>
        <h2>{t('popup_chart_title')}</h2>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby="chart-svg-title chart-desc"
        data-testid="weekly-chart"
      >
        <title id="chart-svg-title">{t('popup_chart_title')}</title>
        <desc id="chart-desc">{t('popup_chart_summary', total, unsaved)}</desc>
        {weeks.map((week, index) => {
          const x = index * slot + (slot - BAR) / 2;
          const base = HEIGHT - AXIS;
          const unsavedHeight = scale(week.unsaved);
          const savedHeight = scale(week.total - week.unsaved);
          return (
            <g key={week.start.toISOString()} data-week={index}>
              <rect class="chart__unsaved" x={x} y={base - unsavedHeight} width={BAR} height={unsavedHeight} />
              <rect
                class="chart__saved"
                x={x}
                y={base - unsavedHeight - savedHeight}
                width={BAR}
                height={savedHeight}
              />
              {week.total > 0 && (
                <text class="chart__count" x={x + BAR / 2} y={base - unsavedHeight - savedHeight - 3}>
                  {week.total}
                </text>
              )}
              {index % 2 === 0 && (
                <text class="chart__axis" x={x + BAR / 2} y={HEIGHT - 3}>
                  {formatDayMonth(week.start)}
                </text>
              )}
            </g>
          );
        })}
        <line class="chart__baseline" x1={0} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} />
      </svg>
      <ul class="chart__legend" aria-hidden="true">
        <li>
          <span class="chart__swatch chart__unsaved" /> {t('popup_legend_unsaved')}
        </li>
        <li>
          <span class="chart__swatch chart__saved" /> {t('popup_legend_saved')}
        </li>
      </ul>
      <table class="fr-sr-only">
        <caption>{t('popup_chart_title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('popup_chart_week')}</th>
            <th scope="col">{t('popup_chart_dossiers')}</th>
            <th scope="col">{t('popup_legend_unsaved')}</th>
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week.start.toISOString()}>
              <th scope="row">{t('popup_chart_week_of', formatDayMonth(week.start), formatDayMonth(week.end))}</th>
              <td>{week.total}</td>
              <td>{week.unsaved}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
