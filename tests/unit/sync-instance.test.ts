import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/core/db';
import { ensureInstance } from '@/lib/core/instances';
import { saveToken } from '@/lib/core/secrets';
import { syncInstance } from '@/lib/core/sync';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { DEFAULT_SETTINGS } from '@/lib/platform/settings';

const O = 'https://demarche.numerique.gouv.fr';
const NOW = new Date('2026-11-23T10:00:00+01:00');
const parse: PageParser = async () => null;

/** DS answering every page with its sign-in form (the user is logged out). */
const signedOut = (async (input: RequestInfo | URL) => {
  const response = new Response('<form action="/users/sign_in"></form>', { status: 200 });
  Object.defineProperty(response, 'url', { value: `${new URL(String(input)).origin}/users/sign_in` });
  return response;
}) as typeof fetch;

describe('syncInstance', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
    fakeBrowser.permissions.contains = vi.fn(async () => true);
  });

  it('records the outcome, and a problem in terms the UI explains', async () => {
    await ensureInstance(O, NOW);
    const result = await syncInstance(O, { now: NOW, settings: DEFAULT_SETTINGS, parse, fetcher: signedOut });
    expect(result).toMatchObject({ origin: O, mode: 'session', requests: 1, problem: { code: 'logged-out' } });
    expect(await db.instances.get(O)).toMatchObject({
      mode: 'session',
      lastSyncRequests: 1,
      problem: { code: 'logged-out' },
    });
  });

  it('does not let a sync of the old mode overwrite the status after a token was saved meanwhile', async () => {
    await ensureInstance(O, NOW);
    const slowSignedOut = (async (input: RequestInfo | URL) => {
      // The user saves a token while the token-less sync is under way.
      await saveToken(O, 'bmV3LXRva2Vu', NOW);
      return signedOut(input);
    }) as typeof fetch;
    await syncInstance(O, { now: NOW, settings: DEFAULT_SETTINGS, parse, fetcher: slowSignedOut });
    expect(await db.instances.get(O)).toMatchObject({ mode: 'api', problem: null });
  });

  it('says so when the host permission of an added instance is missing', async () => {
    fakeBrowser.permissions.contains = vi.fn(async () => false);
    await ensureInstance('https://www.mes-demarches.gov.pf', NOW);
    const result = await syncInstance('https://www.mes-demarches.gov.pf', {
      now: NOW,
      settings: DEFAULT_SETTINGS,
      parse,
    });
    expect(result.problem?.code).toBe('permission-missing');
  });
});
