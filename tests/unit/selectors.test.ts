import { describe, expect, it } from 'vitest';
import * as selectors from '@/lib/ds/selectors';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';

const exported: Record<string, unknown> = selectors;
const named = Object.keys(exported)
  .filter((name) => typeof exported[name] === 'string')
  .map((name) => [name, exported[name] as string] as const);
const isPage = (name: string): name is PageName => Object.hasOwn(PAGES, name);
const documents = new Map<PageName, Document>();
const documentOf = (page: PageName) => documents.get(page) ?? documents.set(page, fixtureDocument(page)).get(page)!;

describe('DS selectors', () => {
  it('each have expectations on the fixtures, and only selectors have them', () => {
    const twins = Object.keys(exported).filter((name) => name.endsWith('_'));
    expect(twins.sort()).toEqual(named.map(([name]) => `${name}_`).sort());
  });

  describe.each(named)('%s', (name, selector) => {
    const expectations = exported[`${name}_`] as selectors.Expectations;

    it('is expected to match something on some fixture', () => {
      expect(expectations.some(([count]) => count > 0)).toBe(true);
    });

    it.each(expectations.map(([count, page]) => ({ count, page })))('finds $count on $page', ({ count, page }) => {
      if (!isPage(page)) throw new Error(`unknown fixture ${page}`);
      expect(documentOf(page).querySelectorAll(selector)).toHaveLength(count);
    });
  });
});
