import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { FEATURES } from '@/entrypoints/ds.content/features';
import { type FeatureOutcome, runFeatures, unrecognisedOf } from '@/lib/content/feature';
import { routeOf } from '@/lib/ds/routes';
import type { PageTexts } from '@/lib/platform/messages';
import type { CountdownView } from '@/lib/view/page-fates';
import { PAGES, type PageName } from '../fixtures/pages';
import { bannerView, openPage } from './page-fixtures';
import { fakeBackground } from './ui-fixtures';

/**
 * Issue 12 §2: DS changes its markup. Each variant the demo can serve (demo/pages/markup.ts), made
 * here on the real fixture pages in happy-dom: the features that read what changed turn themselves
 * off, each with one warning, leave the page as DS drew it, and the others still run.
 */

/** The buttons' words (their values do not matter here), with the archive menu's months. */
const TEXTS: PageTexts = {
  ...(Object.fromEntries(
    [
      'zip',
      'dossier-pdf',
      'csv',
      'pdf',
      'busy',
      'failed',
      'row',
      'archive',
      'archive-tab',
      'archive-demarche',
      'archive-opened',
    ].map((key) => [key, key]),
  ) as Omit<PageTexts, 'archiveMonths'>),
  archiveMonths: [],
};

const countdown = (number: number): CountdownView => ({
  number,
  text: 'Supprimé dans 23 j',
  estimate: '',
  description: 'Suppression le 22/12/2026',
  tone: 'warning',
  expiresAt: '2026-12-22',
  daysLeft: 23,
  source: 'api',
  savedAt: '',
});

/** DS's markup changes, as DS might make them (and as the demo serves them). */
const VARIANTS = {
  /** A DSFR upgrade renames the tabs' and the number cell's classes, and the dossier header's badge group. */
  'renamed-classes': (doc: Document) => {
    for (const node of doc.querySelectorAll('[class]')) {
      node.setAttribute(
        'class',
        node
          .getAttribute('class')!
          .replace(/\bfr-tabs/g, 'fr-tabs-v2')
          .replace(/\bfr-cell--numeric\b/g, 'fr-cell--number')
          .replace(/\bfr-badge-group\b/g, 'fr-badges'),
      );
    }
  },
  /** The list drawn without DS's table (another component). */
  'no-table': (doc: Document) => {
    doc.querySelector('#table-dossiers')!.id = 'dossiers-grid';
  },
  /** The fixed columns renamed: « N° dossier » and « État du dossier » are gone. */
  'unknown-columns': (doc: Document) => {
    for (const th of doc.querySelectorAll('#table-dossiers > thead th')) {
      for (const node of th.querySelectorAll('button, span, th')) {
        if (node.textContent?.includes('N° dossier')) node.textContent = 'Numéro';
        if (node.textContent?.includes('État du dossier')) node.textContent = 'Statut';
      }
      if (th.childElementCount === 0) {
        th.textContent = (th.textContent ?? '').replace('N° dossier', 'Numéro').replace('État du dossier', 'Statut');
      }
    }
  },
  /** A statut tab Archiviste does not know. */
  'new-tab': (doc: Document) => {
    const list = doc.querySelector('#procedure-show nav.fr-tabs ul')!;
    const item = doc.createElement('li');
    const link = doc.createElement('a');
    link.className = 'fr-tabs__tab';
    link.setAttribute('href', '/procedures/104532/a-relancer');
    link.textContent = 'à relancer';
    item.append(link);
    list.append(item);
  },
} as const;
type Variant = keyof typeof VARIANTS;

let controller: AbortController;
let received: ReturnType<typeof fakeBackground>;
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  controller = new AbortController();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  received = fakeBackground({
    'page-texts': () => TEXTS,
    'page-report': () => ({ stored: 0 }),
    'page-fates': ({ dossiers, demarches }) => ({
      dossiers: dossiers.map(countdown),
      demarches: demarches.map((number) => bannerView(number)),
    }),
  });
});
afterEach(() => {
  controller.abort();
  warn.mockRestore();
});

async function run(name: PageName, variant?: Variant): Promise<FeatureOutcome[]> {
  openPage(name);
  if (variant) VARIANTS[variant](document);
  return runFeatures(FEATURES, { route: routeOf(PAGES[name].url), signal: controller.signal, document });
}

const statuses = (outcomes: FeatureOutcome[]) =>
  Object.fromEntries(outcomes.filter((o) => o.status !== 'skipped').map((o) => [o.id, o.status]));
const shown = {
  countdowns: () => document.querySelectorAll('[data-archiviste-countdown]').length,
  banner: () => document.querySelectorAll('[data-archiviste-banner]').length,
  exports: () => document.querySelectorAll('[data-archiviste-slot="export"]').length,
};
const reportsSent = () => received.filter((r) => r.kind === 'page-report').length;

