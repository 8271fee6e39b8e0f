import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { KNOWN_MATCHES } from '@/lib/ds/instances';
import {
  connectInstance,
  disconnectInstance,
  instanceEntries,
  originOf,
  patternCovers,
  testInstanceToken,
} from '@/lib/view/instance-setup';
import { DN, fakeBackground, instance } from './ui-fixtures';

const PF = 'https://www.mes-demarches.gov.pf';
const permissions = {
  request: vi.fn(async (_: { origins: string[] }) => true),
  remove: vi.fn(async (_: { origins: string[] }) => true),
};

beforeEach(() => {
  permissions.request.mockClear().mockResolvedValue(true);
  permissions.remove.mockClear();
  Object.assign(fakeBrowser.permissions, permissions);
  Object.assign(fakeBrowser.runtime, {
    getManifest: () => ({ host_permissions: [...KNOWN_MATCHES, 'http://127.0.0.1/*'] }),
  });
});

describe('patternCovers', () => {
  it.each([
    ['https://demarche.numerique.gouv.fr/*', DN, true],
    ['https://demarche.numerique.gouv.fr/*', PF, false],
    ['https://*/*', PF, true],
    ['*://*/*', 'http://127.0.0.1:4000', true],
    ['https://*.gov.pf/*', PF, true],
    ['https://*.gov.pf/*', 'https://gov.pf', true],
    ['https://*.gov.pf/*', 'https://evilgov.pf', false],
    ['http://127.0.0.1/*', 'http://127.0.0.1:4321', true],
    ['http://127.0.0.1:4000/*', 'http://127.0.0.1:4321', false],
    ['http://127.0.0.1/*', 'https://127.0.0.1', false],
    ['<all_urls>', DN, false],
  ])('%s covers %s: %s', (pattern, origin, expected) => {
    expect(patternCovers(pattern, origin)).toBe(expected);
  });
});

describe('originOf', () => {
  it('normalises what the user typed, or says what is expected', () => {
    expect(originOf('www.mes-demarches.gov.pf/procedures')).toBe(PF);
    expect(() => originOf('ftp://x')).toThrow(/doit commencer par https:\/\//);
  });
});

describe('connectInstance', () => {
  it('adds a known instance and stores its token without asking for a permission', async () => {
    const received = fakeBackground({
      'add-instance': ({ origin }) => ({ origin, name: 'Démarche numérique' }),
      'save-token': () => ({ hint: '••••••••1a2b' }),
    });
    await expect(connectInstance('demarche.numerique.gouv.fr', '  secret-1a2b \n')).resolves.toEqual({
      origin: DN,
      hint: '••••••••1a2b',
    });
    expect(permissions.request).not.toHaveBeenCalled();
    expect(received).toEqual([
      { kind: 'add-instance', payload: { origin: DN } },
      { kind: 'save-token', payload: { origin: DN, token: 'secret-1a2b' } },
    ]);
  });

  it('asks for another instance’s host permission at once, inside the user gesture', async () => {
    const received = fakeBackground({ 'add-instance': ({ origin }) => ({ origin, name: 'x' }) });
    const done = connectInstance(PF, '');
    // Synchronously, before any await: the browser only shows the prompt during the click.
    expect(permissions.request).toHaveBeenCalledWith({ origins: [`${PF}/*`] });
    await expect(done).resolves.toEqual({ origin: PF, hint: null });
    expect(received.map((r) => r.kind)).toEqual(['add-instance']);
  });

  it('asks for the host of an instance on its own port, every port (Firefox matches no pattern naming one)', async () => {
    fakeBackground({ 'add-instance': ({ origin }) => ({ origin, name: 'x' }) });
    await connectInstance('https://ds.example.fr:8443', '');
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://ds.example.fr/*'] });
  });

  it('stops when the permission is refused', async () => {
    permissions.request.mockResolvedValue(false);
    const received = fakeBackground({ 'add-instance': ({ origin }) => ({ origin, name: 'x' }) });
    await expect(connectInstance(PF, 'token')).rejects.toThrow(
      'Autorisation refusée : Archiviste ne peut pas accéder à www.mes-demarches.gov.pf.',
    );
    expect(received).toEqual([]);
  });

  it('needs no request for loopback in a demo build', async () => {
    fakeBackground({ 'add-instance': ({ origin }) => ({ origin, name: 'x' }) });
    await connectInstance('http://127.0.0.1:4321', '');
    expect(permissions.request).not.toHaveBeenCalled();
  });
});

describe('disconnectInstance', () => {
  it('forgets the instance and gives its permission back', async () => {
    const received = fakeBackground({ 'remove-instance': () => ({}) });
    await disconnectInstance(PF);
    expect(received).toEqual([{ kind: 'remove-instance', payload: { origin: PF } }]);
    expect(permissions.remove).toHaveBeenCalledWith({ origins: [`${PF}/*`] });
  });
});

describe('testInstanceToken', () => {
  it('asks the background to try the stored token', async () => {
    const answer = { readable: [{ number: 1, title: 'Subvention' }], unreadable: [2], problem: null };
    const received = fakeBackground({ 'test-token': () => answer });
    await expect(testInstanceToken(DN)).resolves.toEqual(answer);
    expect(received).toEqual([{ kind: 'test-token', payload: { origin: DN } }]);
  });
});

describe('instanceEntries', () => {
  it('always offers the known instances, then the added ones in the order they were added', () => {
    const entries = instanceEntries([
      instance({ origin: 'https://b.example', name: 'B', addedAt: '2026-11-02T00:00:00Z' }),
      instance({ mode: 'api', tokenHint: '••••••••1a2b' }),
      instance({ origin: 'https://a.example', name: 'A', addedAt: '2026-11-03T00:00:00Z' }),
    ]);
    expect(entries.map((e) => [e.origin, e.known, e.row?.tokenHint ?? null])).toEqual([
      [DN, true, '••••••••1a2b'],
      ['https://www.demarches-simplifiees.fr', true, null],
      ['https://b.example', false, null],
      ['https://a.example', false, null],
    ]);
  });
});
