import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/core/db';
import { type InstanceRules, TODAY_RULES } from '@/lib/core/instance-rules';
import { syncInstance } from '@/lib/core/sync';
import { parsePageHtml } from '@/lib/core/sync/parse-page';
import type { PageParser } from '@/lib/core/sync/remote-page';
import { needsDossierPage, needsMessages, syncSession } from '@/lib/core/sync/session';
import { archiveStatus } from '@/lib/core/threat';
import { routeOf } from '@/lib/ds/routes';
import { DEFAULT_SETTINGS } from '@/lib/platform/settings';
import { Markup, type MarkupPage } from '../../demo/pages/markup';
import { fixtureHtml, PAGES, type PageName } from '../fixtures/pages';

const O = 'https://demarche.numerique.gouv.fr';
const NOW = new Date('2026-01-10T10:00:00+01:00');
const parse: PageParser = async (html, url, now) => parsePageHtml(html, url, now);

/**
 * A fixture page as DS draws it at `url`: a page of another démarche standing in for this one's has
 * its links made this démarche's (its statut tabs point to the list it is shown as), and the markup
 * DS serves, when the test changed it as the demo can (demo/pages/markup.ts).
 */
function drawn(page: PageName, url: URL, markup?: Pick<Markup, 'apply'>): string {
  const shown = /^\/procedures\/(\d+)/.exec(new URL(PAGES[page].url).pathname)?.[1];
  const asked = /^\/procedures\/(\d+)/.exec(url.pathname)?.[1];
  const html =
    shown && asked && shown !== asked
      ? fixtureHtml(page).replaceAll(`/procedures/${shown}`, `/procedures/${asked}`)
      : fixtureHtml(page);
  const kind = routeOf(url).kind;
  return markup && (kind === 'dossier-list' || kind === 'dossier') ? markup.apply(html, kind) : html;
}

