import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Popup } from '@/components/popup/Popup';
import { db } from '@/lib/core/db';
import { setClockOffsetForTests } from '@/lib/platform/clock';
import { locale } from '@/lib/platform/i18n';
import {
  button,
  byLabel,
  DN,
  demarche,
  dossier,
  fakeBackground,
  instance,
  mount,
  NOW,
  resetDb,
  seed,
  text,
  unmountAll,
} from './ui-fixtures';

const synced = {
  mode: 'api' as const,
  tokenHint: '••••••••1a2b',
  lastSyncAt: new Date(NOW.getTime() - 5 * 60_000).toISOString(),
};

async function withData() {
  await seed({
    instances: [instance(synced)],
    demarches: [demarche(1, { title: 'Aides à la rénovation' }), demarche(2, { title: 'Subventions sportives' })],
    dossiers: [
      dossier(101, 1, 12, { label: 'Jean Dupont' }),
      dossier(102, 1, 40, { state: 'refuse', archivedAt: NOW.toISOString() }),
      dossier(201, 2, 3, {
        state: 'sans_suite',
        expiresAt: null,
        expirySource: null,
        dateTraitement: '2025-11-26T09:00:00+01:00',
      }),
      // On DS since June 2026, en construction never expires, whatever date a column still shows.
      dossier(202, 2, 5, { state: 'en_construction', expirySource: 'column' }),
      dossier(203, 2, 0, { state: 'en_instruction', expiresAt: null, expirySource: null }),
    ],
  });
}

beforeEach(async () => {
  await resetDb();
  setClockOffsetForTests(NOW.getTime() - Date.now());
});
afterEach(() => {
  unmountAll();
  setClockOffsetForTests(0);
  locale.value = 'fr';
});

