import type { DossierRow } from '@/lib/core/db';
import { changeShownByMessage } from '@/lib/core/threat';
import { EXPIRY_SOURCE_RANK, type ExpirySource } from '@/lib/ds/model';
import { parisDate } from '@/lib/platform/time';

/**
 * One fresh look at a dossier, from the API or a DS page. Absent fields mean "not shown", never
 * "cleared": a list without the expiry column must not erase a date a dossier page gave earlier.
 */
export type Observation = Pick<DossierRow, 'number' | 'demarche'> &
  Partial<
    Pick<
      DossierRow,
      | 'state'
      | 'label'
      | 'dateDepot'
      | 'datePassageEnConstruction'
      | 'dateTraitement'
      | 'dateDerniereModification'
      | 'neverExpires'
    >
  > & {
    /** `null` = DS says there is no date (en instruction, or a démarche that keeps processed dossiers). */
    expiresAt?: string | null;
    expirySource?: Exclude<ExpirySource, 'estimate'>;
    /** true: seen in the corbeille; false: seen in a normal list (so restored if it was there). */
    inCorbeille?: boolean;
    /** When DS moved it there, if it says (the API's `dateSupression`); else when it was first seen there. */
    corbeilleSince?: string;
    /** With `inCorbeille`: DS's purge date, or null when none is scheduled. */
    purgeAt?: string | null;
    /** A page's newest message (the minute DS shows): a change of the dossier after a save, maybe. */
    lastMessageAt?: string;
  };

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Merges an observation into the stored row, idempotently. The expiry date keeps the most precise
 * source unless DS has moved the date to another day (a fresher, coarser reading then wins: DS
 * changed it, e.g. after its D-14 notice or an extension). A state change voids a date the
 * observation does not confirm, since DS recomputes `expired_at` at every transition.
 */
export function mergeDossier(
  origin: string,
  existing: DossierRow | undefined,
  obs: Observation,
  seenAt: string,
): DossierRow {
  const { inCorbeille, corbeilleSince, purgeAt, expiresAt, expirySource, neverExpires, lastMessageAt, ...facts } = obs;
  const row: DossierRow = {
    expiresAt: null,
    expirySource: null,
    ...existing,
    ...definedOnly(facts),
    origin,
    number: obs.number,
    demarche: obs.demarche,
    lastSeenAt: seenAt,
  };
  const stateChanged = existing?.state !== undefined && obs.state !== undefined && existing.state !== obs.state;
  if (stateChanged && expiresAt === undefined) {
    row.expiresAt = null;
    row.expirySource = null;
    row.neverExpires = undefined;
  }
  if (neverExpires !== undefined) row.neverExpires = neverExpires;

  if (expiresAt === null) {
    row.expiresAt = null;
    row.expirySource = expirySource ?? null;
    row.expiryCheckedAt = seenAt;
  } else if (expiresAt !== undefined && expirySource) {
    const keepPrecise =
      row.expiresAt !== null &&
      row.expirySource !== null &&
      EXPIRY_SOURCE_RANK[expirySource] < EXPIRY_SOURCE_RANK[row.expirySource] &&
      parisDate(new Date(row.expiresAt)) === parisDate(new Date(expiresAt));
    if (!keepPrecise) {
      row.expiresAt = expiresAt;
      row.expirySource = expirySource;
    }
    row.expiryCheckedAt = seenAt;
    row.neverExpires = false;
  }

  const changedByMessage = lastMessageAt === undefined ? undefined : changeShownByMessage(row, lastMessageAt);
  if (changedByMessage) row.dateDerniereModification = changedByMessage;

  if (inCorbeille === true) {
    row.corbeilleSince = existing?.corbeilleSince ?? corbeilleSince ?? seenAt;
    if (purgeAt !== undefined) row.purgeAt = purgeAt;
  }
  if (inCorbeille === false) {
    row.corbeilleSince = null;
    row.purgeAt = undefined;
  }
  return row;
}