/** DS as seen with a session cookie: fixture pages at their URLs, 404 elsewhere. */
function fakeDs(
  routes: Record<string, PageName>,
  options: { signedOut?: boolean; redirectTo?: string; markup?: Pick<Markup, 'apply'> } = {},
) {
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
    if (options.redirectTo) {
      const response = new Response(fixtureHtml('procedures'), { status: 200 });
      Object.defineProperty(response, 'url', { value: `${options.redirectTo}${url.pathname}` });
      return response;
    }
    const page = routes[`${url.pathname}${url.search}`];
    const response = page
      ? new Response(drawn(page, url, options.markup), { status: 200 })
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

  async function watchOnly(number: number, origin = O, routes = ROUTES) {
    const ds = fakeDs(routes);
    // The first read of /procedures discovers the démarches; keep only one watched.
    await syncSession(origin, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher, maxDossierPages: 0 }).catch(
      () => {},
    );
    await db.demarches
      .where('origin')
      .equals(origin)
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
    // On DS, en construction dossiers never expire: none of their pages is read.
    expect(await db.dossiers.get([O, 2356630])).toMatchObject({ state: 'en_construction' });
    const enConstruction = (await db.dossiers.filter((d) => d.state === 'en_construction').toArray()).map(
      (d) => d.number,
    );
    expect(enConstruction.length).toBeGreaterThan(0);
    expect(ds.requests.filter((r) => enConstruction.some((n) => r.endsWith(`/dossiers/${n}`)))).toEqual([]);
    expect(await db.dossiers.where('[origin+demarche]').equals([O, 104532]).count()).toBe(counts.dossiers);
  });

  it('does not read again the dossier pages it already knows', async () => {
    await watchOnly(104532);
    await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: fakeDs(ROUTES).fetcher });
    const again = fakeDs(ROUTES);
    await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: again.fetcher });
    expect(again.requests).not.toContain('/procedures/104532/tous/dossiers/2356630');
  });

  it('never reads a page another origin served after a redirect', async () => {
    const ds = fakeDs(ROUTES, { redirectTo: 'https://sso.exemple.net' });
    await expect(syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher })).rejects.toMatchObject({
      code: 'redirected',
      detail: 'https://sso.exemple.net',
    });
    expect(await db.demarches.count()).toBe(0);
  });

  describe('on an instance with no evidence yet of DS’s rules', () => {
    const FORK = 'https://www.mes-demarches.gov.pf';
    const pageOf2233012 = '/procedures/104532/tous/dossiers/2233012';
    const enConstructionPages = (requests: string[], numbers: number[]) =>
      requests.filter((r) => numbers.some((n) => r.endsWith(`/dossiers/${n}`)));
    const enConstructionNumbers = async () =>
      (await db.dossiers.filter((d) => d.state === 'en_construction').toArray()).map((d) => d.number);

    /** A first sync of the fork, which knows an en construction dossier whose page `routes` serves. */
    async function syncWithDossierPage(routes: Record<string, PageName>) {
      await watchOnly(104532, FORK, routes);
      await db.dossiers.put({
        origin: FORK,
        number: 2233012,
        demarche: 104532,
        state: 'en_construction',
        expiresAt: null,
        expirySource: null,
        lastSeenAt: '',
      });
      const ds = fakeDs(routes);
      await syncSession(FORK, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher });
      return ds;
    }

    it('reads one en construction dossier’s page first, and follows what it shows: the older rules', async () => {
      const routes = { ...ROUTES, [pageOf2233012]: 'dossierEnConstruction' as const };
      const ds = await syncWithDossierPage(routes);
      expect((await db.instances.get(FORK))?.rules).toEqual({
        set: '2025',
        evidence: 'page-expires',
        at: NOW.toISOString(),
      });
      // Under the older rules, en construction dossiers are dated from their pages again.
      expect(enConstructionPages(ds.requests, await enConstructionNumbers()).length).toBeGreaterThan(1);
    });

    it('…or today’s rules: then en construction pages are no longer read', async () => {
      const routes = { ...ROUTES, [pageOf2233012]: 'dossierEnConstruction2026' as const };
      const ds = await syncWithDossierPage(routes);
      expect((await db.instances.get(FORK))?.rules).toMatchObject({ set: '2026', evidence: 'page-no-expiry' });
      const enConstruction = await enConstructionNumbers();
      expect(enConstructionPages(ds.requests, enConstruction)).toContain(pageOf2233012);
      const next = fakeDs(routes);
      await syncSession(FORK, { parse, now: NOW, leadTimeDays: 30, fetcher: next.fetcher });
      expect(enConstructionPages(next.requests, enConstruction)).toEqual([]);
    });
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

describe('syncSession and the messages of saved dossiers', () => {
  /** 2351204's row shows DS's « Message » in the list fixture; its print page holds its messagerie. */
  const PRINT = '/procedures/104532/dossiers/2351204/print';
  const routes: Record<string, PageName> = { ...ROUTES, [PRINT]: 'dossierPrint' };
  const sync = (ds: ReturnType<typeof fakeDs>, maxMessagePages?: number) =>
    syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: ds.fetcher, maxMessagePages });

  beforeEach(async () => {
    await db.delete();
    await db.open();
    await syncSession(O, { parse, now: NOW, leadTimeDays: 30, fetcher: fakeDs(routes).fetcher }).catch(() => {});
    await db.demarches
      .where('origin')
      .equals(O)
      .modify((d) => {
        d.watched = d.number === 104532;
      });
  });

  const saveAt = (number: number, archivedAt: string) => db.dossiers.update([O, number], { archivedAt });

  it('reads the print page of a saved dossier flagged « Message »: a message after the save makes it « à resauvegarder »', async () => {
    // Saved on 14 January at 09:00 Paris; the usager wrote at 09:31 (« Le 14/01/2026 09:31 »).
    await saveAt(2351204, '2026-01-14T08:00:00.000Z');
    const ds = fakeDs(routes);
    await sync(ds);
    expect(ds.requests).toContain(PRINT);
    // Never the « Messagerie » tab: opening it marks the usager's messages read on DS.
    expect(ds.requests.filter((r) => r.endsWith('/messagerie'))).toEqual([]);
    const row = await db.dossiers.get([O, 2351204]);
    // DS shows minutes: the message was sent by the end of that minute.
    expect(row?.dateDerniereModification).toBe('2026-01-14T08:31:59.999Z');
    expect(archiveStatus(row!)).toBe('stale');

    // Already « à resauvegarder »: nothing more to learn until it is saved again.
    const again = fakeDs(routes);
    await sync(again);
    expect(again.requests).not.toContain(PRINT);
  });

  it('does not mark it stale on the badge alone: the save may already hold the message', async () => {
    await saveAt(2351204, '2026-01-14T09:00:00.000Z');
    const ds = fakeDs(routes);
    await sync(ds);
    expect(ds.requests).toContain(PRINT);
    const row = await db.dossiers.get([O, 2351204]);
    expect(row?.dateDerniereModification).toBeUndefined();
    expect(archiveStatus(row!)).toBe('saved');
  });

  it('reads no messagerie of a dossier never saved, of a row without « Message », or beyond the bound', async () => {
    // 2351877 shows « Avis externe », not « Message ».
    await saveAt(2351877, '2026-01-14T08:00:00.000Z');
    const ds = fakeDs(routes);
    await sync(ds);
    expect(ds.requests.filter((r) => r.endsWith('/print'))).toEqual([]);

    await saveAt(2351204, '2026-01-14T08:00:00.000Z');
    const bounded = fakeDs(routes);
    await sync(bounded, 0);
    expect(bounded.requests.filter((r) => r.endsWith('/print'))).toEqual([]);
  });

  it('goes on when a print page is gone, and still counts its request', async () => {
    await saveAt(2351204, '2026-01-14T08:00:00.000Z');
    const ds = fakeDs(ROUTES);
    const counts = await sync(ds);
    expect(ds.requests).toContain(PRINT);
    expect(counts.requests).toBe(ds.requests.length);
    expect(archiveStatus((await db.dossiers.get([O, 2351204]))!)).toBe('saved');
  });
});

