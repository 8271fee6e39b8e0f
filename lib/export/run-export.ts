import { DsApiClient } from '@/lib/ds/api';
import { exportDossierZip } from './api-export';
import type { ExportResult } from './build-zip';

/**
 * One dossier's ZIP, made where the browser lets an extension hold it in a Blob for the downloads
 * API: Chrome's offscreen document, Firefox's background page. The token comes from the background
 * (it never goes to a DS page) and is sent only to its own instance's API.
 */
export interface DossierExportRequest {
  origin: string;
  dossier: number;
  token: string;
  csvSeparator?: string;
}

export interface DossierExportFile {
  blob: Blob;
  name: string;
  result: ExportResult;
}

export async function runDossierExport(request: DossierExportRequest): Promise<DossierExportFile> {
  const client = new DsApiClient({ origin: request.origin, token: request.token });
  const zip = await exportDossierZip(client, request.dossier, { csvSeparator: request.csvSeparator });
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
