import {
  checkArchiveSelection,
  checkExportRequest,
  checkFatesRequest,
  checkListExportRequest,
  checkMarkupReport,
  checkPageReport,
} from '@/lib/core/sync/check-report';
import type { PayloadChecks } from '@/lib/platform/messages';

/** A request that carries nothing: an empty plain object, so that no stray field is ever read. */
function checkEmpty(value: unknown): Record<string, never> | null {
  const empty = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
  return empty ? (value as Record<string, never>) : null;
}

/**
 * The check of every kind a content script may send (lib/platform/messages.ts), run by the messaging
 * layer before the handler: each field's type, range and length, no unknown key, and the sender's own
 * instance only (a DS page never asks about, nor writes for, another instance).
 */
export const CONTENT_SCRIPT_CHECKS: PayloadChecks = {
  ping: checkEmpty,
  'page-texts': checkEmpty,
  'page-report': (value, { origin }) => {
    const report = checkPageReport(value);
    return report && report.origin === origin ? report : null;
  },
  'page-markup': (value, { origin }) => checkMarkupReport(value, origin),
  'page-fates': (value, { origin }) => checkFatesRequest(value, origin),
  'export-dossier': (value, { origin }) => checkExportRequest(value, origin),
  'export-dossier-pdf': (value, { origin }) => checkExportRequest(value, origin),
  'export-list': (value, { origin }) => checkListExportRequest(value, origin),
  'archive-start': (value, { origin, extensionPage }) => checkArchiveSelection(value, origin, extensionPage),
};
