import { db, type InstanceRow } from '@/lib/core/db';
import { KNOWN_INSTANCES } from '@/lib/ds/instances';
import type { RuleSet, RulesEvidence, RulesShown } from '@/lib/ds/rules';

/**
 * Which of DS's two rule sets an instance runs (lib/ds/rules.ts), learned from what DS itself shows.
 * DS's own hosts start on today's rules. Another instance (a fork) with no evidence yet is assumed
 * to run the older ones, where en construction dossiers expire, but only as an estimate: its
 * en construction dates are labelled « estimation » until a page or the API settles the question.
 */
export interface InstanceRules {
  set: RuleSet;
  /** `evidence`: DS showed it; `known-host`: DS's own hosts; `assumed`: no evidence yet (an estimate). */
  basis: 'evidence' | 'known-host' | 'assumed';
  evidence?: RulesEvidence;
  /** When the evidence was first seen. */
  since?: string;
}

/** DS as it runs since June 2026, on its own hosts: en construction dossiers never expire. */
export const TODAY_RULES: InstanceRules = { set: '2026', basis: 'known-host' };

export function rulesOf(origin: string, instance?: Pick<InstanceRow, 'rules'> | null): InstanceRules {
  if (instance?.rules) {
    return { set: instance.rules.set, basis: 'evidence', evidence: instance.rules.evidence, since: instance.rules.at };
  }
  if (KNOWN_INSTANCES.some((known) => known.origin === origin)) return TODAY_RULES;
  return { set: '2025', basis: 'assumed' };
}

/** Rules of every instance, for code that reads dossiers of several instances at once. */
export function rulesByOrigin(instances: readonly InstanceRow[]): (origin: string) => InstanceRules {
  const rows = new Map(instances.map((instance) => [instance.origin, instance]));
  return (origin) => rulesOf(origin, rows.get(origin));
}

/**
 * Records what DS just showed. The latest evidence wins (a fork upgrades to DS's newer release);
 * its date is kept while the rule set stays the same, so the options page can say « constaté le … ».
 * Returns whether the instance's rule set changed.
 */
export async function recordRulesEvidence(origin: string, shown: RulesShown, at: string): Promise<boolean> {
  return db.transaction('rw', db.instances, async () => {
    const instance = await db.instances.get(origin);
    if (!instance) return false;
    const before = rulesOf(origin, instance);
    if (instance.rules?.set === shown.set) return false;
    await db.instances.update(origin, { rules: { set: shown.set, evidence: shown.evidence, at } });
    return before.set !== shown.set;
  });
}
