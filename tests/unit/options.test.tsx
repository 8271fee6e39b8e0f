import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Options } from '@/components/options/Options';
import { db } from '@/lib/core/db';
import { KNOWN_MATCHES } from '@/lib/ds/instances';
import { setClockOffsetForTests } from '@/lib/platform/clock';
import { initI18n, locale } from '@/lib/platform/i18n';
import { getSettings } from '@/lib/platform/settings';
import {
  button,
  buttons,
  byLabel,
  DN,
  demarche,
  fakeBackground,
  instance,
  mount,
  NOW,
  resetDb,
  seed,
  text,
  type,
  unmountAll,
} from './ui-fixtures';

const PF = 'https://www.mes-demarches.gov.pf';
const request = vi.fn(async (_: { origins: string[] }) => true);

/** A background that stores what the options page sends, as the real one does. */
function background() {
  return fakeBackground({
    'add-instance': async ({ origin }) => {
      if (!(await db.instances.get(origin))) await db.instances.put(instance({ origin, name: new URL(origin).host }));
      return { origin, name: new URL(origin).host };
    },
    'save-token': async ({ origin, token }) => {
      const hint = `••••••••${token.slice(-4)}`;
      await db.instances.update(origin, { mode: 'api', tokenHint: hint });
      return { hint };
    },
    'forget-token': async ({ origin }) => {
      await db.instances.update(origin, { mode: 'session', tokenHint: null });
      return {};
    },
    'test-token': () => ({
      readable: [{ number: 104532, title: 'Subvention aux associations sportives 2026' }],
      unreadable: [2],
      problem: null,
    }),
  });
}

beforeEach(async () => {
  await resetDb();
  setClockOffsetForTests(NOW.getTime() - Date.now());
  request.mockClear().mockResolvedValue(true);
  Object.assign(fakeBrowser.permissions, { request });
  Object.assign(fakeBrowser.runtime, { getManifest: () => ({ host_permissions: KNOWN_MATCHES }) });
});
afterEach(() => {
  unmountAll();
  setClockOffsetForTests(0);
  locale.value = 'fr';
});

async function openOptions() {
  const page = mount(<Options />);
  await vi.waitFor(() => expect(page.querySelectorAll('[data-origin]').length).toBeGreaterThanOrEqual(2));
  await vi.waitFor(() => button(page, 'Enregistrer'));
  return page;
}

