import { describe, expect, it } from 'vitest';
import type { PageDossier, PageReport } from '@/lib/ds/model';
import { isSignInPage, readPage } from '@/lib/ds/read-page';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';

/** "Today" in the fixtures: 2026-01-15, Paris (UTC+1 in January). */
const NOW = new Date('2026-01-15T10:00:00+01:00');
const ORIGIN = 'https://demarche.numerique.gouv.fr';

function read(name: PageName, now = NOW, doc = fixtureDocument(name), url: string = PAGES[name].url): PageReport {
  const report = readPage(doc, url, now);
  if (!report) throw new Error(`${name} was not read`);
  return report;
}

const dossier = (report: PageReport, number: number): PageDossier => {
  const found = report.dossiers.find((d) => d.number === number);
  if (!found) throw new Error(`no dossier ${number}`);
  return found;
};

/** Edits a fixture before reading it, as DS would render a variant. */
function variant(name: PageName, edit: (doc: Document) => void): Document {
  const doc = fixtureDocument(name);
  edit(doc);
  return doc;
}

const setText = (doc: Document, selector: string, text: string) => {
  const element = doc.querySelector(selector);
  if (!element) throw new Error(`no ${selector}`);
  element.textContent = text;
};

describe('readPage', () => {
  it('reads the pages Archiviste knows, stamped with origin, URL, time and user', () => {
    const report = read('dossierList');
    expect(report).toMatchObject({
      origin: ORIGIN,
      url: `${ORIGIN}/procedures/104532/tous`,
      seenAt: '2026-01-15T09:00:00.000Z',
      user: 'camille.lefebvre@exemple.gouv.fr',
    });
  });

  it('ignores other DS pages', () => {
    expect(readPage(fixtureDocument('procedures'), `${ORIGIN}/profil`, NOW)).toBeNull();
    expect(readPage(fixtureDocument('procedures'), `${ORIGIN}/procedures/104532/exports`, NOW)).toBeNull();
  });

  it('recognises the sign-in page, wherever DS serves it', () => {
    expect(isSignInPage(fixtureDocument('signIn'))).toBe(true);
    for (const name of Object.keys(PAGES) as PageName[]) {
      if (name !== 'signIn') expect(isSignInPage(fixtureDocument(name)), name).toBe(false);
    }
    expect(readPage(fixtureDocument('signIn'), PAGES.signIn.url, NOW)).toBeNull();
    // A fetch of /procedures answered by the sign-in page is "logged out", not "no démarches".
    expect(readPage(fixtureDocument('signIn'), PAGES.procedures.url, NOW)).toBeNull();
  });

  it('omits the user when the account menu is missing', () => {
    const doc = variant('procedures', (d) => d.querySelector('button.account-btn')?.remove());
    expect(read('procedures', NOW, doc)).not.toHaveProperty('user');
  });
});

describe('/procedures', () => {
  it('reads each démarche once, with its title and counters', () => {
    const report = read('procedures');
    expect(report.dossiers).toEqual([]);
    expect(report.list).toBeUndefined();
    expect(report.demarches).toEqual([
      {
        number: 104532,
        title: 'Subvention aux associations sportives 2026',
        expiresWhenTermine: true,
        counts: { 'a-suivre': 37, suivis: 21, traites: 150, tous: 208, expirant: 6 },
      },
      {
        number: 98211,
        title: 'Demande de carte de stationnement résidentiel',
        expiresWhenTermine: true,
        // `1<span class="numbers-delimiter"></span>043`
        counts: { 'a-suivre': 12, suivis: 4, traites: 1043, tous: 1059, expirant: 23 },
      },
      {
        number: 87654,
        // The "Close" badge sits next to the link, not in the title.
        title: 'Autorisation d’occupation temporaire du domaine public',
        expiresWhenTermine: true,
        counts: { 'a-suivre': 0, suivis: 3, traites: 310, tous: 313, expirant: 0 },
      },
      {
        number: 110987,
        title: 'Aide à l’équipement numérique des écoles',
        // No "expirants" counter: processed dossiers are kept.
        expiresWhenTermine: false,
        counts: { 'a-suivre': 5, suivis: 0, traites: 0, tous: 5 },
      },
    ]);
  });

  it('leaves out counters DS has not filled in yet', () => {
    const report = read('proceduresLoading');
    expect(report.demarches.map((d) => [d.number, d.counts, d.expiresWhenTermine])).toEqual([
      [104532, undefined, true],
      [98211, undefined, true],
      [87654, undefined, true],
      [110987, undefined, false],
    ]);
  });

  it('reads the counters the turbo-stream has already updated', () => {
    const doc = variant('proceduresLoading', (d) => {
      setText(d, '#procedure-104532-expirant-count', '\n  6\n');
      setText(d, '#procedure-98211-termines-count', '1\u202f043');
    });
    const [first, second] = read('proceduresLoading', NOW, doc).demarches;
    expect(first?.counts).toEqual({ expirant: 6 });
    expect(second?.counts).toEqual({ traites: 1043 });
  });

  it('ignores counters that are not plain numbers', () => {
    const doc = variant('procedures', (d) => {
      setText(d, '#procedure-104532-a-suivre-count', '37 dossiers');
      setText(d, '#procedure-104532-followed-count', '-21');
      setText(d, '#procedure-104532-termines-count', '1.5');
      setText(d, '#procedure-104532-dossier-count', '');
    });
    expect(read('procedures', NOW, doc).demarches[0]?.counts).toEqual({ expirant: 6 });
  });

  it('skips a card whose link is not a démarche', () => {
    const doc = variant('procedures', (d) => {
      for (const link of d.querySelectorAll('a[href="/procedures/98211"]')) link.setAttribute('href', '/procedures/x');
    });
    expect(read('procedures', NOW, doc).demarches.map((d) => d.number)).toEqual([104532, 87654, 110987]);
  });
});

