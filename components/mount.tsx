import { effect } from '@preact/signals';
import { type ComponentType, render } from 'preact';
import { initClock } from '@/lib/platform/clock';
import { initI18n, locale, type MessageKey, t } from '@/lib/platform/i18n';

/** Starts an extension page: clock and language first, then the view, in `#app`. */
export async function mount(App: ComponentType, title: MessageKey): Promise<void> {
  await Promise.all([initClock(), initI18n()]);
  effect(() => {
    document.documentElement.lang = locale.value;
    document.title = t(title);
  });
  render(<App />, document.getElementById('app') as HTMLElement);
}
