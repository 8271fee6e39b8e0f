import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/core/db';
import { parsePageHtml } from '@/lib/core/sync/parse-page';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { needsDossierPage, syncSession } from '@/lib/core/sync/session';
import { fixtureHtml, type PageName } from '../fixtures/pages';

const O = 'https://demarche.numerique.gouv.fr';
const NOW = new Date('2026-01-10T10:00:00+01:00');
const parse: PageParser = async (html, url, now) => parsePageHtml(html, url, now);

/** DS as seen with a session cookie: fixture pages at their URLs, 404 elsewhere. */
function fakeDs(routes: Record<string, PageName>, options: { signedOut?: boolean } = {}) {
  const requests: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname}${url.search}`);
    expect(init?.credentials).toBe('include');
    expect(init?.method ?? 'GET').toBe('GET');
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight -= 1;
    if (options.signedOut) {
      const response = new Response(fixtureHtml('signIn'), { status: 200 });
      Object.defineProperty(response, 'url', { value: `${O}/users/sign_in` });
      return response;
    }
    const page = routes[`${url.pathname}${url.search}`];
    const response = page
      ? new Response(fixtureHtml(page), { status: 200 })
      : new Response('Not found', { status: 404 });
    Object.defineProperty(response, 'url', { value: url.href });
    return response;
  }) as typeof fetch;
  return { fetcher, requests, maxInFlight: () => maxInFlight };
}

const ROUTES: Record<string, PageName> = {
  '/procedures': 'procedures',
  '/procedures/104532/tous': 'dossierList',
  '/procedures/104532/tous?page=2': 'dossierListPage2',
  '/procedures/104532/tous?page=3': 'dossierListPage2',
  '/procedures/104532/supprimes': 'dossierListCorbeille',
  '/procedures/104532/archives': 'dossierListEmpty',
  // A dossier of the list whose page shows its date (the fixture's own dossier stands in for it).
  '/procedures/104532/tous/dossiers/2356630': 'dossierEnConstruction',
};

describe('syncSession', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  async function watchOnly(number: number) {
    const ds = fakeDs(ROUTES);
    // The first read of /procedures discovers the démarches; keep only one watched.
    await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher, maxDossierPages: 0 }).catch(
      () => {},
    );
    await db.demarches
      .where('origin')
      .equals(O)
      .modify((d) => {
        d.watched = d.number === number;
      });
  }

  it('reads the démarches, every list page of the watched ones, then dossier pages two at a time', async () => {
    await watchOnly(104532);
    const ds = fakeDs(ROUTES);
    const counts = await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher });
    const lists = ds.requests.filter((r) => !r.includes('/dossiers/'));
    expect(lists).toEqual([
      '/procedures',
      '/procedures/104532/tous',
      '/procedures/104532/tous?page=2',
      '/procedures/104532/tous?page=3',
      '/procedures/104532/archives',
      '/procedures/104532/supprimes',
    ]);
    expect(ds.maxInFlight()).toBeLessThanOrEqual(2);
    expect(counts.requests).toBe(ds.requests.length);
    expect(await db.dossiers.get([O, 2356630])).toMatchObject({ state: 'en_construction', expirySource: 'page' });
    expect(await db.dossiers.where('[origin+demarche]').equals([O, 104532]).count()).toBe(counts.dossiers);
  });

  it('does not read again the dossier pages it already knows', async () => {
    await watchOnly(104532);
    await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: fakeDs(ROUTES).fetcher });
    const again = fakeDs(ROUTES);
    await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: again.fetcher });
    expect(again.requests).not.toContain('/procedures/104532/tous/dossiers/2356630');
  });

  it('stops with "logged-out" when DS answers with its sign-in page', async () => {
    const ds = fakeDs(ROUTES, { signedOut: true });
    await expect(syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher })).rejects.toMatchObject({
      code: 'logged-out',
    });
    expect(ds.requests).toEqual(['/procedures']);
  });

  it('skips a démarche the instructeur no longer sees, keeps the others', async () => {
    await watchOnly(104532);
    await db.demarches.put({
      origin: O,
      number: 999,
      title: 'Ancienne',
      watched: true,
      discoveredAt: NOW.toISOString(),
    });
    const ds = fakeDs(ROUTES);
    await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher });
    expect(ds.requests).toContain('/procedures/999/tous');
    expect(ds.requests).toContain('/procedures/104532/supprimes');
  });
});

describe('needsDossierPage', () => {
  const demarche = { origin: O, number: 1, title: 'D', watched: true, discoveredAt: '' };
  const base = { origin: O, number: 5, demarche: 1, lastSeenAt: '', expirySource: null, expiresAt: null } as const;
  const day = 86_400_000;

  it('asks for unknown dates of dossiers that can expire', () => {
    expect(needsDossierPage({ ...base, state: 'en_construction' }, demarche, NOW, 30)).toBe(true);
    expect(needsDossierPage({ ...base, state: 'en_instruction' }, demarche, NOW, 30)).toBe(false);
    expect(needsDossierPage({ ...base, state: 'accepte' }, { ...demarche, expiresWhenTermine: false }, NOW, 30)).toBe(
      false,
    );
    expect(needsDossierPage({ ...base, state: 'accepte', corbeilleSince: NOW.toISOString() }, demarche, NOW, 30)).toBe(
      false,
    );
  });

  it('re-reads near dates daily and far dates weekly', () => {
    const checked = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
    const near = {
      ...base,
      state: 'accepte' as const,
      expirySource: 'page' as const,
      expiresAt: new Date(NOW.getTime() + 20 * day).toISOString(),
    };
    const far = { ...near, expiresAt: new Date(NOW.getTime() + 200 * day).toISOString() };
    expect(needsDossierPage({ ...near, expiryCheckedAt: checked(day / 2) }, demarche, NOW, 30)).toBe(false);
    expect(needsDossierPage({ ...near, expiryCheckedAt: checked(day) }, demarche, NOW, 30)).toBe(true);
    expect(needsDossierPage({ ...far, expiryCheckedAt: checked(3 * day) }, demarche, NOW, 30)).toBe(false);
    expect(needsDossierPage({ ...far, expiryCheckedAt: checked(7 * day) }, demarche, NOW, 30)).toBe(true);
  });
});
