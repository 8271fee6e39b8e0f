import { browser } from 'wxt/browser';
import { type DemarcheRow, db, type InstanceRow } from '@/lib/core/db';
import { type InstanceRules, rulesOf } from '@/lib/core/instance-rules';
import { normaliseOrigin } from '@/lib/core/instances';
import { KNOWN_INSTANCES, matchPatternFor } from '@/lib/ds/instances';
import type { RulesEvidence } from '@/lib/ds/rules';
import { formatDate, type MessageKey, t } from '@/lib/platform/i18n';
import { type ResponseOf, sendMessage } from '@/lib/platform/messages';

/** What the options page does with instances and tokens; the background does the storing. */

const MANIFEST_PATTERN = /^(\*|https?):\/\/(\*|\*\.[^/:]+|[^/:*]+)(?::(\d+|\*))?\//;

/** Whether a manifest match pattern covers an origin (a pattern without a port matches every port). */
export function patternCovers(pattern: string, origin: string): boolean {
  const match = MANIFEST_PATTERN.exec(pattern);
  if (!match) return false;
  const [, scheme, host, port] = match as unknown as [string, string, string, string | undefined];
  const url = new URL(origin);
  const protocol = url.protocol.slice(0, -1);
  if (scheme === '*' ? protocol !== 'http' && protocol !== 'https' : scheme !== protocol) return false;
  if (port && port !== '*' && port !== (url.port || (protocol === 'https' ? '443' : '80'))) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1));
  return url.hostname === host;
}

/** Origins the manifest grants for good (known instances; loopback in demo builds) need no request. */
function grantedByManifest(origin: string): boolean {
  const granted: string[] = browser.runtime.getManifest().host_permissions ?? [];
  return granted.some((pattern: string) => patternCovers(pattern, origin));
}

/** The origin a user typed, or an error message in the UI's language. */
export function originOf(address: string): string {
  try {
    return normaliseOrigin(address);
  } catch {
    throw new Error(t('options_address_invalid'));
  }
}

/**
 * Adds an instance (asking for its host permission when the manifest does not grant it) and stores
 * its token when one is given. Call it straight from the click or submit handler: the permission
 * request needs that user gesture, so it is sent before anything is awaited.
 */
export async function connectInstance(
  address: string,
  token: string,
): Promise<{ origin: string; hint: string | null }> {
  const origin = originOf(address);
  if (!grantedByManifest(origin)) {
    const granted = await browser.permissions.request({ origins: [matchPatternFor(origin)] });
    if (!granted) throw new Error(t('options_permission_refused', new URL(origin).host));
  }
  await sendMessage('add-instance', { origin });
  const trimmed = token.trim();
  if (!trimmed) return { origin, hint: null };
  const { hint } = await sendMessage('save-token', { origin, token: trimmed });
  return { origin, hint };
}

/** Forgets an added instance, its data and its host permission. */
export async function disconnectInstance(origin: string): Promise<void> {
  await sendMessage('remove-instance', { origin });
  if (!grantedByManifest(origin)) await browser.permissions.remove({ origins: [matchPatternFor(origin)] });
}

export async function forgetInstanceToken(origin: string): Promise<void> {
  await sendMessage('forget-token', { origin });
}

/** Which démarches the stored token can read (the background calls DS with it). */
export async function testInstanceToken(origin: string): Promise<ResponseOf<'test-token'>> {
  return sendMessage('test-token', { origin });
}

function isKnownInstance(origin: string): boolean {
  return KNOWN_INSTANCES.some((known) => known.origin === origin);
}

export interface InstanceEntry {
  origin: string;
  name: string;
  known: boolean;
  /** Null for a known instance Archiviste has not used yet. */
  row: InstanceRow | null;
  /** Which of DS's expiry rules apply there, and why. */
  rules: InstanceRules;
}

const EVIDENCE: Record<RulesEvidence, MessageKey> = {
  'api-null': 'options_rules_evidence_api_null',
  'api-date': 'options_rules_evidence_api_date',
  'page-no-expiry': 'options_rules_evidence_page_no_expiry',
  'page-expires': 'options_rules_evidence_page_expires',
  'expirant-tab': 'options_rules_evidence_expirant_tab',
};

/** « Règles de DS depuis juin 2026 … » and why: DS's own host, what was seen and when, or an estimate. */
export function describeRules(rules: InstanceRules): { rule: string; why: string; estimated: boolean } {
  const rule = t(rules.set === '2026' ? 'options_rules_2026' : 'options_rules_2025');
  if (rules.basis === 'evidence' && rules.evidence && rules.since) {
    return {
      rule,
      why: t('options_rules_seen', formatDate(new Date(rules.since)), t(EVIDENCE[rules.evidence])),
      estimated: false,
    };
  }
  if (rules.basis === 'known-host') return { rule, why: t('options_rules_known_host'), estimated: false };
  return { rule, why: t('options_rules_assumed'), estimated: true };
}

/** What the options page lists: instances and démarches, read live from the database. */
export async function readOptionsRows(): Promise<{ instances: InstanceRow[]; demarches: DemarcheRow[] }> {
  const [instances, demarches] = await Promise.all([db.instances.toArray(), db.demarches.toArray()]);
  return { instances, demarches };
}

/** The known instances (always offered) and those the user added, known ones first. */
export function instanceEntries(rows: readonly InstanceRow[]): InstanceEntry[] {
  const byOrigin = new Map(rows.map((row) => [row.origin, row]));
  const known = KNOWN_INSTANCES.map(({ origin, name }) => ({
    origin,
    name,
    known: true,
    row: byOrigin.get(origin) ?? null,
    rules: rulesOf(origin, byOrigin.get(origin)),
  }));
  const added = rows
    .filter((row) => !isKnownInstance(row.origin))
    .sort((a, b) => a.addedAt.localeCompare(b.addedAt))
    .map((row) => ({ origin: row.origin, name: row.name, known: false, row, rules: rulesOf(row.origin, row) }));
  return [...known, ...added];
}