describe('dossier list', () => {
  it('reads every row of the page, with state, applicant and DS’s expiry badges', () => {
    const report = read('dossierList');
    expect(report.demarches).toEqual([
      { number: 104532, title: 'Subvention aux associations sportives 2026', expiresWhenTermine: true },
    ]);
    expect(report.dossiers).toEqual([
      {
        number: 2345690,
        demarche: 104532,
        state: 'en_construction',
        // "Expire dans 13 J." on 15 January: 28 January, midnight in Paris.
        expiresAt: '2026-01-27T23:00:00.000Z',
        expirySource: 'badge',
        label: 'judo.club.orvault@gmail.com',
      },
      { number: 2356630, demarche: 104532, state: 'en_construction', label: 'contact@aviron-nantais.fr' },
      {
        number: 2276540,
        demarche: 104532,
        state: 'sans_suite',
        expiresAt: '2026-01-19T23:00:00.000Z',
        expirySource: 'badge',
        label: 'rc.carquefou@free.fr',
      },
      {
        number: 2362015,
        demarche: 104532,
        state: 'en_construction',
        label: 'secretariat@asrezebasket.fr',
        news: ['dossier_modifie'],
      },
      {
        number: 2351204,
        demarche: 104532,
        state: 'en_instruction',
        label: 'contact@escrime-nantes.fr',
        news: ['message'],
      },
      {
        number: 2351877,
        demarche: 104532,
        state: 'en_instruction',
        label: 'tcvertou@orange.fr',
        news: ['avis_externe'],
      },
      { number: 2298311, demarche: 104532, state: 'accepte', label: 'president@vcsh44.fr' },
      { number: 2301456, demarche: 104532, state: 'refuse', label: 'gv.bouguenais@laposte.net' },
    ]);
    expect(report.list).toEqual({ demarche: 104532, statut: 'tous', page: 1, pageCount: 3 });
  });

  it('reads the expirant tab, a single page without pagination', () => {
    const report = read('dossierListExpirant');
    expect(report.list).toEqual({ demarche: 104532, statut: 'expirant', page: 1, pageCount: 1 });
    expect(report.dossiers.map((d) => [d.number, d.state, d.expiresAt, d.expirySource])).toEqual([
      [2233012, 'en_construction', '2026-01-15T23:00:00.000Z', 'badge'],
      [2345690, 'en_construction', '2026-01-27T23:00:00.000Z', 'badge'],
      [2239875, 'accepte', '2026-01-16T23:00:00.000Z', 'badge'],
      [2276540, 'sans_suite', '2026-01-19T23:00:00.000Z', 'badge'],
      [2241180, 'accepte', '2026-01-23T23:00:00.000Z', 'badge'],
      [2244901, 'refuse', '2026-01-25T23:00:00.000Z', 'badge'],
    ]);
  });

  it('finds reordered and added columns by their header text', () => {
    const report = read('dossierListColumns');
    expect(report.list).toEqual({ demarche: 104532, statut: 'suivis', page: 1, pageCount: 1 });
    expect(report.dossiers).toEqual([
      // En instruction: the expiry cell is empty.
      { number: 2358085, demarche: 104532, state: 'en_instruction', label: 'ligue.pdl.natation@gmail.com' },
      {
        number: 2351204,
        demarche: 104532,
        state: 'en_instruction',
        label: 'contact@escrime-nantes.fr',
        news: ['message'],
      },
      {
        number: 2362015,
        demarche: 104532,
        state: 'en_construction',
        // "14 décembre 2026 10:41", Paris winter time (UTC+1).
        expiresAt: '2026-12-14T09:41:00.000Z',
        expirySource: 'column',
        label: 'secretariat@asrezebasket.fr',
        news: ['dossier_modifie'],
      },
      {
        number: 2340666,
        demarche: 104532,
        state: 'en_construction',
        // "29 mars 2026 15:00", the day Paris moves to summer time (UTC+2 from 02:00).
        expiresAt: '2026-03-29T13:00:00.000Z',
        expirySource: 'column',
        label: 'tennis.club.reze@orange.fr',
      },
      {
        number: 2298876,
        demarche: 104532,
        state: 'en_construction',
        // The column's exact time wins over the "Expire dans 9 J." badge of the same row.
        expiresAt: '2026-01-24T14:00:00.000Z',
        expirySource: 'column',
        label: 'badminton.saint-herblain@laposte.net',
      },
    ]);
  });

  it('accepts either sort arrow and a typewriter apostrophe in the headers', () => {
    const doc = variant('dossierListColumns', (d) => {
      const [, , expiry, applicant] = d.querySelectorAll('#table-dossiers thead th');
      if (!expiry || !applicant) throw new Error('headers');
      expiry.textContent = "Date d'expiration ↑";
      applicant.textContent = 'Demandeur ↓';
    });
    const row = dossier(read('dossierListColumns', NOW, doc), 2362015);
    expect(row).toMatchObject({ expiresAt: '2026-12-14T09:41:00.000Z', label: 'secretariat@asrezebasket.fr' });
  });

  it('ignores a malformed or impossible date in the expiry column', () => {
    const doc = variant('dossierListColumns', (d) => {
      setText(d, '#table-dossiers-row-2362015 > td:nth-of-type(2) > a', '31 février 2026 10:41');
      setText(d, '#table-dossiers-row-2340666 > td:nth-of-type(2) > a', '29 march 2026 15:00');
    });
    const report = read('dossierListColumns', NOW, doc);
    expect(dossier(report, 2362015)).not.toHaveProperty('expiresAt');
    expect(dossier(report, 2340666)).not.toHaveProperty('expiresAt');
    // Without a column date, the row falls back on DS's badge.
    setText(doc, '#table-dossiers-row-2298876 > td:nth-of-type(2) > a', '');
    expect(dossier(read('dossierListColumns', NOW, doc), 2298876)).toMatchObject({
      expiresAt: '2026-01-23T23:00:00.000Z',
      expirySource: 'badge',
    });
  });

  it('reads which page of how many from the pagination', () => {
    const report = read('dossierListPage2');
    expect(report.list).toEqual({ demarche: 104532, statut: 'tous', page: 2, pageCount: 3 });
    expect(report.dossiers.map((d) => [d.number, d.state, d.expiresAt])).toEqual([
      [2299986, 'accepte', undefined],
      [2299946, 'en_construction', '2026-01-28T23:00:00.000Z'],
      [2299483, 'sans_suite', '2026-01-17T23:00:00.000Z'],
      [2299436, 'refuse', undefined],
    ]);
  });

  it('reads a démarche without "expirants" tab nor applicant column, on one page', () => {
    const report = read('dossierListSinglePage');
    expect(report.demarches).toEqual([
      { number: 110987, title: 'Aide à l’équipement numérique des écoles', expiresWhenTermine: false },
    ]);
    expect(report.list).toEqual({ demarche: 110987, statut: 'a-suivre', page: 1, pageCount: 1 });
    // "Date de dépôt" is not an expiry; "Déposé depuis 31 J." is not a countdown.
    expect(report.dossiers).toEqual(
      [2364790, 2364102, 2361877, 2360321, 2355014].map((number) => ({
        number,
        demarche: 110987,
        state: 'en_construction',
      })),
    );
  });

  it('reports an empty tab as a complete list of no dossiers', () => {
    const report = read('dossierListEmpty');
    expect(report.dossiers).toEqual([]);
    expect(report.list).toEqual({ demarche: 110987, statut: 'traites', page: 1, pageCount: 1 });
  });

  it('marks corbeille rows with their purge day from "Suppression dans N J.", or none due', () => {
    const report = read('dossierListCorbeille');
    expect(report.list).toEqual({ demarche: 104532, statut: 'supprimes', page: 1, pageCount: 1 });
    expect(report.dossiers).toEqual([
      {
        number: 2231703,
        demarche: 104532,
        state: 'en_construction',
        inCorbeille: true,
        // "Suppression dans 12 J." on 15 January: purged on 27 January.
        purgeAt: '2026-01-26T23:00:00.000Z',
        label: 'amicale.laique.coueron@free.fr',
      },
      {
        number: 2230850,
        demarche: 104532,
        state: 'accepte',
        inCorbeille: true,
        purgeAt: '2026-01-17T23:00:00.000Z',
        label: 'roller.derby.nantes@gmail.com',
      },
      {
        number: 2233009,
        demarche: 104532,
        // Hidden by an instructeur: the state badge is not a link.
        state: 'refuse',
        inCorbeille: true,
        // Deleted by the usager too: DS purges it.
        purgeAt: '2026-01-20T23:00:00.000Z',
        label: 'club.echecs.vertou@orange.fr - Dossier supprimé par l’usager',
      },
      {
        number: 2235105,
        demarche: 104532,
        state: 'sans_suite',
        inCorbeille: true,
        // Trashed by an instructeur only: DS keeps it until the usager deletes it too.
        purgeAt: null,
        label: 'gym.volontaire.basse-goulaine@laposte.net',
      },
    ]);
  });

  it('takes a plain-number row or a purge badge for the corbeille in any tab', () => {
    const doc = variant('dossierList', (d) => {
      const link = d.querySelector('#table-dossiers-row-2298311 td.fr-cell--numeric > a');
      const span = d.createElement('span');
      span.textContent = '2298311';
      link?.replaceWith(span);
      setText(d, '#table-dossiers-row-2356630 td.fr-cell--numeric span.fr-badge', 'Suppression dans 2 J.');
    });
    const report = read('dossierList', NOW, doc);
    expect(dossier(report, 2298311)).toMatchObject({ inCorbeille: true, purgeAt: null });
    expect(dossier(report, 2356630)).toMatchObject({ inCorbeille: true, purgeAt: '2026-01-16T23:00:00.000Z' });
    expect(dossier(report, 2301456)).not.toHaveProperty('inCorbeille');
  });

  it('counts badge days from the Paris date, across months, years and clock changes', () => {
    // Row 2241180 reads "Expire dans 9 J.".
    const expiry = (now: Date) => dossier(read('dossierListExpirant', now), 2241180).expiresAt;
    expect(expiry(new Date('2026-01-25T23:30:00Z'))).toBe('2026-02-03T23:00:00.000Z'); // already 26 January in Paris
    expect(expiry(new Date('2026-01-14T22:59:00Z'))).toBe('2026-01-22T23:00:00.000Z'); // still 14 January in Paris
    expect(expiry(new Date('2025-12-25T12:00:00Z'))).toBe('2026-01-02T23:00:00.000Z');
    expect(expiry(new Date('2026-03-25T12:00:00Z'))).toBe('2026-04-02T22:00:00.000Z'); // summer time from 29 March
    expect(expiry(new Date('2026-10-20T12:00:00Z'))).toBe('2026-10-28T23:00:00.000Z'); // winter time from 25 October
    expect(expiry(new Date('2026-02-22T12:00:00Z'))).toBe('2026-03-02T23:00:00.000Z'); // no 29 February in 2026
  });

  it('reads the badges DS shows around the expiry day and ignores others', () => {
    const badge = '#table-dossiers-row-2241180 td.fr-cell--numeric span.fr-badge';
    const expiryWith = (text: string) =>
      dossier(
        read(
          'dossierListExpirant',
          NOW,
          variant('dossierListExpirant', (d) => setText(d, badge, text)),
        ),
        2241180,
      ).expiresAt;
    expect(expiryWith('Expire dans 0 J.')).toBe('2026-01-14T23:00:00.000Z');
    expect(expiryWith('Expire dans -1 J.')).toBe('2026-01-13T23:00:00.000Z');
    for (const text of ['Expire dans X J.', 'Expire dans 9 jours', 'Expire dans 9.5 J.', 'Expire bientôt', '']) {
      expect(expiryWith(text), text).toBeUndefined();
    }
  });

  it('leaves out a state it does not know', () => {
    const doc = variant('dossierList', (d) =>
      setText(d, '#table-dossiers-row-2298311 td > a > span.fr-badge', 'brouillon'),
    );
    expect(dossier(read('dossierList', NOW, doc), 2298311)).not.toHaveProperty('state');
  });

  it('gives no list when a row cannot be read, so no dossier is taken for gone', () => {
    const doc = variant('dossierList', (d) =>
      d.querySelector('#table-dossiers-row-2298311')?.setAttribute('data-row-key', '2298311abc'),
    );
    const report = read('dossierList', NOW, doc);
    expect(report.dossiers).toHaveLength(7);
    expect(report.list).toBeUndefined();
  });

  it('gives no list, and no expiry flag, when the page is not the list DS renders', () => {
    const doc = variant('dossierList', (d) => {
      d.querySelector('#table-dossiers')?.remove();
      d.querySelector('#procedure-show nav.fr-tabs')?.remove();
    });
    const report = read('dossierList', NOW, doc);
    expect(report.list).toBeUndefined();
    expect(report.dossiers).toEqual([]);
    expect(report.demarches).toEqual([{ number: 104532, title: 'Subvention aux associations sportives 2026' }]);
  });

  it('takes the démarche title without its badge', () => {
    const doc = variant('dossierList', (d) => {
      const badge = d.createElement('span');
      badge.className = 'fr-badge fr-badge--sm super';
      badge.textContent = 'Close';
      d.querySelector('.procedure-header h1')?.append(badge);
    });
    expect(read('dossierList', NOW, doc).demarches[0]?.title).toBe('Subvention aux associations sportives 2026');
  });
});

