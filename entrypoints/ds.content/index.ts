import { runFeatures, unrecognisedOf } from '@/lib/content/feature';
import { KNOWN_MATCHES } from '@/lib/ds/instances';
import { routeOf } from '@/lib/ds/routes';
import { initClock } from '@/lib/platform/clock';
import { sendMessage } from '@/lib/platform/messages';
import { FEATURES } from './features';
import './style.css';

export default defineContentScript({
  matches: KNOWN_MATCHES,
  runAt: 'document_idle',
  async main(ctx) {
    const root = document.documentElement;
    // The script can be injected twice (manifest + dynamic registration of a granted instance).
    if (root.dataset.archiviste) return;
    root.dataset.archiviste = 'loading';
    // Demo builds shift the clock; page readings (DS's "N J." badges) must use the same now().
    await initClock();
    const route = routeOf(location.href);
    const outcomes = await runFeatures(FEATURES, { route, signal: ctx.signal, document });
    // Every page, recognised or not: the popup says « page DS non reconnue » of this tab until it shows one it knows.
    await sendMessage('page-markup', {
      origin: route.origin,
      route: route.kind,
      features: unrecognisedOf(outcomes),
    }).catch((error: unknown) => console.warn('Archiviste: page markup not reported', error));
    root.dataset.archiviste = 'ready';
  },
});