describe('needsMessages', () => {
  const row = { origin: O, number: 5, demarche: 1, lastSeenAt: '', expirySource: null, expiresAt: null } as const;
  const saved = { ...row, archivedAt: '2026-01-10T09:00:00.000Z' };

  it('asks only for saved dossiers whose row shows « Message »', () => {
    expect(needsMessages(saved, { news: ['message'] })).toBe(true);
    expect(needsMessages(saved, { news: ['dossier_modifie', 'avis_externe'] })).toBe(false);
    expect(needsMessages(saved, {})).toBe(false);
    expect(needsMessages(row, { news: ['message'] })).toBe(false);
    expect(needsMessages(undefined, { news: ['message'] })).toBe(false);
    expect(needsMessages({ ...saved, deletedAt: NOW.toISOString() }, { news: ['message'] })).toBe(false);
    // Already known to have changed since the save.
    const changed = { ...saved, dateDerniereModification: '2026-01-10T09:05:00.000Z' };
    expect(needsMessages(changed, { news: ['message'] })).toBe(false);
  });
});

describe('needsDossierPage', () => {
  const OLD: InstanceRules = { set: '2025', basis: 'evidence' };
  const demarche = { origin: O, number: 1, title: 'D', watched: true, discoveredAt: '' };
  const base = { origin: O, number: 5, demarche: 1, lastSeenAt: '', expirySource: null, expiresAt: null } as const;
  const day = 86_400_000;

  it('never asks for an en construction dossier’s page where DS no longer expires them', () => {
    expect(needsDossierPage({ ...base, state: 'en_construction' }, demarche, TODAY_RULES, NOW, 30)).toBe(false);
    expect(needsDossierPage({ ...base, state: 'accepte' }, demarche, TODAY_RULES, NOW, 30)).toBe(true);
  });

  it('asks for unknown dates of dossiers that can expire', () => {
    expect(needsDossierPage({ ...base, state: 'en_construction' }, demarche, OLD, NOW, 30)).toBe(true);
    expect(needsDossierPage({ ...base, state: 'en_instruction' }, demarche, OLD, NOW, 30)).toBe(false);
    expect(
      needsDossierPage({ ...base, state: 'accepte' }, { ...demarche, expiresWhenTermine: false }, OLD, NOW, 30),
    ).toBe(false);
    expect(
      needsDossierPage({ ...base, state: 'accepte', corbeilleSince: NOW.toISOString() }, demarche, OLD, NOW, 30),
    ).toBe(false);
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
    expect(needsDossierPage({ ...near, expiryCheckedAt: checked(day / 2) }, demarche, OLD, NOW, 30)).toBe(false);
    expect(needsDossierPage({ ...near, expiryCheckedAt: checked(day) }, demarche, OLD, NOW, 30)).toBe(true);
    expect(needsDossierPage({ ...far, expiryCheckedAt: checked(3 * day) }, demarche, OLD, NOW, 30)).toBe(false);
    expect(needsDossierPage({ ...far, expiryCheckedAt: checked(7 * day) }, demarche, OLD, NOW, 30)).toBe(true);
  });
});

