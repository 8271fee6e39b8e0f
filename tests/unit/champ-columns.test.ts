import { describe, expect, it } from 'vitest';
import type { DossierChamps, ListChamp, ListChampDescriptor } from '@/lib/ds/list-champs';
import { champColumns } from '@/lib/export/champ-columns';

const descriptor = (
  __typename: string,
  id: string,
  label: string,
  champDescriptors?: ListChampDescriptor[],
): ListChampDescriptor => ({ __typename, id, label, ...(champDescriptors ? { champDescriptors } : {}) });

const champ = (id: string, label: string, stringValue: string | null, extra: Partial<ListChamp> = {}): ListChamp => ({
  __typename: 'TextChamp',
  champDescriptorId: id,
  label,
  stringValue,
  ...extra,
});

/** The subvention form: a section title, a number, a repetition of two champs, a pièce justificative. */
const FORM = [
  descriptor('HeaderSectionChampDescriptor', 'h', 'L’association'),
  descriptor('IntegerNumberChampDescriptor', 'n', 'Montant demandé (€)'),
  descriptor('RepetitionChampDescriptor', 'r', 'Manifestations', [
    descriptor('TextChampDescriptor', 'r-t', 'Intitulé'),
    descriptor('DateChampDescriptor', 'r-d', 'Date'),
  ]),
  descriptor('PieceJustificativeChampDescriptor', 'pj', 'Budget prévisionnel'),
];

const rows = (...blocks: [string, string][]) =>
  blocks.map(([title, date]) => ({ champs: [champ('r-t', 'Intitulé', title), champ('r-d', 'Date', date)] }));

const DOSSIERS: DossierChamps[] = [
  {
    number: 1,
    // DS lists a dossier's champs in its own revision's order: not always the form's.
    champs: [
      champ('pj', 'Budget prévisionnel', 'budget.pdf', {
        __typename: 'PieceJustificativeChamp',
        files: [{ filename: 'budget.pdf' }, { filename: 'budget-2.pdf' }],
      }),
      champ('h', 'L’association', null, { __typename: 'HeaderSectionChamp' }),
      champ('n', 'Montant demandé (€)', '1500'),
      champ('r', 'Manifestations', 'Tournoi…', {
        __typename: 'RepetitionChamp',
        rows: rows(['Tournoi', '2026-05-01']),
      }),
    ],
  },
  {
    number: 2,
    champs: [
      champ('n', 'Montant demandé (€)', '=1+1'),
      champ('r', 'Manifestations', null, {
        __typename: 'RepetitionChamp',
        rows: rows(['Gala', '2026-06-12'], ['Stage', '2026-07-03']),
      }),
      champ('pj', 'Budget prévisionnel', null, { __typename: 'PieceJustificativeChamp', files: [] }),
      // A champ of an older revision, no longer in the form.
      champ('old', 'Ancien champ', 'ancienne valeur'),
    ],
  },
];

describe('champColumns', () => {
  const columns = champColumns({ form: FORM, dossiers: DOSSIERS });

  it('has one column per champ in the form’s order, repetitions block by block, older champs last', () => {
    expect(columns.headers).toEqual([
      'Montant demandé (€)',
      'Manifestations 1 · Intitulé',
      'Manifestations 1 · Date',
      'Manifestations 2 · Intitulé',
      'Manifestations 2 · Date',
      'Budget prévisionnel',
      'Ancien champ',
    ]);
  });

  it('fills each dossier’s cells with DS’s text, files by name, empty where it has nothing', () => {
    expect(columns.cells).toEqual([
      [1, ['1500', 'Tournoi', '2026-05-01', '', '', 'budget.pdf, budget-2.pdf', '']],
      [2, ['=1+1', 'Gala', '2026-06-12', 'Stage', '2026-07-03', '', 'ancienne valeur']],
    ]);
  });

  it('still lists the form’s champs when no dossier was returned, and no empty repetition block', () => {
    expect(champColumns({ form: FORM, dossiers: [] })).toEqual({
      headers: ['Montant demandé (€)', 'Budget prévisionnel'],
      cells: [],
    });
  });
});