describe('dossier page', () => {
  it('reads an en instruction dossier: it never expires', () => {
    const report = read('dossierEnInstruction');
    expect(report.dossiers).toEqual([
      {
        number: 2351204,
        demarche: 104532,
        state: 'en_instruction',
        neverExpires: true,
        label: 'Cercle d’Escrime de Nantes',
      },
    ]);
    // DS shows "il n’expirera pas" only where processed dossiers expire.
    expect(report.demarches).toEqual([
      { number: 104532, title: 'Subvention aux associations sportives 2026', expiresWhenTermine: true },
    ]);
    expect(report.list).toBeUndefined();
  });

  it('reads "Expirera le" of a processed dossier (two spaces) and the retention', () => {
    const report = read('dossierExpirant');
    expect(report.dossiers).toEqual([
      {
        number: 2241180,
        demarche: 104532,
        state: 'accepte',
        // 24/01/2026, midnight in Paris.
        expiresAt: '2026-01-23T23:00:00.000Z',
        expirySource: 'page',
        label: 'Canoë-Kayak Club de Nort-sur-Erdre',
      },
    ]);
    expect(report.demarches).toEqual([
      {
        number: 104532,
        title: 'Subvention aux associations sportives 2026',
        expiresWhenTermine: true,
        retentionMonths: 12,
      },
    ]);
  });

  it('reads an en construction dossier close to expiry', () => {
    const report = read('dossierEnConstruction');
    expect(report.dossiers).toEqual([
      {
        number: 2233012,
        demarche: 104532,
        state: 'en_construction',
        expiresAt: '2026-01-15T23:00:00.000Z',
        expirySource: 'page',
        label: 'Association Sportive et Amicale des Ateliers',
      },
    ]);
    // En construction dossiers expire everywhere: that says nothing about processed ones.
    expect(report.demarches).toEqual([
      { number: 104532, title: 'Subvention aux associations sportives 2026', retentionMonths: 12 },
    ]);
  });

  it('tells which expiry rules an en construction dossier’s page proves, and nothing from other pages', () => {
    expect(read('dossierEnConstruction').rules).toEqual({ set: '2025', evidence: 'page-expires' });
    const today = read('dossierEnConstruction2026', new Date('2026-11-20T10:00:00+01:00'));
    expect(today.rules).toEqual({ set: '2026', evidence: 'page-no-expiry' });
    expect(today.dossiers).toEqual([
      {
        number: 2233012,
        demarche: 104532,
        state: 'en_construction',
        label: 'Association Sportive et Amicale des Ateliers',
      },
    ]);
    // The « il n’expirera pas » line may go, as the en instruction one did: the state alone decides.
    const silent = variant('dossierEnConstruction2026', (d) =>
      d.querySelector('p.expires_at_en_construction')?.remove(),
    );
    expect(read('dossierEnConstruction2026', NOW, silent).rules).toEqual({ set: '2026', evidence: 'page-no-expiry' });
    expect(read('dossierEnInstruction').rules).toBeUndefined();
    expect(read('dossierRefuse').rules).toBeUndefined();
  });

  it('takes an en construction dossier in the « expirants » tab as proof of the older rules', () => {
    expect(read('dossierListExpirant').rules).toEqual({ set: '2025', evidence: 'expirant-tab' });
    expect(read('dossierList').rules).toBeUndefined();
    expect(read('dossierListColumns').rules).toBeUndefined();
  });

  it('reads an expired, extended dossier: in the corbeille, retention unknown', () => {
    const report = read('dossierRefuse', new Date('2026-01-14T15:30:00+01:00'));
    expect(report.dossiers).toEqual([
      {
        number: 2238414,
        demarche: 104532,
        state: 'refuse',
        expiresAt: '2026-01-13T23:00:00.000Z',
        expirySource: 'page',
        inCorbeille: true,
        label: 'Vertou Tennis de Table',
      },
    ]);
    // "13 mois" counts the extension: not the démarche's retention.
    expect(report.demarches).toEqual([
      { number: 104532, title: 'Subvention aux associations sportives 2026', expiresWhenTermine: true },
    ]);
  });

  it('reads the classé sans suite wording and summer dates', () => {
    const doc = variant('dossierRefuse', (d) => {
      setText(d, '#header-top .fr-badge-group > span.fr-badge', 'classé sans suite');
      setText(d, '#header-top p.expires_at', 'Expirera le 15/07/2026 (24 mois après le traitement dossier)');
      setText(d, '#header-top .fr-callout__title', 'Ce dossier va expirer');
    });
    const report = read('dossierRefuse', NOW, doc);
    expect(report.dossiers[0]).toMatchObject({
      state: 'sans_suite',
      expiresAt: '2026-07-14T22:00:00.000Z',
      expirySource: 'page',
    });
    expect(report.dossiers[0]).not.toHaveProperty('inCorbeille');
    expect(report.demarches[0]).toMatchObject({ retentionMonths: 24, expiresWhenTermine: true });
  });

  it('ignores an expiry text it cannot read', () => {
    for (const text of ['Expirera le 31/02/2026 (12 mois après le dépôt du dossier)', 'Expirera bientôt', '']) {
      const doc = variant('dossierEnConstruction', (d) => setText(d, '#header-top p.expires_at', text));
      const report = read('dossierEnConstruction', NOW, doc);
      expect(report.dossiers[0], text).not.toHaveProperty('expiresAt');
      expect(report.demarches[0], text).not.toHaveProperty('retentionMonths');
    }
  });

  it('reads the same header on the dossier’s other tabs', () => {
    const url = `${PAGES.dossierExpirant.url}/messagerie`;
    expect(read('dossierExpirant', NOW, fixtureDocument('dossierExpirant'), url).dossiers[0]).toMatchObject({
      number: 2241180,
      expiresAt: '2026-01-23T23:00:00.000Z',
    });
  });

  it('keeps page text as text and drops an owner heading for another dossier', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const doc = variant('dossierExpirant', (d) => setText(d, '#header-top h1', `Dossier n° 2241180 – ${hostile}`));
    expect(read('dossierExpirant', NOW, doc).dossiers[0]?.label).toBe(hostile);
    expect(doc.querySelector('#header-top img')).toBeNull();

    setText(doc, '#header-top h1', 'Dossier n° 2241181 – Someone else');
    expect(read('dossierExpirant', NOW, doc).dossiers[0]).not.toHaveProperty('label');
  });

  it('reports no dossier while the header is missing', () => {
    const doc = variant('dossierExpirant', (d) => d.querySelector('#header-top')?.remove());
    const report = read('dossierExpirant', NOW, doc);
    expect(report.dossiers).toEqual([]);
    expect(report.demarches).toEqual([]);
    expect(report.user).toBe('camille.lefebvre@exemple.gouv.fr');
  });
});
