import { parsePageHtml } from '@/lib/core/sync/parse-page';
import type { ParseRequest } from '@/lib/platform/offscreen';

// Offscreen documents only get chrome.runtime: no polyfill here.
chrome.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => {
  const request = message as Partial<ParseRequest>;
  if (request?.offscreen !== 'parse-page' || !request.html || !request.url || !request.now) return false;
  sendResponse(parsePageHtml(request.html, request.url, new Date(request.now)));
  return false;
});
