import { type Browser, browser } from 'wxt/browser';
import { FATES_CHANGED } from '@/lib/platform/messages';

/**
 * The DS tabs whose features show Archiviste's data, so they can be told when it changes. Kept in
 * memory only: a service worker that restarted learns them again from their next message.
 */
const tabs = new Set<number>();

export function rememberTab(sender: Browser.runtime.MessageSender): void {
  const id = sender.tab?.id;
  if (id !== undefined && id >= 0) tabs.add(id);
}

/** Tells every known DS tab to ask for its countdowns and banners again; closed tabs are forgotten. */
export async function tellPages(): Promise<void> {
  await Promise.all(
    [...tabs].map((id) =>
      browser.tabs.sendMessage(id, FATES_CHANGED).catch(() => {
        tabs.delete(id);
      }),
    ),
  );
}