describe('Options', () => {
  it('labels every field, with the names instructeurs are told about', async () => {
    const page = await openOptions();
    const address = byLabel(page, 'Adresse de l’instance');
    expect(address.value).toBe(DN);
    const token = byLabel(page, 'Jeton d’API');
    expect(token.type).toBe('password');
    expect(token.getAttribute('autocomplete')).toBe('off');
    for (const label of [
      'Premier avertissement (jours avant la suppression)',
      'Rappels (jours avant la suppression)',
      'Synchronisation automatique',
      'Séparateur des fichiers CSV',
      'Langue',
    ]) {
      expect(byLabel(page, label)).toBeTruthy();
    }
    for (const control of page.querySelectorAll('input, select')) {
      if (control.getAttribute('type') === 'checkbox') continue;
      expect(page.querySelector(`label[for="${control.id}"]`), control.id).not.toBeNull();
    }
    expect(buttons(page, 'Enregistrer').every((b) => b.type === 'submit')).toBe(true);
  });

  it('saves a token for the known instance: sent to the background, cleared, shown masked', async () => {
    const received = background();
    const page = await openOptions();
    const token = byLabel(page, 'Jeton d’API');
    type(token, 'secret-token-1a2b');
    buttons(page, 'Enregistrer')[0]!.click();
    await vi.waitFor(() =>
      expect(text(page)).toContain('Jeton enregistré pour demarche.numerique.gouv.fr (••••••••1a2b).'),
    );
    expect(received.map((r) => r.kind)).toEqual(['add-instance', 'save-token']);
    expect(received[1]?.payload).toEqual({ origin: DN, token: 'secret-token-1a2b' });
    expect(token.value).toBe('');
    expect(request).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(text(page)).toContain('Jeton enregistré : ••••••••1a2b'));
    expect(text(page)).not.toContain('secret-token');
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('secret-token');
  });

  it('adds another instance after asking for its permission', async () => {
    const received = background();
    const page = await openOptions();
    type(byLabel(page, 'Adresse de l’instance'), 'www.mes-demarches.gov.pf');
    buttons(page, 'Enregistrer')[0]!.click();
    expect(request).toHaveBeenCalledWith({ origins: [`${PF}/*`] });
    await vi.waitFor(() => expect(page.querySelector(`[data-origin="${PF}"]`)).not.toBeNull());
    expect(text(page)).toContain('Instance www.mes-demarches.gov.pf ajoutée.');
    expect(received.map((r) => r.kind)).toEqual(['add-instance']);
  });

  it('says why an address is refused', async () => {
    background();
    const page = await openOptions();
    type(byLabel(page, 'Adresse de l’instance'), 'http://mes-demarches.example');
    buttons(page, 'Enregistrer')[0]!.click();
    await vi.waitFor(() => expect(text(page)).toContain('L’adresse de l’instance doit commencer par https://'));
  });

  it('tests a stored token and shows the démarches it reads', async () => {
    background();
    await seed({ instances: [instance({ mode: 'api', tokenHint: '••••••••1a2b' })] });
    const page = await openOptions();
    await vi.waitFor(() => button(page, 'Tester le jeton'));
    const test = button(page, 'Tester le jeton');
    expect(test.textContent).toBe('Tester le jeton (Démarche numérique)');
    test.click();
    await vi.waitFor(() => expect(page.querySelector('[data-testid="token-test"]')).not.toBeNull());
    const report = text(page.querySelector('[data-testid="token-test"]')!);
    expect(report).toContain('Ce jeton lit 1 démarche(s) :');
    expect(report).toContain('n° 104532 — Subvention aux associations sportives 2026');
    expect(report).toContain('Il ne peut pas lire les démarches suivies n° 2.');
  });

  it('shows a token test’s problem with its fix', async () => {
    fakeBackground({
      'test-token': () => ({
        readable: [],
        unreadable: [],
        problem: { code: 'network-forbidden', at: NOW.toISOString(), detail: '192.0.2.0/24' },
      }),
    });
    await seed({ instances: [instance({ mode: 'api', tokenHint: '••••••••1a2b' })] });
    const page = await openOptions();
    await vi.waitFor(() => button(page, 'Tester le jeton').click());
    await vi.waitFor(() => expect(page.querySelector('[data-problem="network-forbidden"]')).not.toBeNull());
    expect(text(page)).toContain('Ajoutez la plage 192.0.2.0/24 aux réseaux autorisés de votre jeton (profil DS).');
  });

  it('forgets a token', async () => {
    const received = background();
    await seed({ instances: [instance({ mode: 'api', tokenHint: '••••••••1a2b' })] });
    const page = await openOptions();
    await vi.waitFor(() => button(page, 'Oublier le jeton').click());
    await vi.waitFor(() => expect(text(page)).not.toContain('••••••••1a2b'));
    expect(received).toEqual([{ kind: 'forget-token', payload: { origin: DN } }]);
  });

  it('« Ajouter un jeton » fills the address and moves to the token field', async () => {
    const page = await openOptions();
    button(page, 'Ajouter un jeton (Démarches simplifiées').click();
    await vi.waitFor(() =>
      expect(byLabel(page, 'Adresse de l’instance').value).toBe('https://www.demarches-simplifiees.fr'),
    );
    expect(document.activeElement).toBe(byLabel(page, 'Jeton d’API'));
  });

  it('switches watched démarches on and off', async () => {
    await seed({
      instances: [instance()],
      demarches: [demarche(104532, { title: 'Subvention aux associations' }), demarche(7, { watched: false })],
    });
    const page = await openOptions();
    await vi.waitFor(() => byLabel(page, 'n° 104532 — Subvention aux associations'));
    const toggle = byLabel(page, 'n° 104532 — Subvention aux associations');
    expect(toggle.getAttribute('role')).toBe('switch');
    expect(toggle.checked).toBe(true);
    expect(byLabel(page, 'n° 7 — Subvention 7').checked).toBe(false);
    // The options page writes nothing itself: the background stores the choice and updates the badge.
    const received = fakeBackground({
      'set-watched': async ({ origin, number, watched }) => {
        await db.demarches.update([origin, number], { watched });
        return {};
      },
    });
    toggle.click();
    await vi.waitFor(async () => expect((await db.demarches.get([DN, 104532]))?.watched).toBe(false));
    expect(received).toEqual([{ kind: 'set-watched', payload: { origin: DN, number: 104532, watched: false } }]);
  });

  it('says which expiry rules apply to each instance, and why', async () => {
    await seed({
      instances: [
        instance(),
        instance({
          origin: 'https://www.mes-demarches.gov.pf',
          name: 'mes-démarches',
          addedAt: '2026-01-01T00:00:00Z',
        }),
        instance({
          origin: 'https://ds.exemple.fr',
          name: 'DS exemple',
          addedAt: '2026-02-01T00:00:00Z',
          rules: { set: '2025', evidence: 'page-expires', at: '2026-11-12T09:00:00+01:00' },
        }),
      ],
    });
    const page = await openOptions();
    await vi.waitFor(() => page.querySelector('[data-origin="https://ds.exemple.fr"] [data-rules]'));
    const rules = (origin: string) => page.querySelector(`[data-origin="${origin}"] [data-rules]`)?.textContent ?? '';
    expect(rules(DN)).toContain('les dossiers en construction n’expirent pas');
    expect(rules(DN)).toContain('Instance officielle de DS');
    expect(rules('https://www.mes-demarches.gov.pf')).toContain('estimation');
    expect(rules('https://www.mes-demarches.gov.pf')).toContain('les dossiers en construction expirent');
    expect(rules('https://ds.exemple.fr')).toContain('Constaté le 12/11/2026');
    expect(rules('https://ds.exemple.fr')).toContain('« Expirera le … »');
  });

  it('says how to discover démarches when none is known', async () => {
    const page = await openOptions();
    expect(text(page)).toContain('Aucune démarche découverte');
  });

  it('saves the settings, and a new language switches the page', async () => {
    await initI18n();
    const page = await openOptions();
    type(byLabel(page, 'Premier avertissement (jours avant la suppression)'), '45');
    type(byLabel(page, 'Rappels (jours avant la suppression)'), '14, 1');
    const language = byLabel<HTMLSelectElement>(page, 'Langue');
    language.value = 'en';
    language.dispatchEvent(new Event('change', { bubbles: true }));
    buttons(page, 'Enregistrer')[1]!.click();
    await vi.waitFor(async () =>
      expect(await getSettings()).toMatchObject({ leadTimeDays: 45, thresholds: [45, 14, 1], language: 'en' }),
    );
    await vi.waitFor(() => expect(byLabel(page, 'API token')).toBeTruthy());
    expect(buttons(page, 'Save')).toHaveLength(2);
    expect(text(page)).toContain('Preferences saved.');
  });

  it('shows what is wrong next to the field', async () => {
    const page = await openOptions();
    const lead = byLabel(page, 'Premier avertissement (jours avant la suppression)');
    type(lead, '0');
    buttons(page, 'Enregistrer')[1]!.click();
    await vi.waitFor(() => expect(lead.getAttribute('aria-invalid')).toBe('true'));
    const error = document.getElementById(lead.getAttribute('aria-describedby')!.split(' ').at(-1)!);
    expect(error?.textContent).toBe('Indiquez un nombre de jours entre 1 et 365.');
    expect((await getSettings()).leadTimeDays).toBe(30);
  });
});
