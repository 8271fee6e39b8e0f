import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/core/db';
import { recordRulesEvidence, rulesOf } from '@/lib/core/instance-rules';
import { acceptPageReport } from '@/lib/core/sync/record-page';
import { isSecureOrigin } from '@/lib/ds/instances';
import type { PageReport } from '@/lib/ds/model';
import { rulesShownByApi } from '@/lib/ds/rules';

const DN = 'https://demarche.numerique.gouv.fr';
const FORK = 'https://www.mes-demarches.gov.pf';

describe('rulesOf', () => {
  it('starts DS’s own hosts on today’s rules, any other instance on the older ones as an estimate', () => {
    expect(rulesOf(DN)).toEqual({ set: '2026', basis: 'known-host' });
    expect(rulesOf('https://www.demarches-simplifiees.fr')).toMatchObject({ set: '2026', basis: 'known-host' });
    expect(rulesOf(FORK)).toEqual({ set: '2025', basis: 'assumed' });
  });

  it('follows the evidence, wherever it was seen', () => {
    const rules = { set: '2025' as const, evidence: 'api-date' as const, at: '2026-11-02T10:00:00.000Z' };
    expect(rulesOf(DN, { rules })).toEqual({
      set: '2025',
      basis: 'evidence',
      evidence: 'api-date',
      since: '2026-11-02T10:00:00.000Z',
    });
  });
});

describe('rulesShownByApi', () => {
  it('reads the rules from en construction dossiers only: a null date is DS’s "never"', () => {
    expect(rulesShownByApi([{ state: 'accepte', dateExpiration: '2026-12-01T00:00:00Z' }])).toBeUndefined();
    expect(rulesShownByApi([{ state: 'en_construction', dateExpiration: null }])).toEqual({
      set: '2026',
      evidence: 'api-null',
    });
    expect(
      rulesShownByApi([
        { state: 'en_construction', dateExpiration: null },
        { state: 'en_construction', dateExpiration: '2026-12-01T00:00:00Z' },
      ]),
    ).toEqual({ set: '2025', evidence: 'api-date' });
  });
});

describe('recordRulesEvidence', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
    await db.instances.put({ origin: FORK, name: 'mes-démarches', addedAt: '', mode: 'session' });
  });

  it('switches as soon as DS shows which rules it runs, and keeps the date it was first seen', async () => {
    expect(await recordRulesEvidence(FORK, { set: '2025', evidence: 'page-expires' }, '2026-11-01T10:00:00Z')).toBe(
      false,
    );
    expect(rulesOf(FORK, await db.instances.get(FORK))).toMatchObject({ basis: 'evidence', set: '2025' });
    await recordRulesEvidence(FORK, { set: '2025', evidence: 'expirant-tab' }, '2026-11-05T10:00:00Z');
    expect((await db.instances.get(FORK))?.rules).toEqual({
      set: '2025',
      evidence: 'page-expires',
      at: '2026-11-01T10:00:00Z',
    });
    // The fork upgraded to DS's June 2026 release.
    expect(await recordRulesEvidence(FORK, { set: '2026', evidence: 'api-null' }, '2026-11-20T10:00:00Z')).toBe(true);
    expect(rulesOf(FORK, await db.instances.get(FORK))).toEqual({
      set: '2026',
      basis: 'evidence',
      evidence: 'api-null',
      since: '2026-11-20T10:00:00Z',
    });
  });
});

describe('acceptPageReport', () => {
  const report = (extra: Partial<PageReport> = {}): PageReport => ({
    origin: FORK,
    url: `${FORK}/procedures/7/a-suivre/dossiers/42`,
    seenAt: '2026-11-23T09:00:00.000Z',
    demarches: [{ number: 7, title: 'Aides' }],
    dossiers: [{ number: 42, demarche: 7, state: 'en_construction' }],
    rules: { set: '2026', evidence: 'page-no-expiry' },
    ...extra,
  });

  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  it('stores a well-formed report and the rules it proves', async () => {
    expect(await acceptPageReport(report(), report().url)).toEqual({ stored: 1, newInstance: FORK, list: null });
    expect(rulesOf(FORK, await db.instances.get(FORK))).toMatchObject({ set: '2026', basis: 'evidence' });
  });

  it('drops a malformed report with one console warning, storing nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const bad = { ...report(), dossiers: [{ number: 42, demarche: 7, state: 'détruit' }] };
    expect(await acceptPageReport(bad, report().url)).toEqual({ stored: 0, newInstance: null, list: null });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await db.instances.count()).toBe(0);
    warn.mockRestore();
  });

  it('refuses a report about another instance than the page’s', async () => {
    await expect(acceptPageReport(report(), `${DN}/procedures`)).rejects.toThrow('another origin');
  });
});

describe('isSecureOrigin', () => {
  it('takes HTTPS, and plain HTTP to loopback only where the demo is allowed', () => {
    expect(isSecureOrigin(new URL(FORK))).toBe(true);
    expect(isSecureOrigin(new URL('http://127.0.0.1:4000'), true)).toBe(true);
    // What a production build does: no plain HTTP at all.
    expect(isSecureOrigin(new URL('http://127.0.0.1:4000'), false)).toBe(false);
    expect(isSecureOrigin(new URL('http://localhost:4000'), false)).toBe(false);
    expect(isSecureOrigin(new URL('http://ds.exemple.fr'), true)).toBe(false);
  });
});
