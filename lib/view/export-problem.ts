import type { ProblemCode } from '@/lib/core/db';
import { problemOf } from '@/lib/core/sync/errors';
import { type MessageKey, t } from '@/lib/platform/i18n';
import { describeProblem } from './status';

/**
 * A failed export in the user's words: the same problem as a sync's (expired token, DS unreachable…),
 * with an export's fix where the sync's would mislead (a sync retries by itself and reads lists;
 * an export is only made again when the user asks).
 */
const EXPORT_FIXES: Partial<Record<ProblemCode, MessageKey>> = {
  'logged-out': 'export_fix_logged_out',
  'rate-limited': 'export_fix_rate_limited',
  // The sync's fix speaks of the watch a token keeps; a list export reads DS's pages whatever the mode.
  'page-unrecognized': 'export_fix_page_unrecognized',
};

export function describeExportProblem(error: unknown, now: Date): { message: string; fix: string } {
  const problem = describeProblem(problemOf(error, now));
  const fix = EXPORT_FIXES[problem.code];
  return { message: problem.message, fix: fix ? t(fix) : problem.fix };
}

/** An export that could not be made: « La sauvegarde n’a pas pu être faite : » the problem, its fix. */
export function exportFailureText(error: unknown, now: Date): string {
  const { message, fix } = describeExportProblem(error, now);
  return t('export_failed', message, fix);
}
