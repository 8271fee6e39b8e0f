import type { DossierExportRequest } from '@/lib/export/run-export';
import { runDossierExport } from '@/lib/export/run-export';
import { buildExportFile, readListTab } from '@/lib/export/run-list-export';
import type { FileExporter, MadeZip } from '@/lib/platform/offscreen';

/**
 * The exports made where the page itself has `DOMParser` and `URL.createObjectURL`: Firefox's
 * background page. Chrome's service worker has neither and asks its offscreen document instead
 * (lib/platform/offscreen.ts); its build never loads this module, nor the ZIP and PDF code.
 */

export async function makeZipInPlace(request: DossierExportRequest): Promise<MadeZip> {
  const { blob, name, result } = await runDossierExport(request);
  const url = URL.createObjectURL(blob);
  return { url, name, result, release: async () => URL.revokeObjectURL(url) };
}

export const fileExporterInPlace: FileExporter = {
  readTab: (request) => readListTab(request),
  makeFile: async (spec) => {
    const blob = await buildExportFile(spec);
    const url = URL.createObjectURL(blob);
    return { url, size: blob.size, release: async () => URL.revokeObjectURL(url) };
  },
};
