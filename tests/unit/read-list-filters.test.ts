import { describe, expect, it } from 'vitest';
import { MAX_SHOWN_TEXT } from '@/lib/ds/page-text';
import { readListFilters } from '@/lib/ds/read-list-filters';
import { fixtureDocument } from '../fixtures/pages';

/** DS's tags as `ClearFilterButtonsComponent` renders them, with « Tout supprimer » past two. */
function filteredList(tags: string[]): Document {
  const doc = document.implementation.createHTMLDocument('');
  const section = doc.createElement('section');
  section.id = 'editable-filters-component';
  const line = doc.createElement('div');
  line.className = 'flex flex-gap-1 wrap align-center';
  for (const text of [...tags, 'Tout supprimer']) {
    const form = doc.createElement('form');
    form.className = 'inline';
    const button = doc.createElement('button');
    button.className =
      text === 'Tout supprimer' ? 'fr-btn fr-btn--tertiary-no-outline fr-btn--sm' : 'fr-tag fr-tag--dismiss fr-tag--sm';
    button.textContent = text;
    form.append(button);
    line.append(form);
  }
  section.append(line);
  // A tag elsewhere on the page is not a filter of the list.
  const other = doc.createElement('button');
  other.className = 'fr-tag fr-tag--dismiss';
  other.textContent = 'Ailleurs';
  doc.body.append(section, other);
  return doc;
}

describe('readListFilters', () => {
  it('reads DS’s tag of each active filter', () => {
    expect(readListFilters(fixtureDocument('dossierListSinglePage'))).toEqual(['État du dossier : En construction']);
  });

  it('finds none on an unfiltered list', () => {
    expect(readListFilters(fixtureDocument('dossierList'))).toEqual([]);
    expect(readListFilters(fixtureDocument('dossierListEmpty'))).toEqual([]);
  });

  it('keeps DS’s order, one per value, without « Tout supprimer », whitespace collapsed and long text cut', () => {
    const long = `N° dossier : ${'9'.repeat(2000)}`;
    const doc = filteredList([
      'État du dossier : En construction',
      '  État du dossier :\n   En instruction ',
      'Date de dépôt : après le 01/01/2026',
      long,
    ]);
    const filters = readListFilters(doc);
    expect(filters.slice(0, 3)).toEqual([
      'État du dossier : En construction',
      'État du dossier : En instruction',
      'Date de dépôt : après le 01/01/2026',
    ]);
    expect(filters).toHaveLength(4);
    expect(filters[3]).toHaveLength(MAX_SHOWN_TEXT);
  });
});