describe('syncInstance without a token, when DS changed its markup (issue 12 §2)', () => {
  const markup = new Markup();
  const settings = { ...DEFAULT_SETTINGS, leadTimeDays: 30 };
  let warn: MockInstance<typeof console.warn>;

  beforeEach(async () => {
    await db.delete();
    await db.open();
    markup.set(null);
    fakeBrowser.permissions.contains = vi.fn(async () => true);
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // A first sync on DS's own pages: the démarche watched, its dossiers stored with their states.
    await syncInstance(O, { now: NOW, settings, parse, fetcher: fakeDs(ROUTES).fetcher });
    await db.demarches
      .where('origin')
      .equals(O)
      .modify((d) => {
        d.watched = d.number === 104532;
      });
    expect((await syncInstance(O, { now: NOW, settings, parse, fetcher: fakeDs(ROUTES).fetcher })).problem).toBeNull();
    warn.mockClear();
  });
  afterEach(() => warn.mockRestore());

  const stored = async () => ({ dossiers: await db.dossiers.toArray(), demarches: await db.demarches.toArray() });

  it.each([
    ['unknown-columns', 'columns not found: N° dossier, État du dossier'],
    ['no-table', 'dossier table not found'],
    ['new-tab', 'unknown tab /procedures/104532/a-relancer'],
    ['renamed-classes', 'row number cell not found'],
  ] as const)(
    '%s on the lists: the sync stops at the first list, stores nothing of it, says so once',
    async (variant, reason) => {
      const before = await stored();
      expect(before.dossiers.length).toBeGreaterThan(10);
      expect(before.dossiers.every((d) => d.state !== undefined)).toBe(true);
      markup.set(variant);
      const ds = fakeDs(ROUTES, { markup });
      const later = new Date(NOW.getTime() + 3_600_000);

      const result = await syncInstance(O, { now: later, settings, parse, fetcher: ds.fetcher });

      expect(result.problem).toEqual({ code: 'page-unrecognized', at: later.toISOString(), detail: reason });
      expect(ds.requests).toEqual(['/procedures', '/procedures/104532/tous']);
      expect(await stored()).toEqual(before);
      expect(await db.instances.get(O)).toMatchObject({
        problem: { code: 'page-unrecognized', detail: reason },
        lastSyncAt: NOW.toISOString(),
      });
      expect(warn.mock.calls).toEqual([
        [`Archiviste: token-less sync of ${O} stopped: DS page not recognised (${reason})`],
      ]);
    },
  );

  it('a dossier page it does not know stops the sync after the lists, which change nothing: the dossier is left as stored', async () => {
    // The lists as DS draws them, the dossier pages with DS's badges renamed.
    const dossierPagesOnly = {
      apply: (html: string, kind: MarkupPage) => (kind === 'dossier' ? markup.apply(html, kind) : html),
    };
    markup.set('renamed-classes');
    // The dossier pages a sync reads: the fixtures have none for them (404), so they stay due.
    const probe = fakeDs(ROUTES);
    await syncInstance(O, { now: NOW, settings, parse, fetcher: probe.fetcher });
    const page = probe.requests.find((request) => request.includes('/dossiers/'));
    expect(page).toBeDefined();
    const before = await stored();
    const ds = fakeDs({ ...ROUTES, [page!]: 'dossierRefuse' }, { markup: dossierPagesOnly });

    const result = await syncInstance(O, { now: NOW, settings, parse, fetcher: ds.fetcher });

    expect(result.problem).toMatchObject({ code: 'page-unrecognized', detail: 'state badge not found' });
    expect(ds.requests).toContain(page);
    expect(await stored()).toEqual(before);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('DS’s own markup back: the next sync reads everything again and the problem is gone', async () => {
    markup.set('unknown-columns');
    await syncInstance(O, { now: NOW, settings, parse, fetcher: fakeDs(ROUTES, { markup }).fetcher });
    expect((await db.instances.get(O))?.problem?.code).toBe('page-unrecognized');

    markup.set(null);
    const later = new Date(NOW.getTime() + 3_600_000);
    const ds = fakeDs(ROUTES, { markup });
    const result = await syncInstance(O, { now: later, settings, parse, fetcher: ds.fetcher });

    expect(result.problem).toBeNull();
    expect(ds.requests).toContain('/procedures/104532/supprimes');
    expect(await db.instances.get(O)).toMatchObject({ problem: null, lastSyncAt: later.toISOString() });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
