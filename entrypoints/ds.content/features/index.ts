import type { Feature } from '@/lib/content/feature';
import { countdownBadgesFeature } from './countdown-badges';
import { demarcheBannerFeature } from './demarche-banner';
import { exportButtonsFeature } from './export-buttons';
import { proceduresSummaryFeature } from './procedures-summary';
import { reportPageFeature } from './report-page';

/** Every content-script feature, one file each. Order does not matter: each runs isolated. */
export const FEATURES: readonly Feature[] = [
  reportPageFeature,
  countdownBadgesFeature,
  demarcheBannerFeature,
  proceduresSummaryFeature,
  exportButtonsFeature,
];
