import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportPageFeature } from '@/entrypoints/ds.content/features/report-page';
import type { PageReport } from '@/lib/ds/model';
import { routeOf } from '@/lib/ds/routes';
import { sendMessage } from '@/lib/platform/messages';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';

vi.mock('@/lib/platform/messages', () => ({ sendMessage: vi.fn() }));
const send = vi.mocked(sendMessage);
/** The reports sent so far; every message must be a page report. */
function reports(): PageReport[] {
  expect(send.mock.calls.map(([kind]) => kind).every((kind) => kind === 'page-report')).toBe(true);
  return send.mock.calls.map(([, report]) => report as PageReport);
}

/** Puts a fixture in the test window, at its DS URL, as the content script finds it. */
function openPage(name: PageName, url: string = PAGES[name].url): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  const page = fixtureDocument(name);
  for (const script of page.querySelectorAll('script')) script.remove();
  document.head.replaceWith(document.importNode(page.head, true));
  document.body.replaceWith(document.importNode(page.body, true));
}

let controller: AbortController;
async function start(name: PageName, url?: string): Promise<void> {
  openPage(name, url);
  controller = new AbortController();
  await reportPageFeature.init({ route: routeOf(location.href), signal: controller.signal, document });
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
/** Lets DOM mutations reach the observers, then the animation frame the reporter waits for. */
async function settle(): Promise<void> {
  await Promise.resolve();
  await nextFrame();
  await nextFrame();
}

const $ = (selector: string): Element => {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`no ${selector}`);
  return element;
};

