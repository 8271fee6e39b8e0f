import type { Route } from '@/lib/ds/routes';
import type { PageFeatureId } from '@/lib/platform/messages';

export interface FeatureContext {
  route: Route;
  /** Aborted when the content script is invalidated (extension updated or disabled). */
  signal: AbortSignal;
  document: Document;
}

export interface Feature {
  /** Stable id: the file name, used in logs, in the injected markers and in the popup. */
  id: PageFeatureId;
  /** Pure test on the URL; the feature runs only where it returns true. */
  include: (route: Route) => boolean;
  /**
   * Why the page, whose URL is one the feature runs on, lacks the markup it reads (DS changed its
   * pages), or null. Asked before `init`: an unrecognised page is left untouched by the feature.
   */
  recognise?: (ctx: FeatureContext) => string | null;
  /** Returns `false` when the page turns out not to be for this feature. */
  init: (ctx: FeatureContext) => undefined | false | Promise<undefined | false>;
}

export const defineFeature = (feature: Feature): Feature => feature;

export type FeatureOutcome =
  | { id: PageFeatureId; status: 'ran' | 'skipped' | 'not-applicable' }
  | { id: PageFeatureId; status: 'unrecognised'; reason: string }
  | { id: PageFeatureId; status: 'failed'; error: unknown };

/**
 * Runs every feature that applies to `route`, each isolated from the others: one that does not
 * recognise the page turns itself off with one warning, one that throws is logged and reported as
 * failed, and the rest carry on.
 */
export async function runFeatures(features: readonly Feature[], ctx: FeatureContext): Promise<FeatureOutcome[]> {
  return Promise.all(
    features.map(async (feature): Promise<FeatureOutcome> => {
      if (!feature.include(ctx.route)) return { id: feature.id, status: 'skipped' };
      try {
        const reason = feature.recognise?.(ctx) ?? null;
        if (reason !== null) {
          console.warn(`Archiviste: ${feature.id} turned off: DS page not recognised (${reason})`);
          return { id: feature.id, status: 'unrecognised', reason };
        }
        const result = await feature.init(ctx);
        return { id: feature.id, status: result === false ? 'not-applicable' : 'ran' };
      } catch (error) {
        console.error(`Archiviste: ${feature.id} failed`, error);
        return { id: feature.id, status: 'failed', error };
      }
    }),
  );
}

/** The features a page turned off, for the background (`page-markup`): the popup says so. */
export function unrecognisedOf(outcomes: readonly FeatureOutcome[]): { id: PageFeatureId; reason: string }[] {
  return outcomes.flatMap((outcome) =>
    outcome.status === 'unrecognised' ? [{ id: outcome.id, reason: outcome.reason }] : [],
  );
}