describe('the pages DS renders today', () => {
  const pages: PageName[] = [
    'procedures',
    'proceduresLoading',
    'dossierList',
    'dossierListExpirant',
    'dossierListColumns',
    'dossierListPage2',
    'dossierListSinglePage',
    'dossierListEmpty',
    'dossierListCorbeille',
    'dossierEnInstruction',
    'dossierExpirant',
    'dossierEnConstruction',
    'dossierEnConstruction2026',
    'dossierRefuse',
    'dossierMessagerie',
    'dossierPrint',
  ];
  it.each(pages)('%s is recognised by every feature, without a warning', async (name) => {
    const outcomes = await run(name);
    expect(unrecognisedOf(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('an empty tab (« Aucun dossier », no table, no rows) is recognised: the banner and the report go on', async () => {
    const outcomes = await run('dossierListEmpty');
    expect(statuses(outcomes)).toMatchObject({
      'report-page': 'ran',
      'countdown-badges': 'ran',
      'demarche-banner': 'ran',
    });
    await vi.waitFor(() => expect(shown.banner()).toBe(1));
    expect(reportsSent()).toBe(1);
  });
});

describe('DS changed its markup', () => {
  it('renamed classes on a list: the report, the countdowns and the banner turn off; the export buttons stay', async () => {
    const outcomes = await run('dossierList', 'renamed-classes');
    expect(statuses(outcomes)).toEqual({
      'report-page': 'unrecognised',
      'countdown-badges': 'unrecognised',
      'demarche-banner': 'unrecognised',
      'export-buttons': 'ran',
    });
    expect(unrecognisedOf(outcomes)).toEqual([
      { id: 'report-page', reason: 'row number cell not found' },
      { id: 'countdown-badges', reason: 'row number cell not found' },
      { id: 'demarche-banner', reason: 'statut tabs not found' },
    ]);
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      'Archiviste: report-page turned off: DS page not recognised (row number cell not found)',
      'Archiviste: countdown-badges turned off: DS page not recognised (row number cell not found)',
      'Archiviste: demarche-banner turned off: DS page not recognised (statut tabs not found)',
    ]);
    await vi.waitFor(() => expect(shown.exports()).toBe(1));
    expect(shown.countdowns()).toBe(0);
    expect(shown.banner()).toBe(0);
    expect(reportsSent()).toBe(0);
  });

  it('renamed classes on a dossier page: the report and the countdown turn off; the export buttons stay', async () => {
    const outcomes = await run('dossierEnInstruction', 'renamed-classes');
    expect(unrecognisedOf(outcomes)).toEqual([
      { id: 'report-page', reason: 'state badge not found' },
      { id: 'countdown-badges', reason: 'state badge not found' },
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(shown.exports()).toBe(1));
    expect(shown.countdowns()).toBe(0);
    expect(reportsSent()).toBe(0);
  });

  it('no table: the report and the countdowns turn off; the banner and the export buttons stay', async () => {
    const outcomes = await run('dossierList', 'no-table');
    expect(unrecognisedOf(outcomes)).toEqual([
      { id: 'report-page', reason: 'dossier table not found' },
      { id: 'countdown-badges', reason: 'dossier table not found' },
    ]);
    expect(statuses(outcomes)).toMatchObject({ 'demarche-banner': 'ran', 'export-buttons': 'ran' });
    expect(warn).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(shown.banner()).toBe(1));
    expect(shown.exports()).toBe(1);
    expect(shown.countdowns()).toBe(0);
    expect(reportsSent()).toBe(0);
  });

  it('unknown columns: only the report (which reads them by header text) turns off', async () => {
    const outcomes = await run('dossierList', 'unknown-columns');
    expect(unrecognisedOf(outcomes)).toEqual([
      { id: 'report-page', reason: 'columns not found: N° dossier, État du dossier' },
    ]);
    expect(warn).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(shown.countdowns()).toBe(8));
    await vi.waitFor(() => expect(shown.banner()).toBe(1));
    expect(shown.exports()).toBe(1);
    expect(reportsSent()).toBe(0);
  });

  it('a new statut tab: only the banner turns off; the report is still sent, the countdowns drawn', async () => {
    const outcomes = await run('dossierList', 'new-tab');
    expect(unrecognisedOf(outcomes)).toEqual([
      { id: 'demarche-banner', reason: 'unknown tab /procedures/104532/a-relancer' },
    ]);
    expect(warn).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(shown.countdowns()).toBe(8));
    expect(shown.banner()).toBe(0);
    expect(shown.exports()).toBe(1);
    expect(reportsSent()).toBe(1);
  });

  it('a tab leading to another démarche is no tab of this list', async () => {
    openPage('dossierList');
    document.querySelector('#procedure-show nav.fr-tabs a')!.setAttribute('href', '/procedures/999/tous');
    const outcomes = await runFeatures(FEATURES, {
      route: routeOf(PAGES.dossierList.url),
      signal: controller.signal,
      document,
    });
    expect(unrecognisedOf(outcomes)).toEqual([{ id: 'demarche-banner', reason: 'unknown tab /procedures/999/tous' }]);
  });
});