describe('Popup', () => {
  it('shows the status line: instance, mode, last sync', async () => {
    await withData();
    const popup = mount(<Popup />);
    await vi.waitFor(() =>
      expect(text(popup)).toContain('Démarche numérique · mode API · synchronisé il y a 5 minutes'),
    );
    expect(popup.querySelector('[aria-live="polite"]')?.textContent).toContain('Démarche numérique');
  });

  it('lists the dossiers deleted soonest by démarche, each with its badges and its link', async () => {
    await withData();
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelectorAll('.dossiers__row')).toHaveLength(3));
    const groups = [...popup.querySelectorAll('.dossiers__group')];
    expect(groups.map((g) => g.querySelector('h3')?.firstChild?.textContent)).toEqual([
      'Subventions sportives',
      'Aides à la rénovation',
    ]);
    const row = popup.querySelector<HTMLElement>('[data-dossier="101"]')!;
    expect(text(row)).toContain('n° 101 · Jean Dupont');
    expect([...row.querySelectorAll('.fr-badge')].map((b) => b.textContent)).toEqual([
      'J-12',
      'Suppression le 05/12/2026',
      'accepté',
      'non sauvegardé',
    ]);
    const link = row.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(`${DN}/procedures/1/tous/dossiers/101`);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener');
    const estimated = popup.querySelector<HTMLElement>('[data-dossier="201"]')!;
    expect([...estimated.querySelectorAll('.fr-badge')].map((b) => b.textContent)).toEqual([
      'J-3',
      'Suppression le 26/11/2026',
      'estimation',
      'classé sans suite',
      'non sauvegardé',
    ]);
    expect(popup.querySelector('[data-dossier="202"]')).toBeNull();
  });

  it('sums up what every other count agrees with: deleted within the lead time, not saved, never deleted', async () => {
    await withData();
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelector('[data-summary="threatened"]')).not.toBeNull());
    const item = (name: string) => text(popup.querySelector<HTMLElement>(`[data-summary="${name}"]`)!);
    expect(item('threatened')).toBe('Supprimés d’ici 30 jours2');
    expect(item('at-risk')).toBe('Dont non sauvegardés2');
    expect(item('never')).toBe('N’expirent pas (en construction, en instruction)2');
  });

  it('renders untrusted titles and labels as text', async () => {
    await seed({
      instances: [instance()],
      demarches: [demarche(1, { title: '<img src=x onerror=alert(1)>' })],
      dossiers: [dossier(1, 1, 5, { label: '<b>pirate</b>' })],
    });
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(text(popup)).toContain('<b>pirate</b>'));
    expect(popup.querySelector('img, b')).toBeNull();
  });

  it('draws 13 weekly bars with a text alternative', async () => {
    await withData();
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelector('[data-testid="weekly-chart"]')).not.toBeNull());
    const chart = popup.querySelector('[data-testid="weekly-chart"]')!;
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.querySelectorAll('[data-week]')).toHaveLength(13);
    expect(chart.querySelector('desc')?.textContent).toBe(
      '3 dossiers supprimés dans les 13 prochaines semaines, dont 2 non sauvegardés.',
    );
    const rows = [...popup.querySelectorAll('table tbody tr')].map((tr) =>
      [...tr.children].map((cell) => cell.textContent),
    );
    expect(rows).toHaveLength(13);
    expect(rows[0]).toEqual(['du 23/11 au 29/11', '1', '1']);
    expect(rows[1]).toEqual(['du 30/11 au 06/12', '1', '1']);
    expect(rows[5]).toEqual(['du 28/12 au 03/01', '1', '0']);
  });

  it('filters « non sauvegardés » with a labelled checkbox', async () => {
    await withData();
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelectorAll('.dossiers__row')).toHaveLength(3));
    const filter = byLabel(popup, 'Non sauvegardés seulement (2)');
    expect(filter.type).toBe('checkbox');
    filter.click();
    await vi.waitFor(() => expect(popup.querySelectorAll('.dossiers__row')).toHaveLength(2));
    expect(popup.querySelector('[data-dossier="102"]')).toBeNull();
  });

  it('syncs on « Synchroniser maintenant » and reports how it went', async () => {
    await withData();
    const received = fakeBackground({
      'sync-now': () => ({ results: [{ origin: DN, mode: 'api', requests: 3, dossiers: 42, problem: null }] }),
    });
    const popup = mount(<Popup />);
    await vi.waitFor(() => button(popup, 'Synchroniser maintenant'));
    const sync = button(popup, 'Synchroniser maintenant');
    expect(sync.type).toBe('button');
    sync.click();
    await vi.waitFor(() => expect(text(popup)).toContain('Synchronisation terminée : 42 dossiers lus.'));
    expect(received).toEqual([{ kind: 'sync-now', payload: {} }]);
  });

  it('archives every unsaved threatened dossier at once, the badge’s N, and says the archive opened', async () => {
    await withData();
    const received = fakeBackground({ 'archive-start': () => ({ jobId: 4, dossiers: 2 }) });
    const popup = mount(<Popup />);
    // 101 (in 12 days) and 201 (its date estimated, in 3 days); 102 is saved, the others never deleted.
    await vi.waitFor(() => button(popup, 'Sauvegarder les 2 dossiers non sauvegardés'));
    expect(popup.querySelector('[data-summary="at-risk"] dd')?.textContent).toBe('2');
    const archive = button(popup, 'Sauvegarder les 2 dossiers non sauvegardés');
    expect(archive.type).toBe('button');
    expect(archive.className).toBe('fr-btn fr-btn--sm fr-btn--secondary');
    const status = archive.nextElementSibling!;
    expect(status.getAttribute('role')).toBe('status');
    archive.click();
    await vi.waitFor(() => expect(status.textContent).toBe('L’archive s’est ouverte dans un nouvel onglet.'));
    expect(received).toEqual([{ kind: 'archive-start', payload: { kind: 'at-risk' } }]);
  });

  it('says why the archive did not start', async () => {
    await withData();
    fakeBackground({
      'archive-start': () => {
        throw new Error('Aucun dossier à archiver.');
      },
    });
    const popup = mount(<Popup />);
    await vi.waitFor(() => button(popup, 'Sauvegarder les 2 dossiers non sauvegardés').click());
    await vi.waitFor(() => expect(text(popup)).toContain('Aucun dossier à archiver.'));
  });

  it('offers no archive when nothing is at risk, and names a single one', async () => {
    await withData();
    await db.dossiers.update([DN, 101], { archivedAt: NOW.toISOString() });
    await db.dossiers.update([DN, 201], { archivedAt: NOW.toISOString() });
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelector('[data-summary="at-risk"] dd')?.textContent).toBe('0'));
    expect(popup.querySelector('.popup__archive')).toBeNull();

    await db.dossiers.update([DN, 201], { archivedAt: null });
    await vi.waitFor(() => button(popup, 'Sauvegarder le dossier non sauvegardé'));
  });

  it('asks again when the background stopped before answering, and says the sync resumes meanwhile', async () => {
    await withData();
    let asked = 0;
    let answer!: (value: unknown) => void;
    fakeBrowser.runtime.onMessage.addListener((() => {
      asked += 1;
      // The first question's worker is gone: no answer. The second one's sync ends when told.
      if (asked === 1) return undefined;
      return new Promise((resolve) => {
        answer = resolve;
      });
    }) as never);
    const popup = mount(<Popup />);
    await vi.waitFor(() => button(popup, 'Synchroniser maintenant').click());
    await vi.waitFor(() =>
      expect(text(popup)).toContain('La synchronisation a été interrompue ; elle reprend là où elle s’était arrêtée…'),
    );
    expect(button(popup, 'Synchroniser maintenant').disabled).toBe(true);
    answer({ ok: true, value: { results: [{ origin: DN, mode: 'api', requests: 2, dossiers: 7, problem: null }] } });
    await vi.waitFor(() => expect(text(popup)).toContain('Synchronisation terminée : 7 dossiers lus.'));
    expect(asked).toBe(2);
  });

  it('says when the sync could not start', async () => {
    await withData();
    fakeBackground({
      'sync-now': () => {
        throw new Error('hors ligne');
      },
    });
    const popup = mount(<Popup />);
    await vi.waitFor(() => button(popup, 'Synchroniser maintenant').click());
    await vi.waitFor(() => expect(text(popup)).toContain('La synchronisation n’a pas pu démarrer : hors ligne'));
  });

  it('shows an expired token with its fix and the way to the options', async () => {
    await withData();
    await db.instances.update(DN, { problem: { code: 'token-expired', at: NOW.toISOString() } });
    const openOptionsPage = vi.fn(async () => undefined);
    Object.assign(fakeBrowser.runtime, { openOptionsPage });
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelector('[data-problem="token-expired"]')).not.toBeNull());
    const alert = popup.querySelector<HTMLElement>('[data-problem="token-expired"]')!;
    expect(text(alert)).toContain('Votre jeton d’API a expiré.');
    expect(text(alert)).toContain(
      'Créez-en un nouveau dans votre profil DS (/profil), puis collez-le dans les options.',
    );
    button(alert, 'Ouvrir les options').click();
    expect(openOptionsPage).toHaveBeenCalledOnce();
  });

  it('opens the list of archives, where one stopped half-way is resumed', async () => {
    await withData();
    const create = vi.fn(async () => ({}) as never);
    Object.assign(fakeBrowser.tabs, { create });
    const popup = mount(<Popup />);
    await vi.waitFor(() => button(popup, 'Archives').click());
    expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL('/archive.html') });
  });

  it('sends a logged-out user to DS’s sign-in page', async () => {
    await seed({ instances: [instance({ problem: { code: 'logged-out', at: NOW.toISOString() } })] });
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelector('[data-problem="logged-out"]')).not.toBeNull());
    const link = popup.querySelector<HTMLAnchorElement>('[data-problem="logged-out"] a')!;
    expect(link.textContent).toBe('Se connecter à Démarche numérique');
    expect(link.getAttribute('href')).toBe(`${DN}/users/sign_in`);
  });

  it('welcomes a first run with what to do next', async () => {
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelector('[data-state="first-run"]')).not.toBeNull());
    expect(text(popup)).toContain('Bienvenue dans Archiviste');
    expect(popup.querySelector('[data-state="first-run"] a')?.getAttribute('href')).toBe(`${DN}/procedures`);
    button(popup, 'Ouvrir les options');
    expect(() => button(popup, 'Synchroniser maintenant')).toThrow();
  });

  it('says when nothing is due, and still offers a sync', async () => {
    await seed({ instances: [instance(synced)], demarches: [demarche(1)], dossiers: [dossier(1, 1, 200)] });
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelector('[data-state="nothing-soon"]')).not.toBeNull());
    expect(text(popup)).toContain('Aucun dossier suivi ne sera supprimé dans les 13 prochaines semaines.');
    button(popup, 'Synchroniser maintenant');
  });

  it('follows the database: a sync’s new dossiers appear without reopening', async () => {
    await withData();
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelectorAll('.dossiers__row')).toHaveLength(3));
    await db.dossiers.put(dossier(103, 1, 1));
    await vi.waitFor(() => expect(popup.querySelectorAll('.dossiers__row')).toHaveLength(4));
  });

  it('reaches every control with the keyboard: real buttons, links and inputs, none taken out of the tab order', async () => {
    await withData();
    await db.instances.update(DN, { problem: { code: 'unreachable', at: NOW.toISOString() } });
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(popup.querySelectorAll('.dossiers__row')).toHaveLength(3));
    const controls = [...popup.querySelectorAll('button, a, input')];
    expect(controls.length).toBeGreaterThan(5);
    for (const control of controls) expect(control.getAttribute('tabindex')).toBeNull();
    expect([...popup.querySelectorAll('a')].every((a) => a.hasAttribute('href'))).toBe(true);
    button(popup, 'Réessayer');
  });

  it('speaks English when asked', async () => {
    await withData();
    locale.value = 'en';
    const popup = mount(<Popup />);
    await vi.waitFor(() => expect(text(popup)).toContain('Sync now'));
    expect(text(popup)).toContain('Planned deletions, per week');
    expect(text(popup)).toContain('D-12');
    button(popup, 'Save the 2 unsaved dossiers');
  });
});