describe('report-page feature', () => {
  beforeEach(() => {
    send.mockReset();
    send.mockResolvedValue({ stored: 1 });
  });
  afterEach(() => controller?.abort());

  it('runs on the pages DS readers know, not elsewhere', () => {
    for (const name of ['procedures', 'dossierList', 'dossierEnInstruction'] as const) {
      expect(reportPageFeature.include(routeOf(PAGES[name].url)), name).toBe(true);
    }
    expect(reportPageFeature.include(routeOf(PAGES.signIn.url))).toBe(false);
    expect(reportPageFeature.include(routeOf('https://demarche.numerique.gouv.fr/profil'))).toBe(false);
  });

  it('sends what the page shows as soon as it starts', async () => {
    await start('dossierList');
    expect(reports()).toEqual([
      expect.objectContaining({
        origin: 'https://demarche.numerique.gouv.fr',
        url: PAGES.dossierList.url,
        user: 'camille.lefebvre@exemple.gouv.fr',
        list: { demarche: 104532, statut: 'tous', page: 1, pageCount: 3 },
      }),
    ]);
    expect(reports()[0]?.dossiers.map((d) => d.number)).toEqual([
      2345690, 2356630, 2276540, 2362015, 2351204, 2351877, 2298311, 2301456,
    ]);
  });

  it('sends nothing for DS’s sign-in page', async () => {
    // What a DS URL shows once the session has expired.
    await start('signIn', PAGES.procedures.url);
    await settle();
    expect(send).not.toHaveBeenCalled();
  });

  it('sends again once DS replaces #header-top after a state change', async () => {
    await start('dossierEnInstruction');
    // turbo-stream "replace" of the header after "Accepter".
    const next = $('#header-top').cloneNode(true) as Element;
    const badge = next.querySelector('.fr-badge-group > span.fr-badge');
    if (!badge) throw new Error('no state badge');
    badge.textContent = 'accepté';
    const banner = next.querySelector('p.expires_at_en_instruction');
    if (!banner) throw new Error('no banner');
    banner.className = 'expires_at fr-mb-1w fr-text--sm';
    banner.textContent = 'Expirera le 15/01/2027  (12 mois après le traitement du dossier)';
    $('#header-top').replaceWith(next);
    await settle();

    const [before, after] = reports();
    expect(reports()).toHaveLength(2);
    expect(before?.dossiers[0]).toMatchObject({ state: 'en_instruction', neverExpires: true });
    expect(after?.dossiers[0]).toEqual({
      number: 2351204,
      demarche: 104532,
      state: 'accepte',
      expiresAt: '2027-01-14T23:00:00.000Z',
      expirySource: 'page',
      label: 'Cercle d’Escrime de Nantes',
    });
  });

  it('sends again after DS morphs the header in place, and again after a later replacement', async () => {
    await start('dossierEnInstruction');
    $('#header-top .fr-badge-group > span.fr-badge').textContent = 'refusé';
    await settle();
    $('#header-top').replaceWith($('#header-top').cloneNode(true));
    $('#header-top .fr-badge-group > span.fr-badge').textContent = 'classé sans suite';
    await settle();
    expect(reports().map((r) => r.dossiers[0]?.state)).toEqual(['en_instruction', 'refuse', 'sans_suite']);
  });

  it('sends once per burst when the counters turbo-stream fills the procedures page', async () => {
    await start('proceduresLoading');
    // Turbo renders each <turbo-stream action="update"> in its own animation frame callback.
    for (const counter of document.querySelectorAll('span[id^="procedure-"][id$="-count"]')) {
      requestAnimationFrame(() => {
        counter.textContent = counter.id.endsWith('-expirant-count') ? '7' : '1';
      });
    }
    await settle();
    expect(reports()).toHaveLength(2);
    expect(reports()[0]?.demarches.every((d) => d.counts === undefined)).toBe(true);
    expect(reports()[1]?.demarches[0]?.counts).toEqual({ 'a-suivre': 1, suivis: 1, traites: 1, tous: 1, expirant: 7 });
  });

  it('sends again when the table body is replaced', async () => {
    await start('dossierListExpirant');
    const body = $('#table-dossiers > tbody');
    const next = body.cloneNode(true) as Element;
    next.querySelector('#table-dossiers-row-2233012')?.remove();
    body.replaceWith(next);
    await settle();
    expect(reports().map((r) => r.dossiers.length)).toEqual([6, 5]);
  });

  it('reads the new URL when Turbo renders another page in place', async () => {
    await start('dossierList');
    // A data-turbo form's redirect, rendered by a Turbo visit: new body, new URL, same script.
    openPage('dossierListPage2');
    await settle();
    expect(reports().map((r) => [r.url, r.list?.page])).toEqual([
      [PAGES.dossierList.url, 1],
      [PAGES.dossierListPage2.url, 2],
    ]);
  });

  it('does not send the same reading twice', async () => {
    await start('dossierExpirant');
    const tag = document.createElement('span');
    tag.className = 'fr-tag fr-tag--sm';
    tag.textContent = 'Urgent';
    $('#header-top .fr-mb-3w').append(tag);
    document.body.append(document.createElement('div'));
    await settle();
    expect(send).toHaveBeenCalledOnce();
  });

  it('tries again at the next change when the background did not answer', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    send.mockRejectedValueOnce(new Error('No answer to page-report'));
    await start('dossierExpirant');
    await settle();
    expect(warn).toHaveBeenCalledOnce();
    $('#header-top .fr-mb-3w').append(document.createElement('span'));
    await settle();
    expect(reports()).toHaveLength(2);
    expect(reports()[1]).toMatchObject({ dossiers: reports()[0]?.dossiers });
    warn.mockRestore();
  });

  it('tries again a second later when the background did not answer, with no change on the page', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    send.mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'));
    await start('dossierExpirant');
    await settle();
    expect(send).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(2), { timeout: 2_000 });
    expect(reports()[1]).toMatchObject({ dossiers: reports()[0]?.dossiers });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('stops when the content script is invalidated', async () => {
    await start('dossierEnInstruction');
    controller.abort();
    $('#header-top .fr-badge-group > span.fr-badge').textContent = 'accepté';
    $('#header-top').replaceWith($('#header-top').cloneNode(true));
    await settle();
    expect(send).toHaveBeenCalledOnce();
  });
});
