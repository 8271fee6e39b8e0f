import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readDossierTable } from '@/lib/ds/read-dossier-table';
import { BOM } from '@/lib/export/csv';
import { type ListCsvOptions, listCsv, listCsvName } from '@/lib/export/list-csv';
import type { CountdownView } from '@/lib/view/page-fates';
import { fixtureDocument } from '../fixtures/pages';

const LABELS = {
  deletionDate: 'Date de suppression',
  daysLeft: 'Jours restants',
  source: 'Source',
  savedAt: 'Sauvegardé le',
};
const SOURCE_NAMES = { api: 'API', page: 'page DS', estimate: 'estimation' };

function fate(number: number, view: Partial<CountdownView>): CountdownView {
  return {
    number,
    text: '',
    estimate: '',
    description: '',
    tone: 'neutral',
    expiresAt: 'none',
    daysLeft: null,
    source: '',
    savedAt: '',
    ...view,
  };
}

const FATES = new Map<number, CountdownView>([
  [2345690, fate(2345690, { expiresAt: '2026-02-03', daysLeft: 19, source: 'api', savedAt: '2026-01-10T23:30:00Z' })],
  [2298311, fate(2298311, { expiresAt: '2026-07-01', daysLeft: 167, source: 'estimate' })],
  [2299986, fate(2299986, { expiresAt: '2026-01-20', daysLeft: 5, source: 'page' })],
  [2351204, fate(2351204, {})],
]);

function options(overrides: Partial<ListCsvOptions> = {}): ListCsvOptions {
  return {
    pages: [readDossierTable(fixtureDocument('dossierList')), readDossierTable(fixtureDocument('dossierListPage2'))],
    fates: FATES,
    separator: ';',
    labels: LABELS,
    sourceNames: SOURCE_NAMES,
    ...overrides,
  };
}

function parse(text: string, delimiter = ';'): string[][] {
  expect(text.startsWith(BOM)).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(BOM.length), { delimiter, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const HEADER = ['N° dossier', 'Demandeur', 'État du dossier', ...Object.values(LABELS)];

describe('listCsv', () => {
  it('puts the whole tab in one CSV: DS’s columns, then the fates', () => {
    const [header, ...rows] = parse(listCsv(options()));
    expect(header).toEqual(HEADER);
    expect(rows.map((r) => Number(r[0]))).toEqual([
      2345690, 2356630, 2276540, 2362015, 2351204, 2351877, 2298311, 2301456, 2299986, 2299946, 2299483, 2299436,
    ]);
    const row = (n: number) => rows.find((r) => r[0] === String(n));
    // Saved at 23:30 UTC on the 10th: already the 11th in Paris.
    expect(row(2345690)).toEqual([
      '2345690',
      'judo.club.orvault@gmail.com',
      'en construction',
      '03/02/2026',
      '19',
      'API',
      '11/01/2026',
    ]);
    expect(row(2298311)?.slice(3)).toEqual(['01/07/2026', '167', 'estimation', '']);
    expect(row(2299986)).toEqual([
      '2299986',
      'comite.handisport44@gmail.com',
      'accepté',
      '20/01/2026',
      '5',
      'page DS',
      '',
    ]);
    expect(row(2351204)?.slice(3)).toEqual(['', '', '', '']); // never deleted
    expect(row(2356630)?.slice(3)).toEqual(['', '', '', '']); // unknown to Archiviste
  });

  it('keeps a dossier’s first row when the list moved between pages', () => {
    const page1 = readDossierTable(fixtureDocument('dossierList'));
    const page2 = readDossierTable(fixtureDocument('dossierListPage2'));
    if (!page1 || !page2) throw new Error('unread');
    const moved = { ...page2, rows: [{ ...page1.rows[7]!, cells: ['2301456', 'later', 'x'] }, ...page2.rows] };
    const rows = parse(listCsv(options({ pages: [page1, moved, null] }))).slice(1);
    expect(rows).toHaveLength(12);
    expect(rows.filter((r) => r[0] === '2301456')).toEqual([
      ['2301456', 'gv.bouguenais@laposte.net', 'refusé', '', '', '', ''],
    ]);
  });

  it('aligns a page with other columns by header name', () => {
    const rows = parse(
      listCsv(
        options({
          pages: [
            { headers: [], rows: [] },
            { headers: ['N° dossier', 'Demandeur'], rows: [{ number: 1, cells: ['1', 'a@b.fr'] }] },
            {
              headers: ['Demandeur', 'Date de dépôt', 'N° dossier'],
              rows: [{ number: 2, cells: ['c@d.fr', '01 janvier 2026 10:00', '2'] }],
            },
          ],
        }),
      ),
    );
    expect(rows).toEqual([
      ['N° dossier', 'Demandeur', ...Object.values(LABELS)],
      ['1', 'a@b.fr', '', '', '', ''],
      ['2', 'c@d.fr', '', '', '', ''],
    ]);
  });

  it('neutralises formulas a demandeur could type', () => {
    const doc = fixtureDocument('dossierList');
    const cell = doc.querySelector('tr[data-row-key="2345690"] > td:nth-child(3) a');
    if (!cell) throw new Error('no demandeur cell');
    cell.textContent = '=HYPERLINK("http://evil.example";"clic")';
    const text = listCsv(options({ pages: [readDossierTable(doc)] }));
    expect(parse(text)[1]?.[1]).toBe(`'=HYPERLINK("http://evil.example";"clic")`);
  });

  it('adds the champs after Archiviste’s columns, neutralised, empty for a dossier the API did not return', () => {
    const champs = {
      headers: ['Montant demandé (€)', '@Objet'],
      cells: [
        [2345690, ['1500', '-2 + cmd|calc']],
        [2299986, ['=1+1', 'Tournoi']],
      ] as [number, string[]][],
    };
    const [header, ...rows] = parse(listCsv(options({ champs })));
    expect(header).toEqual([...HEADER, 'Montant demandé (€)', "'@Objet"]);
    const row = (n: number) => rows.find((r) => r[0] === String(n));
    expect(row(2345690)?.slice(-6)).toEqual(['03/02/2026', '19', 'API', '11/01/2026', '1500', "'-2 + cmd|calc"]);
    expect(row(2299986)?.slice(-2)).toEqual(["'=1+1", 'Tournoi']);
    expect(row(2351204)?.slice(-2)).toEqual(['', '']);
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
  });

  it('separates with , when asked', () => {
    const text = listCsv(options({ separator: ',' }));
    expect(text.split('\r\n')[0]).toBe(`${BOM}${HEADER.join(',')}`);
    expect(parse(text, ',')).toHaveLength(13);
  });

  it('gives just the extra headers for an empty tab', () => {
    const text = listCsv(options({ pages: [readDossierTable(fixtureDocument('dossierListEmpty'))] }));
    expect(parse(text)).toEqual([Object.values(LABELS)]);
  });
});

describe('listCsvName', () => {
  it('names the file as DS names its exports, in Paris time', () => {
    expect(listCsvName(104532, new Date('2026-01-15T09:05:00Z'))).toBe(
      'dossiers_procedure-104532_2026-01-15_10-05.csv',
    );
    expect(listCsvName(104532, new Date('2026-06-30T22:30:00Z'))).toBe(
      'dossiers_procedure-104532_2026-07-01_00-30.csv',
    );
    expect(() => listCsvName(0, new Date())).toThrow(RangeError);
  });
});
