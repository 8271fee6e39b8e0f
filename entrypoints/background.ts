import { browser } from 'wxt/browser';
import { initClock, now } from '@/lib/clock';
import { KNOWN_INSTANCES } from '@/lib/ds/instances';
import { hasHostPermission, registerInstanceScripts, unregisterInstanceScripts } from '@/lib/instance-scripts';
import { ensureInstance, normaliseOrigin, removeInstance } from '@/lib/instances';
import { listenForMessages } from '@/lib/messages';
import { forgetToken, saveToken } from '@/lib/secrets';

export default defineBackground(() => {
  const ready = initClock();

  listenForMessages({
    ping: () => ({ version: browser.runtime.getManifest().version, context: 'background' }),
    'save-token': async ({ origin, token }) => {
      await ready;
      await ensureInstance(origin, now());
      return { hint: await saveToken(origin, token, now()) };
    },
    'forget-token': async ({ origin }) => {
      await forgetToken(origin);
      return {};
    },
    'add-instance': async (request) => {
      await ready;
      const origin = normaliseOrigin(request.origin);
      if (!(await hasHostPermission(origin))) throw new Error(`Autorisation refusée pour ${origin}`);
      const instance = await ensureInstance(origin, now());
      if (!KNOWN_INSTANCES.some((known) => known.origin === origin)) await registerInstanceScripts(origin);
      return { origin: instance.origin, name: instance.name };
    },
    'remove-instance': async ({ origin }) => {
      await removeInstance(origin);
      await unregisterInstanceScripts(origin);
      return {};
    },
  });
});
