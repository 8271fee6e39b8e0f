import type { DsApiClient } from '@/lib/ds/api';
import { type Clock, realClock } from '@/lib/ds/budget';
import { type BuildZipOptions, buildDossierZip, type DossierZip } from './build-zip';
import { type ExportPlan, planDossierExport } from './plan';

/**
 * A dossier's ZIP in API (token) mode: the dossier asked through the API, planned in DS's layout,
 * then downloaded and verified; fresh signed URLs are asked for when the first ones get old.
 */

export class DossierNotFoundError extends Error {
  constructor(readonly dossier: number) {
    super(`Dossier ${dossier} is not visible through the API`);
    this.name = 'DossierNotFoundError';
  }
}

async function fetchPlan(
  client: Pick<DsApiClient, 'exportDossier'>,
  number: number,
  clock: Clock,
): Promise<ExportPlan> {
  const dossier = await client.exportDossier(number);
  if (!dossier) throw new DossierNotFoundError(number);
  // Stamped before the request went out would be safer, but DS signs when it answers.
  return planDossierExport(dossier, clock.now());
}

export type ApiExportOptions = Omit<BuildZipOptions, 'plan' | 'refreshPlan'>;

/** Asks the API for the dossier (throws {@link DossierNotFoundError} if DS no longer shows it), then builds its ZIP. */
export async function exportDossierZip(
  client: Pick<DsApiClient, 'exportDossier' | 'origin'>,
  number: number,
  options: ApiExportOptions = {},
): Promise<DossierZip> {
  const clock = options.clock ?? realClock;
  const plan = await fetchPlan(client, number, clock);
  return buildDossierZip({
    origin: client.origin,
    ...options,
    plan,
    refreshPlan: () => fetchPlan(client, number, clock),
  });
}
