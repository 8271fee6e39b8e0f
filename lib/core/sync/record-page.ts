import { db } from '@/lib/core/db';
import { recordRulesEvidence } from '@/lib/core/instance-rules';
import { ensureInstance } from '@/lib/core/instances';
import { checkPageReport } from '@/lib/core/sync/check-report';
import type { Observation } from '@/lib/core/sync/merge';
import { storeDemarches, storeObservations } from '@/lib/core/sync/store';
import type { PageDossier, PageReport } from '@/lib/ds/model';
import { CORBEILLE_DAYS } from '@/lib/ds/rules';
import { addDays } from '@/lib/platform/time';

/** What a DS page showed about one dossier, as an observation to merge. */
export function observationOf(dossier: PageDossier, report: Pick<PageReport, 'list'>): Observation {
  const listedOutsideCorbeille = report.list !== undefined && report.list.statut !== 'supprimes';
  return {
    number: dossier.number,
    demarche: dossier.demarche,
    state: dossier.state,
    label: dossier.label,
    dateDepot: dossier.dateDepot,
    dateTraitement: dossier.dateTraitement,
    lastMessageAt: dossier.lastMessageAt,
    ...(dossier.neverExpires
      ? { expiresAt: null, expirySource: 'page' as const, neverExpires: true }
      : { expiresAt: dossier.expiresAt, expirySource: dossier.expirySource }),
    inCorbeille: dossier.inCorbeille ?? (listedOutsideCorbeille ? false : undefined),
    // "Suppression dans N J." counts down to the purge, 14 days after DS hid the dossier.
    ...(dossier.inCorbeille && dossier.purgeAt !== undefined && { purgeAt: dossier.purgeAt }),
    ...(dossier.inCorbeille &&
      dossier.purgeAt && { corbeilleSince: addDays(new Date(dossier.purgeAt), -CORBEILLE_DAYS).toISOString() }),
  };
}

/** A content script may only report about the DS instance whose page it runs in. */
export function sameOriginReport(report: Pick<PageReport, 'origin'>, senderUrl: string | undefined): boolean {
  if (!senderUrl) return false;
  try {
    return new URL(senderUrl).origin === report.origin;
  } catch {
    return false;
  }
}

const isNumber = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

/**
 * Stores what a DS page (read by a content script, or fetched by the background with the user's
 * session) showed: the instance, its user, the démarches and the dossiers.
 */
export async function recordPageReport(report: PageReport): Promise<number> {
  const { origin, seenAt } = report;
  await ensureInstance(origin, new Date(seenAt));
  if (report.user) await db.instances.update(origin, { user: report.user });
  if (report.rules) await recordRulesEvidence(origin, report.rules, seenAt);
  // Page data is untrusted: keep only well-formed entries.
  await storeDemarches(
    origin,
    report.demarches.filter((d) => isNumber(d.number) && typeof d.title === 'string'),
    seenAt,
  );
  return storeObservations(
    origin,
    report.dossiers.filter((d) => isNumber(d.number) && isNumber(d.demarche)).map((d) => observationOf(d, report)),
    seenAt,
  );
}

/**
 * A report a content script sent: checked field by field (a malformed one is dropped with one
 * warning), refused when it is about another instance than the page's, then stored. Tells which
 * instance it made known for the first time, if any, and which dossiers a list page showed.
 */
export async function acceptPageReport(
  payload: unknown,
  senderUrl: string | undefined,
): Promise<{ stored: number; newInstance: string | null; list: { origin: string; dossiers: number[] } | null }> {
  const report = checkPageReport(payload);
  if (!report) {
    console.warn('Archiviste: malformed page report dropped', senderUrl);
    return { stored: 0, newInstance: null, list: null };
  }
  if (!sameOriginReport(report, senderUrl)) throw new Error('Page report from another origin');
  const isNew = !(await db.instances.get(report.origin));
  const stored = await recordPageReport(report);
  // A list page's rows, whose missing dates the background may complete while the user looks.
  const list = report.list ? { origin: report.origin, dossiers: report.dossiers.map((d) => d.number) } : null;
  return { stored, newInstance: isNew ? report.origin : null, list };
}
