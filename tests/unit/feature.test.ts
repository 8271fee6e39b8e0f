import { describe, expect, it, vi } from 'vitest';
import { defineFeature, runFeatures, unrecognisedOf } from '@/lib/content/feature';
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
        defineFeature({ id: 'demarche-banner', include: (r) => r.kind === 'dossier-list', init: list }),
        defineFeature({ id: 'countdown-badges', include: (r) => r.kind === 'dossier', init: page }),
      ],
      ctx(),
    );
    expect(list).toHaveBeenCalledOnce();
    expect(page).not.toHaveBeenCalled();
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['demarche-banner', 'ran'],
      ['countdown-badges', 'skipped'],
    ]);
  });

  it('isolates a failing feature from the others', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    const outcomes = await runFeatures(
      [
        defineFeature({
          id: 'report-page',
          include: () => true,
          init: () => {
            throw new Error('boom');
          },
        }),
        defineFeature({
          id: 'countdown-badges',
          include: () => true,
          init: async () => {
            throw new Error('later');
          },
        }),
        defineFeature({ id: 'export-buttons', include: () => true, init: after }),
        defineFeature({ id: 'procedures-summary', include: () => true, init: () => false }),
      ],
      ctx(),
    );
    expect(after).toHaveBeenCalledOnce();
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'ran', 'not-applicable']);
  });

  it('turns off, with exactly one warning and without running it, a feature that does not recognise the page', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const off = vi.fn();
    const on = vi.fn();
    const outcomes = await runFeatures(
      [
        defineFeature({
          id: 'countdown-badges',
          include: () => true,
          recognise: () => 'dossier table not found',
          init: off,
        }),
        defineFeature({ id: 'demarche-banner', include: () => true, recognise: () => null, init: on }),
        defineFeature({ id: 'export-buttons', include: () => false, recognise: () => 'never asked', init: off }),
      ],
      ctx(),
    );
    expect(off).not.toHaveBeenCalled();
    expect(on).toHaveBeenCalledOnce();
    expect(outcomes).toEqual([
      { id: 'countdown-badges', status: 'unrecognised', reason: 'dossier table not found' },
      { id: 'demarche-banner', status: 'ran' },
      { id: 'export-buttons', status: 'skipped' },
    ]);
    expect(warn.mock.calls).toEqual([
      ['Archiviste: countdown-badges turned off: DS page not recognised (dossier table not found)'],
    ]);
    expect(unrecognisedOf(outcomes)).toEqual([{ id: 'countdown-badges', reason: 'dossier table not found' }]);
  });

  it('counts a recogniser that throws as the feature failing, not the page', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const outcomes = await runFeatures(
      [
        defineFeature({
          id: 'report-page',
          include: () => true,
          recognise: () => {
            throw new Error('boom');
          },
          init: vi.fn(),
        }),
      ],
      ctx(),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['failed']);
    expect(unrecognisedOf(outcomes)).toEqual([]);
    expect(error).toHaveBeenLastCalledWith('Archiviste: report-page failed', expect.any(Error));
  });
});
