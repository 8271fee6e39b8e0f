import type { Route } from '@/lib/ds/routes';

export interface FeatureContext {
  route: Route;
  /** Aborted when the content script is invalidated (extension updated or disabled). */
  signal: AbortSignal;
  document: Document;
}

export interface Feature {
  /** Stable id: the file name, used in logs and in the injected markers. */
  id: string;
  /** Pure test on the URL; the feature runs only where it returns true. */
  include: (route: Route) => boolean;
  /** Returns `false` when the page turns out not to be for this feature. */
  init: (ctx: FeatureContext) => undefined | false | Promise<undefined | false>;
}

export const defineFeature = (feature: Feature): Feature => feature;

export type FeatureOutcome = { id: string; status: 'ran' | 'skipped' | 'not-applicable' | 'failed'; error?: unknown };

/**
 * Runs every feature that applies to `route`, each isolated from the others: one that throws is
 * logged and reported as failed, the rest carry on.
 */
export async function runFeatures(features: readonly Feature[], ctx: FeatureContext): Promise<FeatureOutcome[]> {
  return Promise.all(
    features.map(async (feature): Promise<FeatureOutcome> => {
      if (!feature.include(ctx.route)) return { id: feature.id, status: 'skipped' };
      try {
        const result = await feature.init(ctx);
        return { id: feature.id, status: result === false ? 'not-applicable' : 'ran' };
      } catch (error) {
        console.error(`Archiviste: ${feature.id} failed`, error);
        return { id: feature.id, status: 'failed', error };
      }
    }),
  );
}
