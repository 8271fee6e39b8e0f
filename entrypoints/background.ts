import { browser } from 'wxt/browser';
import { listenForMessages } from '@/lib/messages';

export default defineBackground(() => {
  listenForMessages({
    ping: () => ({ version: browser.runtime.getManifest().version, context: 'background' }),
  });
});
