import { problemOf } from '@/lib/core/sync/errors';
import { parsePageHtml } from '@/lib/core/sync/parse-page';
import { runDossierExport } from '@/lib/export/run-export';
import { buildExportFile, readListTab } from '@/lib/export/run-list-export';
import type {
  BuildFileRequest,
  ExportRequest,
  OffscreenAnswer,
  OffscreenExportAnswer,
  ParseRequest,
  ReadListRequest,
  RevokeRequest,
} from '@/lib/platform/offscreen';

type OffscreenRequest =
  | Partial<ParseRequest>
  | Partial<ExportRequest>
  | Partial<ReadListRequest>
  | Partial<BuildFileRequest>
  | Partial<RevokeRequest>;

/** Sends a promise's outcome back; a failure as its code, so the background can word it. */
function answer<T>(work: Promise<T>, sendResponse: (answer: OffscreenAnswer<T>) => void): void {
  work.then(
    (value) => sendResponse({ ok: true, value }),
    (error: unknown) => {
      const { code, detail } = problemOf(error, new Date());
      sendResponse({ ok: false, code, detail });
    },
  );
}

// Offscreen documents only get chrome.runtime: no polyfill here. Only the extension talks to it.
chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  const request = message as OffscreenRequest;
  if (request?.offscreen === 'parse-page') {
    const { html, url, now } = request;
    if (!html || !url || !now) return false;
    // A page refused for its markup answers with its problem, like any other failure.
    answer(
      Promise.resolve().then(() => parsePageHtml(html, url, new Date(now))),
      sendResponse,
    );
    return true;
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
  if (request?.offscreen === 'read-list' && request.request) {
    answer(readListTab(request.request), sendResponse);
    return true;
  }
  if (request?.offscreen === 'build-file' && request.spec) {
    answer(
      buildExportFile(request.spec).then((blob) => ({ url: URL.createObjectURL(blob), size: blob.size })),
      sendResponse,
    );
    return true;
  }
  if (request?.offscreen === 'revoke' && request.url) {
    URL.revokeObjectURL(request.url);
    sendResponse(true);
  }
  return false;
});
