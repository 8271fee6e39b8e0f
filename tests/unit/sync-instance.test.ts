import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/core/db';
import { ensureInstance } from '@/lib/core/instances';
import { saveToken } from '@/lib/core/secrets';
import { resumeInterruptedSync, syncAll, syncAllAfterCurrent, syncInstance } from '@/lib/core/sync';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { MAX_SYNC_RESUMES, SYNC_RESUME_ALARM, syncUnderWay } from '@/lib/platform/scheduler';
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

/** DS signed out, answering only once released: a sync held under way while the test acts. */
function heldSignedOut() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const fetcher = vi.fn(async (input: RequestInfo | URL) => {
    await held;
    return signedOut(input);
  }) as unknown as typeof fetch;
  return { fetcher, release };
}

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

describe('a sync under way, and one the browser interrupted', () => {
  const context = { now: NOW, settings: DEFAULT_SETTINGS, parse, fetcher: signedOut };

  beforeEach(async () => {
    fakeBrowser.reset();
    await db.delete();
    await db.open();
    fakeBrowser.permissions.contains = vi.fn(async () => true);
    await ensureInstance(O, NOW);
  });

  it('is marked, with a resume alarm, while it runs, and unmarked when it ends', async () => {
    let during: unknown;
    let alarm: unknown;
    const watched = (async (input: RequestInfo | URL) => {
      during = await syncUnderWay.get();
      alarm = await fakeBrowser.alarms.get(SYNC_RESUME_ALARM);
      return signedOut(input);
    }) as typeof fetch;
    await syncAll({ ...context, fetcher: watched });
    expect(during).toEqual({ origins: null, resumes: 0 });
    expect(alarm).toMatchObject({ periodInMinutes: 1 });
    expect(await syncUnderWay.get()).toBeNull();
    expect(await fakeBrowser.alarms.get(SYNC_RESUME_ALARM)).toBeUndefined();
  });

  it('resumes a sync whose worker stopped (its mark outlived it), counting the resumes', async () => {
    await syncUnderWay.start({ origins: [O], resumes: 1 });
    let during: unknown;
    const watched = (async (input: RequestInfo | URL) => {
      during = await syncUnderWay.get();
      return signedOut(input);
    }) as typeof fetch;
    const results = await resumeInterruptedSync({ ...context, fetcher: watched });
    expect(results).toEqual([
      expect.objectContaining({ origin: O, problem: expect.objectContaining({ code: 'logged-out' }) }),
    ]);
    expect(during).toEqual({ origins: [O], resumes: 2 });
    expect(await syncUnderWay.get()).toBeNull();
    // Nothing marked: nothing to resume.
    expect(await resumeInterruptedSync(context)).toBeNull();
  });

  it('gives up on a sync resumed too often (one that stops its worker every time must not loop)', async () => {
    await syncUnderWay.start({ origins: null, resumes: MAX_SYNC_RESUMES });
    const fetcher = vi.fn(signedOut);
    expect(await resumeInterruptedSync({ ...context, fetcher })).toBeNull();
    expect(fetcher).not.toHaveBeenCalled();
    expect(await syncUnderWay.get()).toBeNull();
    expect(await fakeBrowser.alarms.get(SYNC_RESUME_ALARM)).toBeUndefined();
  });

  it('leaves alone a sync this worker is running: the alarm finds it alive', async () => {
    const { fetcher, release } = heldSignedOut();
    const running = syncAll({ ...context, fetcher });
    await vi.waitFor(() => expect(fetcher).toHaveBeenCalled());
    expect(await resumeInterruptedSync(context)).toBeNull();
    release();
    await running;
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('answers « Synchroniser maintenant » with a run begun after it, shared by requests meanwhile', async () => {
    const { fetcher: first, release } = heldSignedOut();
    const running = syncAll({ ...context, fetcher: first });
    await vi.waitFor(() => expect(first).toHaveBeenCalled());
    // The user adds an instance while the first run is under way, then asks twice.
    const other = 'https://www.demarches-simplifiees.fr';
    await ensureInstance(other, NOW);
    const later = vi.fn(signedOut);
    const asked = syncAllAfterCurrent({ ...context, fetcher: later });
    const again = syncAllAfterCurrent({ ...context, fetcher: later });
    expect(asked).toBe(again);
    release();
    expect((await running).map((result) => result.origin)).toEqual([O]);
    expect((await asked).map((result) => result.origin).sort()).toEqual([O, other].sort());
    expect(later).toHaveBeenCalledTimes(2); // one run, one request per instance
  });

  it('runs the queued sync over every instance the requests meanwhile asked for', async () => {
    const other = 'https://www.demarches-simplifiees.fr';
    const third = 'https://www.mes-demarches.gov.pf';
    await ensureInstance(other, NOW);
    await ensureInstance(third, NOW);
    const { fetcher: first, release } = heldSignedOut();
    const running = syncAll({ ...context, fetcher: first }, [O]);
    await vi.waitFor(() => expect(first).toHaveBeenCalled());
    const later = vi.fn(signedOut);
    const forOther = syncAllAfterCurrent({ ...context, fetcher: later }, [other]);
    const forThird = syncAllAfterCurrent({ ...context, fetcher: later }, [third]);
    expect(forOther).toBe(forThird);
    release();
    await running;
    expect((await forOther).map((result) => result.origin).sort()).toEqual([other, third].sort());
    expect(later).toHaveBeenCalledTimes(2);
  });
});
