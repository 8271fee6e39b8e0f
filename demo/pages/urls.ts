/** Instructeur URLs as DS's route helpers generate them (config/routes.rb, instructeur scope). */
import type { Statut } from '../rules/statuts';

/** `/procedures/:p` is the à-suivre tab; Kaminari omits `page=1`. */
export function listPath(demarche: number, statut: Statut, page = 1): string {
  const path = statut === 'a-suivre' ? `/procedures/${demarche}` : `/procedures/${demarche}/${statut}`;
  return page > 1 ? `${path}?page=${page}` : path;
}

export const dossierPath = (demarche: number, statut: Statut, dossier: number): string =>
  `/procedures/${demarche}/${statut}/dossiers/${dossier}`;

/** Helpers called without a statut fall back to the route default, `a-suivre` (DS quirk). */
export const dossierActionPath = (demarche: number, dossier: number, action: string, statut: Statut = 'a-suivre') =>
  `${dossierPath(demarche, statut, dossier)}/${action}`;

export const zipPath = (demarche: number, dossier: number): string =>
  `/procedures/${demarche}/dossiers/${dossier}/telecharger_pjs`;
