import { DsApiClient } from '@/lib/ds/api';
import { exportDossierZip } from './api-export';
import type { ExportResult } from './build-zip';
import { exportDossierZipWithSession } from './session-export';

/**
 * One dossier's ZIP, made where the browser lets an extension hold it in a Blob for the downloads
 * API: Chrome's offscreen document, Firefox's background page. With a token (from the background; it
 * never goes to a DS page, and only to its own instance's API) through the API; without one, from
 * DS's own ZIP and PDF with the user's session. Same layout and inventory either way.
 */
export interface DossierExportRequest {
  origin: string;
  demarche: number;
  dossier: number;
  /** Null: no token, the export is made from what the user's logged-in session can reach. */
  token: string | null;
  csvSeparator?: string;
  /**
   * ISO time of the save, on the extension's one clock (lib/platform/clock: the background's, which
   * demo builds may shift; the offscreen document has no clock of its own): the ledger's `archivedAt`.
   */
  exportedAt: string;
}

export interface DossierExportFile {
  blob: Blob;
  name: string;
  result: ExportResult;
}

export async function runDossierExport(request: DossierExportRequest): Promise<DossierExportFile> {
  const { origin, demarche, dossier, token, csvSeparator } = request;
  const exportedAt = new Date(request.exportedAt);
  const zip = token
    ? await exportDossierZip(new DsApiClient({ origin, token }), dossier, { csvSeparator, exportedAt })
    : await exportDossierZipWithSession({
        origin,
        demarche,
        dossier,
        csvSeparator,
        exportedAt,
        parse: (html) => new DOMParser().parseFromString(html, 'text/html'),
      });
  let blob: Blob;
  try {
    blob = await new Response(zip.stream).blob();
  } catch (error) {
    // The browser words any failure inside the stream as its own (« Failed to fetch »): the ZIP
    // builder's result says what really went wrong.
    await zip.result;
    throw error;
  }
  return { blob: new Blob([blob], { type: 'application/zip' }), name: zip.name, result: await zip.result };
}
