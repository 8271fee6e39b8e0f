import { describe, expect, it, vi } from 'vitest';
import { defineFeature, runFeatures } from '@/lib/content/feature';
import { routeOf } from '@/lib/ds/routes';

const ctx = () => ({
  route: routeOf('https://demarche.numerique.gouv.fr/procedures/1/tous'),
  signal: new AbortController().signal,
  document,
});

describe('runFeatures', () => {
  it('runs only the features whose include() accepts the route', async () => {
    const list = vi.fn();
    const page = vi.fn();
    const outcomes = await runFeatures(
      [
        defineFeature({ id: 'list', include: (r) => r.kind === 'dossier-list', init: list }),
        defineFeature({ id: 'page', include: (r) => r.kind === 'dossier', init: page }),
      ],
      ctx(),
    );
    expect(list).toHaveBeenCalledOnce();
    expect(page).not.toHaveBeenCalled();
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['list', 'ran'],
      ['page', 'skipped'],
    ]);
  });

  it('isolates a failing feature from the others', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    const outcomes = await runFeatures(
      [
        defineFeature({
          id: 'broken',
          include: () => true,
          init: () => {
            throw new Error('boom');
          },
        }),
        defineFeature({
          id: 'async-broken',
          include: () => true,
          init: async () => {
            throw new Error('later');
          },
        }),
        defineFeature({ id: 'fine', include: () => true, init: after }),
        defineFeature({ id: 'elsewhere', include: () => true, init: () => false }),
      ],
      ctx(),
    );
    expect(after).toHaveBeenCalledOnce();
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'ran', 'not-applicable']);
  });
});
