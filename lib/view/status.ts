import type { InstanceRow, ProblemCode, SyncProblem } from '@/lib/core/db';
import { type MessageKey, t } from '@/lib/platform/i18n';

/** What the status line says about each instance, and what to do when its last sync failed. */

/** Where the fix happens: the options page (token, permission), DS's sign-in page, or a new sync. */
export type ProblemAction = 'options' | 'sign-in' | 'retry';

const PROBLEMS: Record<ProblemCode, { message: MessageKey; fix: MessageKey; action: ProblemAction }> = {
  'token-expired': { message: 'problem_token_expired', fix: 'problem_token_expired_fix', action: 'options' },
  'network-forbidden': {
    message: 'problem_network_forbidden',
    fix: 'problem_network_forbidden_fix',
    action: 'options',
  },
  'token-invalid': { message: 'problem_token_invalid', fix: 'problem_token_invalid_fix', action: 'options' },
  'demarche-unauthorized': {
    message: 'problem_demarche_unauthorized',
    fix: 'problem_demarche_unauthorized_fix',
    action: 'options',
  },
  'logged-out': { message: 'problem_logged_out', fix: 'problem_logged_out_fix', action: 'sign-in' },
  unreachable: { message: 'problem_unreachable', fix: 'problem_unreachable_fix', action: 'retry' },
  'too-slow': { message: 'problem_too_slow', fix: 'problem_too_slow_fix', action: 'retry' },
  redirected: { message: 'problem_redirected', fix: 'problem_redirected_fix', action: 'retry' },
  'rate-limited': { message: 'problem_rate_limited', fix: 'problem_rate_limited_fix', action: 'retry' },
  'server-error': { message: 'problem_server_error', fix: 'problem_server_error_fix', action: 'retry' },
  'permission-missing': {
    message: 'problem_permission_missing',
    fix: 'problem_permission_missing_fix',
    action: 'options',
  },
  'storage-full': { message: 'problem_storage_full', fix: 'problem_storage_full_fix', action: 'retry' },
  // A token's sync reads no page: the options, where one is saved, are where the watch goes on.
  'page-unrecognized': {
    message: 'problem_page_unrecognized',
    fix: 'problem_page_unrecognized_fix',
    action: 'options',
  },
};

export interface ProblemText {
  code: ProblemCode;
  message: string;
  fix: string;
  action: ProblemAction;
}

/** The problem in plain words with its fix; `detail` (address range, démarche number) fills `$1`. */
export function describeProblem(problem: SyncProblem): ProblemText {
  const { message, fix, action } = PROBLEMS[problem.code];
  const detail = problem.detail ?? '';
  return { code: problem.code, message: t(message, detail), fix: t(fix, detail), action };
}

export interface InstanceStatus {
  origin: string;
  name: string;
  mode: InstanceRow['mode'];
  lastSyncAt: Date | null;
  problem: ProblemText | null;
}

/** One status per instance, troubled ones first, then by name. */
export function instanceStatuses(instances: readonly InstanceRow[]): InstanceStatus[] {
  return instances
    .map((instance) => ({
      origin: instance.origin,
      name: instance.name,
      mode: instance.mode,
      lastSyncAt: instance.lastSyncAt ? new Date(instance.lastSyncAt) : null,
      problem: instance.problem ? describeProblem(instance.problem) : null,
    }))
    .sort((a, b) => Number(!!b.problem) - Number(!!a.problem) || a.name.localeCompare(b.name, 'fr'));
}
