import { beforeEach, describe, expect, it } from 'vitest';
import { popupView, readPopupSources } from '@/lib/view/popup';
import type { UpcomingSources } from '@/lib/view/upcoming';
import { demarche, dossier, instance, NOW, resetDb, seed } from './ui-fixtures';

const view = (sources: Partial<UpcomingSources>, unsavedOnly = false, limit?: number) =>
  popupView({ instances: [], demarches: [], dossiers: [], ...sources }, NOW, { unsavedOnly, leadTimeDays: 30, limit });

describe('popupView', () => {
  it('welcomes a first run: nothing configured, nothing discovered', () => {
    expect(view({})).toMatchObject({ state: 'first-run', groups: [], weeks: null });
  });

  it('asks to discover démarches once an instance is known', () => {
    expect(view({ instances: [instance()] }).state).toBe('no-demarche');
  });

  it('asks to watch a démarche when none is', () => {
    const state = view({ instances: [instance()], demarches: [demarche(1, { watched: false })] }).state;
    expect(state).toBe('none-watched');
  });

  it('says nothing is due, with an empty chart', () => {
    const result = view({ instances: [instance()], demarches: [demarche(1)], dossiers: [dossier(1, 1, 200)] });
    expect(result.state).toBe('nothing-soon');
    expect(result.weeks).toHaveLength(13);
    expect(result.weeks?.every((week) => week.total === 0)).toBe(true);
  });

  it('lists the dossiers, counts the unsaved ones and charts them all', () => {
    const result = view({
      instances: [instance()],
      demarches: [demarche(1), demarche(2)],
      dossiers: [dossier(1, 1, 3), dossier(2, 2, 10, { archivedAt: NOW.toISOString() }), dossier(3, 1, 40)],
    });
    expect(result).toMatchObject({ state: 'list', total: 3, unsaved: 2, hidden: 0 });
    expect(result.groups.map((g) => [g.demarche, g.rows.map((r) => r.number)])).toEqual([
      [1, [1, 3]],
      [2, [2]],
    ]);
    expect(result.weeks?.map((w) => w.total).slice(0, 6)).toEqual([1, 1, 0, 0, 0, 1]);
  });

  it('filters the list, not the chart, and says when everything is saved', () => {
    const saved = { archivedAt: NOW.toISOString() };
    const sources = { instances: [instance()], demarches: [demarche(1)] };
    const some = view({ ...sources, dossiers: [dossier(1, 1, 3, saved), dossier(2, 1, 4)] }, true);
    expect(some.groups.flatMap((g) => g.rows.map((r) => r.number))).toEqual([2]);
    expect(some.weeks?.[0]).toMatchObject({ total: 2, unsaved: 1 });
    expect(view({ ...sources, dossiers: [dossier(1, 1, 3, saved)] }, true).state).toBe('all-saved');
  });

  it('keeps the soonest rows and counts the rest', () => {
    const dossiers = Array.from({ length: 8 }, (_, i) => dossier(i + 1, 1 + (i % 2), 10 - i));
    const result = view({ instances: [instance()], demarches: [demarche(1), demarche(2)], dossiers }, false, 3);
    expect(result.groups.flatMap((g) => g.rows.map((r) => r.number)).sort()).toEqual([6, 7, 8]);
    expect(result.hidden).toBe(5);
    expect(result.total).toBe(8);
  });
});

describe('readPopupSources', () => {
  beforeEach(resetDb);

  it('reads instances, démarches and the dossiers not purged yet', async () => {
    await seed({
      instances: [instance()],
      demarches: [demarche(1)],
      dossiers: [dossier(1, 1, 3), dossier(2, 1, 3, { deletedAt: NOW.toISOString() })],
    });
    const sources = await readPopupSources();
    expect(sources.instances).toHaveLength(1);
    expect(sources.demarches).toHaveLength(1);
    expect(sources.dossiers.map((d) => d.number)).toEqual([1]);
  });
});
