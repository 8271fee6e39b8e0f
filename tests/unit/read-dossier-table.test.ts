import { describe, expect, it } from 'vitest';
import { readDossierTable } from '@/lib/ds/read-dossier-table';
import { fixtureDocument } from '../fixtures/pages';

describe('readDossierTable', () => {
  it('reads every column DS shows, in its order, without the checkbox and actions columns', () => {
    const table = readDossierTable(fixtureDocument('dossierList'));
    expect(table?.headers).toEqual(['N° dossier', 'Demandeur', 'État du dossier']);
    expect(table?.rows.map((r) => r.number)).toEqual([
      2345690, 2356630, 2276540, 2362015, 2351204, 2351877, 2298311, 2301456,
    ]);
    expect(table?.rows[0]).toEqual({
      number: 2345690,
      cells: ['2345690', 'judo.club.orvault@gmail.com', 'en construction'],
    });
    expect(table?.rows[2]?.cells).toEqual(['2276540', 'rc.carquefou@free.fr', 'classé sans suite']);
  });

  it('gives just the number in the number cell, without DS’s notification badges', () => {
    const doc = fixtureDocument('dossierList');
    const numberCell = doc.querySelector('tr[data-row-key="2345690"] td.fr-cell--numeric');
    expect(numberCell?.textContent).toMatch(/2345690\s+\S/); // DS's badges sit in the cell too
    expect(readDossierTable(doc)?.rows[0]?.cells[0]).toBe('2345690');
  });

  it('follows the instructeur’s columns, a sorted header losing its arrow', () => {
    const table = readDossierTable(fixtureDocument('dossierListColumns'));
    expect(table?.headers).toEqual(['N° dossier', 'Date d’expiration', 'Demandeur', 'État du dossier']);
    expect(table?.rows).toHaveLength(5);
    expect(table?.rows[0]?.cells).toEqual(['2358085', '', 'ligue.pdl.natation@gmail.com', 'en instruction']);
    expect(table?.rows[2]?.cells).toEqual([
      '2362015',
      '14 décembre 2026 10:41',
      'secretariat@asrezebasket.fr',
      'en construction',
    ]);
  });

  it('reads a list without « Demandeur »', () => {
    const table = readDossierTable(fixtureDocument('dossierListSinglePage'));
    expect(table?.headers).toEqual(['N° dossier', 'Date de dépôt', 'État du dossier']);
    expect(table?.rows[0]).toEqual({ number: 2364790, cells: ['2364790', '14 janvier 2026 16:02', 'en construction'] });
    expect(table?.rows.at(-1)).toEqual({
      number: 2355014,
      cells: ['2355014', '15 décembre 2025 14:22', 'en construction'],
    });
  });

  it('gives an empty table for « Aucun dossier », null for a page without a list', () => {
    expect(readDossierTable(fixtureDocument('dossierListEmpty'))).toEqual({ headers: [], rows: [] });
    expect(readDossierTable(fixtureDocument('procedures'))).toBeNull();
    expect(readDossierTable(fixtureDocument('dossierEnInstruction'))).toBeNull();
  });

  it('skips rows without a valid number and keeps hostile text as plain text', () => {
    const doc = fixtureDocument('dossierList');
    doc.querySelector('tr[data-row-key="2356630"]')?.setAttribute('data-row-key', 'x');
    const cell = doc.querySelector('tr[data-row-key="2345690"] > td:nth-child(3) a');
    if (!cell) throw new Error('no demandeur cell');
    cell.textContent = '  =HYPERLINK("http://evil";"x")  ';
    const table = readDossierTable(doc);
    expect(table?.rows.map((r) => r.number)).not.toContain(2356630);
    expect(table?.rows[0]?.cells[1]).toBe('=HYPERLINK("http://evil";"x")');
  });
});
