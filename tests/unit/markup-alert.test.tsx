import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MarkupAlert } from '@/components/popup/MarkupAlert';
import { checkMarkupReport } from '@/lib/core/sync/check-report';
import { locale } from '@/lib/platform/i18n';
import type { PageMarkup } from '@/lib/platform/messages';
import { forgetTabMarkup, pageMarkupItem, rememberPageMarkup, type TabMarkup } from '@/lib/platform/page-markup';
import { tabMarkupToShow } from '@/lib/view/markup-alert';
import { DN, mount, NOW, text, unmountAll } from './ui-fixtures';

/** « Page DS non reconnue »: the content script's report, checked, kept per tab, shown by the popup. */

const offList: PageMarkup = {
  origin: DN,
  route: 'dossier-list',
  features: [
    { id: 'countdown-badges', reason: 'dossier table not found' },
    { id: 'report-page', reason: 'dossier table not found' },
  ],
};
const fine: PageMarkup = { origin: DN, route: 'dossier', features: [] };
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const record = (tabId: number, markup: PageMarkup, minutes: number): TabMarkup => ({
  ...markup,
  tabId,
  seenAt: at(minutes).toISOString(),
});

describe('checkMarkupReport', () => {
  it('accepts what the content script sends, from the page’s own instance', () => {
    expect(checkMarkupReport(offList, DN)).toEqual(offList);
    expect(checkMarkupReport(fine, DN)).toEqual(fine);
  });

  it.each([
    ['another instance', offList, 'https://ds.example.org'],
    ['an unknown feature', { ...offList, features: [{ id: 'steal-token', reason: 'x' }] }, DN],
    ['a feature twice', { ...offList, features: [offList.features[0], offList.features[0]] }, DN],
    ['an empty reason', { ...offList, features: [{ id: 'report-page', reason: '' }] }, DN],
    ['a long reason', { ...offList, features: [{ id: 'report-page', reason: 'x'.repeat(201) }] }, DN],
    ['a reason that is no text', { ...offList, features: [{ id: 'report-page', reason: { html: '<b>' } }] }, DN],
    ['a feature without reason', { ...offList, features: [{ id: 'report-page' }] }, DN],
    ['an unknown page kind', { ...offList, route: 'admin' }, DN],
    ['an unknown key', { ...offList, token: 'x' }, DN],
    ['no features list', { origin: DN, route: 'dossier' }, DN],
    ['no object', 'page-markup', DN],
  ])('refuses %s', (_, value, sender) => {
    expect(checkMarkupReport(value, sender)).toBeNull();
  });
});

describe('the per-tab record', () => {
  it('keeps each tab’s last page, replaced by its next one, dropped when the tab closes', async () => {
    await Promise.all([rememberPageMarkup(3, offList, at(0)), rememberPageMarkup(4, fine, at(1))]);
    expect(await pageMarkupItem.getValue()).toEqual({ 3: record(3, offList, 0), 4: record(4, fine, 1) });
    await rememberPageMarkup(3, fine, at(2));
    expect((await pageMarkupItem.getValue())[3]?.features).toEqual([]);
    await forgetTabMarkup(3);
    expect(Object.keys(await pageMarkupItem.getValue())).toEqual(['4']);
  });

  it('the popup speaks of the active tab’s page, else of the last DS page seen', () => {
    const records = { 3: record(3, offList, 0), 4: record(4, fine, 1) };
    expect(tabMarkupToShow(records, 3)).toEqual(records[3]);
    // The active tab shows a recognised page: no alert, whatever another tab showed.
    expect(tabMarkupToShow(records, 4)).toBeNull();
    // The popup opened over a page that is not DS: the last DS page seen (tab 4, recognised).
    expect(tabMarkupToShow(records, 9)).toBeNull();
    expect(tabMarkupToShow({ 3: record(3, offList, 2), 4: record(4, fine, 1) }, undefined)).toEqual(
      record(3, offList, 2),
    );
    expect(tabMarkupToShow({}, 3)).toBeNull();
  });
});

describe('the popup’s alert', () => {
  beforeEach(() => {
    locale.value = 'fr';
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 3 } as never]);
  });
  afterEach(() => unmountAll());

  it('says « Page DS non reconnue », its fix and the features off; it goes once the page is recognised', async () => {
    await rememberPageMarkup(3, offList, NOW);
    const root = mount(<MarkupAlert />);
    await vi.waitFor(() => expect(root.querySelector('[data-markup-alert]')).not.toBeNull());
    expect(root.querySelector('.fr-alert__title')?.textContent).toBe('Page DS non reconnue');
    expect(text(root)).toContain(
      'Archiviste est désactivé sur cette page : DS a peut-être changé. Les autres fonctions continuent. Mettez à jour l’extension ou signalez-le.',
    );
    expect(text(root)).toContain(
      'Fonctions désactivées sur cette page : comptes à rebours des dossiers, lecture de la page (mode sans jeton).',
    );
    expect(text(root)).toContain('countdown-badges: dossier table not found');

    await act(() => rememberPageMarkup(3, fine, at(1)));
    await vi.waitFor(() => expect(root.querySelector('[data-markup-alert]')).toBeNull());
  });

  it('speaks English when the options say so', async () => {
    locale.value = 'en';
    await rememberPageMarkup(3, offList, NOW);
    const root = mount(<MarkupAlert />);
    await vi.waitFor(() => expect(root.querySelector('.fr-alert__title')?.textContent).toBe('DS page not recognised'));
    expect(text(root)).toContain('Turned off on this page: dossier countdowns, page reading (token-less mode).');
  });
});
