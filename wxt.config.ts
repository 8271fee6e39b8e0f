import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { DEMO_MATCHES, KNOWN_MATCHES } from './lib/ds/instances';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser, mode }) => ({
    name: 'Archiviste',
    description: '__MSG_extensionDescription__',
    default_locale: 'fr',
    permissions: [
      'storage', // settings (storage.local); the API token is NOT kept there (see lib/core/secrets.ts)
      'alarms', // the periodic expiry watch survives the service worker being stopped
      'notifications', // the D-30 / D-7 / D-1 digests and the corbeille notice
      'downloads', // saving a dossier's ZIP under its real name, and knowing when it is written
      'scripting', // running the DS page features on instances the user adds (after granting their host)
      // Chrome's service worker has no DOMParser: DS pages fetched in the background are read offscreen.
      ...(browser === 'chrome' ? ['offscreen'] : []),
    ],
    host_permissions: mode === 'demo' ? [...KNOWN_MATCHES, ...DEMO_MATCHES] : KNOWN_MATCHES,
    // Other DS instances (forks, self-hosted): asked from the options page, one origin at a time.
    optional_host_permissions: ['https://*/*'],
    action: { default_title: 'Archiviste' },
    // hash-wasm checks each file's MD5 in WebAssembly, which MV3 pages may run only when allowed here.
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'archiviste@archiviste.fr',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
  hooks: {
    // Content scripts declare the known hosts; the demo build also runs them on the local instance.
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.mode !== 'demo') return;
      for (const script of manifest.content_scripts ?? [])
        script.matches = [...(script.matches ?? []), ...DEMO_MATCHES];
    },
  },
  vite: () => ({ plugins: [preact()] }),
});
