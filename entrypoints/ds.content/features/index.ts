import type { Feature } from '@/lib/content/feature';
import { reportPageFeature } from './report-page';

/** Every content-script feature, one file each. Order does not matter: each runs isolated. */
export const FEATURES: readonly Feature[] = [reportPageFeature];
