import { browser } from 'wxt/browser';
import type { PageParser } from '@/lib/core/sync/remote-page';
import type { PageReport } from '@/lib/ds/model';

/**
 * Chrome's MV3 service worker has no DOMParser: DS pages fetched by the background are read in an
 * offscreen document (reason DOM_PARSER). Firefox's background page has a DOM and parses in place.
 */
export interface ParseRequest {
  offscreen: 'parse-page';
  html: string;
  url: string;
  now: string;
}

const OFFSCREEN_URL = '/offscreen.html';
let creating: Promise<void> | null = null;

async function ensureOffscreenDocument(): Promise<void> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [browser.runtime.getURL(OFFSCREEN_URL)],
  });
  if (contexts.length > 0) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_URL,
      reasons: [chrome.offscreen.Reason.DOM_PARSER],
      justification: 'Read the DS pages the background fetches with the user’s session',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export const parseOffscreen: PageParser = async (html, url, now) => {
  await ensureOffscreenDocument();
  const request: ParseRequest = { offscreen: 'parse-page', html, url, now: now.toISOString() };
  return (await browser.runtime.sendMessage(request)) as PageReport | null;
};
