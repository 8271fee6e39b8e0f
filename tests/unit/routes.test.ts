import { describe, expect, it } from 'vitest';
import { dossierListUrl, dossierPdfUrl, dossierPrintUrl, dossierZipUrl, routeOf } from '@/lib/ds/routes';

const O = 'https://demarche.numerique.gouv.fr';

describe('routeOf', () => {
  it.each([
    [`${O}/procedures`, { kind: 'procedures', origin: O, page: 1 }],
    [`${O}/procedures/?statut=en-cours&page=2`, { kind: 'procedures', origin: O, page: 2 }],
    [`${O}/procedures/104532`, { kind: 'dossier-list', origin: O, procedure: 104532, statut: 'a-suivre', page: 1 }],
    [
      `${O}/procedures/104532/tous?page=3`,
      { kind: 'dossier-list', origin: O, procedure: 104532, statut: 'tous', page: 3 },
    ],
    [
      `${O}/procedures/104532/expirant/`,
      { kind: 'dossier-list', origin: O, procedure: 104532, statut: 'expirant', page: 1 },
    ],
    [
      `${O}/procedures/104532/supprimes?page=0`,
      { kind: 'dossier-list', origin: O, procedure: 104532, statut: 'supprimes', page: 1 },
    ],
    [
      `${O}/procedures/104532/tous/dossiers/2351204`,
      { kind: 'dossier', origin: O, procedure: 104532, statut: 'tous', dossier: 2351204, tab: null },
    ],
    [
      `${O}/procedures/104532/dossiers/2351204/messagerie`,
      { kind: 'dossier', origin: O, procedure: 104532, statut: 'a-suivre', dossier: 2351204, tab: 'messagerie' },
    ],
    [
      `${O}/procedures/104532/expirant/dossiers/2241180/annotations-privees`,
      {
        kind: 'dossier',
        origin: O,
        procedure: 104532,
        statut: 'expirant',
        dossier: 2241180,
        tab: 'annotations-privees',
      },
    ],
    [
      `${O}/procedures/104532/dossiers/2351204/print`,
      { kind: 'dossier-print', origin: O, procedure: 104532, dossier: 2351204 },
    ],
  ])('%s', (url, route) => {
    expect(routeOf(url)).toEqual(route);
  });

  it.each([
    `${O}/procedures/104532/inconnu`,
    `${O}/procedures/abc`,
    `${O}/procedures/104532/tous/dossiers/12.pdf`,
    `${O}/procedures/104532/dossiers/12/telecharger_pjs`,
    // DS's print route has no statut segment.
    `${O}/procedures/104532/tous/dossiers/12/print`,
    `${O}/dossiers/12`,
    `${O}/`,
  ])('%s is not an instructeur page Archiviste handles', (url) => {
    expect(routeOf(url).kind).toBe('other');
  });
});

describe('URL builders', () => {
  it('omits the default statut and page 1, as DS does', () => {
    expect(dossierListUrl(O, 7)).toBe(`${O}/procedures/7`);
    expect(dossierListUrl(O, 7, 'tous', 1)).toBe(`${O}/procedures/7/tous`);
    expect(dossierListUrl(O, 7, 'expirant', 2)).toBe(`${O}/procedures/7/expirant?page=2`);
  });
  it('builds the download URLs DS serves', () => {
    expect(dossierPdfUrl(O, 7, 42)).toBe(`${O}/procedures/7/tous/dossiers/42.pdf`);
    expect(dossierZipUrl(O, 7, 42)).toBe(`${O}/procedures/7/dossiers/42/telecharger_pjs`);
    expect(dossierPrintUrl(O, 7, 42)).toBe(`${O}/procedures/7/dossiers/42/print`);
  });
  it('round-trips through routeOf', () => {
    expect(routeOf(dossierListUrl(O, 9, 'traites', 4))).toMatchObject({ procedure: 9, statut: 'traites', page: 4 });
  });
});
