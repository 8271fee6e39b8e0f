import { problemOf } from '@/lib/core/sync/errors';
import { parsePageHtml } from '@/lib/core/sync/parse-page';
import { runDossierExport } from '@/lib/export/run-export';
import type { ExportRequest, OffscreenExportAnswer, ParseRequest, RevokeRequest } from '@/lib/platform/offscreen';

type OffscreenRequest = Partial<ParseRequest> | Partial<ExportRequest> | Partial<RevokeRequest>;

// Offscreen documents only get chrome.runtime: no polyfill here. Only the extension talks to it.
chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  const request = message as OffscreenRequest;
  if (request?.offscreen === 'parse-page') {
    if (!request.html || !request.url || !request.now) return false;
    sendResponse(parsePageHtml(request.html, request.url, new Date(request.now)));
    return false;
  }
  if (request?.offscreen === 'export-dossier' && request.request) {
    runDossierExport(request.request).then(
      ({ blob, name, result }) => sendResponse({ ok: true, url: URL.createObjectURL(blob), name, result }),
      (error: unknown) => {
        const { code, detail } = problemOf(error, new Date());
        sendResponse({ ok: false, code, detail } satisfies OffscreenExportAnswer);
      },
    );
    return true;
  }
  if (request?.offscreen === 'revoke' && request.url) {
    URL.revokeObjectURL(request.url);
    sendResponse(true);
  }
  return false;
});
