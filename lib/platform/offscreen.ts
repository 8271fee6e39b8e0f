import { browser } from 'wxt/browser';
import type { PageParser } from '@/lib/core/sync/remote-page';
import type { PageReport } from '@/lib/ds/model';
import type { ExportResult } from '@/lib/export/build-zip';
import type { DossierExportRequest } from '@/lib/export/run-export';
import type { ExportFileSpec, ListTab, ListTabRequest } from '@/lib/export/run-list-export';

/**
 * Chrome's MV3 service worker has no DOMParser and no `URL.createObjectURL`: DS pages fetched by the
 * background are read, and dossier ZIPs are made into Blobs for the downloads API, in an offscreen
 * document (reasons DOM_PARSER and BLOBS). Firefox's background page does both in place.
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
      reasons: [chrome.offscreen.Reason.DOM_PARSER, chrome.offscreen.Reason.BLOBS],
      justification: 'Read the DS pages the background fetches; make the dossier ZIPs the user saves',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export const parseOffscreen: PageParser = (html, url, now) =>
  askOffscreen<PageReport | null>({ offscreen: 'parse-page', html, url, now: now.toISOString() });

export interface ExportRequest {
  offscreen: 'export-dossier';
  request: DossierExportRequest;
}

export interface RevokeRequest {
  offscreen: 'revoke';
  url: string;
}

/** A made ZIP, held at `url` until `release()` (once the download is written). */
export interface MadeZip {
  url: string;
  name: string;
  result: ExportResult;
  release: () => Promise<void>;
}

export type OffscreenExportAnswer =
  | { ok: true; url: string; name: string; result: ExportResult }
  | { ok: false; code: string; detail?: string };

export async function makeZipOffscreen(request: DossierExportRequest): Promise<MadeZip> {
  await ensureOffscreenDocument();
  const message: ExportRequest = { offscreen: 'export-dossier', request };
  const answer = (await browser.runtime.sendMessage(message)) as OffscreenExportAnswer;
  // The failure's code crosses the message, so the background can word it as for a sync.
  if (!answer.ok) throw Object.assign(new Error(answer.code), { code: answer.code, detail: answer.detail });
  const revoke: RevokeRequest = { offscreen: 'revoke', url: answer.url };
  return { ...answer, release: async () => void (await browser.runtime.sendMessage(revoke)) };
}

export interface ReadListRequest {
  offscreen: 'read-list';
  request: ListTabRequest;
}

export interface BuildFileRequest {
  offscreen: 'build-file';
  spec: ExportFileSpec;
}

export type OffscreenAnswer<T> = { ok: true; value: T } | { ok: false; code: string; detail?: string };

/** A list file made, held at `url` until `release()`. */
export interface MadeFile {
  url: string;
  size: number;
  release: () => Promise<void>;
}

/**
 * The steps of the list and PDF exports, wherever they can run (offscreen in Chrome, in place in
 * Firefox): reading a tab's pages, making a file.
 */
export interface FileExporter {
  readTab: (request: ListTabRequest) => Promise<ListTab>;
  makeFile: (spec: ExportFileSpec) => Promise<MadeFile>;
}

async function askOffscreen<T>(message: ParseRequest | ReadListRequest | BuildFileRequest): Promise<T> {
  await ensureOffscreenDocument();
  const answer = (await browser.runtime.sendMessage(message)) as OffscreenAnswer<T>;
  if (!answer.ok) throw Object.assign(new Error(answer.code), { code: answer.code, detail: answer.detail });
  return answer.value;
}

export const fileExporterOffscreen: FileExporter = {
  readTab: (request) => askOffscreen<ListTab>({ offscreen: 'read-list', request }),
  makeFile: async (spec) => {
    const { url, size } = await askOffscreen<{ url: string; size: number }>({ offscreen: 'build-file', spec });
    const revoke: RevokeRequest = { offscreen: 'revoke', url };
    return { url, size, release: async () => void (await browser.runtime.sendMessage(revoke)) };
  },
};
