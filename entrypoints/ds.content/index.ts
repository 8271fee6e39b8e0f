import { runFeatures } from '@/lib/content/feature';
import { KNOWN_MATCHES } from '@/lib/ds/instances';
import { routeOf } from '@/lib/ds/routes';
import { initClock } from '@/lib/platform/clock';
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
    await runFeatures(FEATURES, { route: routeOf(location.href), signal: ctx.signal, document });
    root.dataset.archiviste = 'ready';
  },
});
