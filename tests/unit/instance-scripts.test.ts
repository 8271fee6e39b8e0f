import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerInstanceScripts, unregisterInstanceScripts } from '@/lib/platform/instance-scripts';

/** The browser's registered content scripts, as `scripting` keeps them. */
let registered: Array<{ id: string; matches?: string[] }>;

beforeEach(() => {
  registered = [];
  const scripting = {
    getRegisteredContentScripts: vi.fn(async ({ ids }: { ids: string[] }) =>
      registered.filter((script) => ids.includes(script.id)),
    ),
    registerContentScripts: vi.fn(async (scripts: Array<{ id: string; matches?: string[] }>) => {
      registered.push(...scripts);
    }),
    unregisterContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => {
      registered = registered.filter((script) => !ids.includes(script.id));
    }),
  };
  Object.assign(fakeBrowser, { scripting });
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
    manifest_version: 3,
    name: 'Archiviste',
    version: '0',
    content_scripts: [{ matches: ['https://demarche.numerique.gouv.fr/*', 'http://127.0.0.1/*'], js: ['ds.js'] }],
  });
});

describe('content scripts of added instances', () => {
  it('registers one script per host, whatever the port, so a page never runs two copies', async () => {
    await registerInstanceScripts('https://ds.example.fr');
    await registerInstanceScripts('https://ds.example.fr:8443');
    expect(registered).toEqual([expect.objectContaining({ matches: ['https://ds.example.fr/*'] })]);
  });

  it('registers nothing where the manifest’s own script already runs', async () => {
    await registerInstanceScripts('http://127.0.0.1:4000');
    await registerInstanceScripts('https://demarche.numerique.gouv.fr');
    expect(registered).toEqual([]);
  });

  it('keeps the host’s script while another instance on that host remains', async () => {
    await registerInstanceScripts('https://ds.example.fr');
    await unregisterInstanceScripts('https://ds.example.fr:8443', ['https://ds.example.fr']);
    expect(registered).toHaveLength(1);
    await unregisterInstanceScripts('https://ds.example.fr', ['https://ds.example.fr']);
    expect(registered).toEqual([]);
  });
});
