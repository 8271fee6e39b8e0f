import type { PageMessage } from '@/lib/ds/read-messages';
import { fileNameStamp, splitExtension } from './layout';
import type { TranscriptMessage } from './transcript';

/**
 * The messages read from DS's page (token-less exports) in the shapes the API's messages take:
 * for `messagerie.txt` and for `dossier.json`, each attachment tied to its file in DS's ZIP.
 */

/** An attachment of a message read from the page, and where DS's ZIP put it, if it did. */
export interface PageAttachment {
  filename: string;
  path: string | null;
}

/** One of DS's ZIP entries in `messagerie/`: its name as DS wrote it, and its path in ours. */
export interface MessagerieEntry {
  dsName: string;
  path: string;
}

/** Page text made into a body the transcript reads back unchanged (it decodes `&amp;`, `&lt;`, `&gt;`). */
const asBody = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const STAMPED = /^-(\d{2}-\d{2}-\d{4}-\d{2}-\d{2})-\d{1,4}$/;

/** The upload stamp of a DS ZIP name `<base>-<dd-mm-YYYY-HH-MM>-<id % 10000><ext>` of that file, or null. */
function stampOf(dsName: string, filename: string): string | null {
  const [base, ext] = splitExtension(filename);
  const name = dsName.slice(dsName.lastIndexOf('/') + 1);
  if (!name.startsWith(base) || !name.endsWith(ext)) return null;
  return STAMPED.exec(name.slice(base.length, name.length - ext.length))?.[1] ?? null;
}

/**
 * DS names a message's file in its ZIP stamped with the upload (the message's minute, usually): the
 * entry of that name and minute, else of that name, each entry given to one attachment only.
 */
function entryFinder(entries: readonly MessagerieEntry[]): (filename: string, at: string) => string | null {
  const free = new Set(entries);
  return (filename, at) => {
    const stamp = fileNameStamp(at);
    const named = [...free].filter((entry) => stampOf(entry.dsName, filename) !== null);
    const entry = named.find((e) => stampOf(e.dsName, filename) === stamp) ?? named[0];
    if (!entry) return null;
    free.delete(entry);
    return entry.path;
  };
}

/** The page's messages as the transcript and `dossier.json` take them, oldest first. */
export function pageMessages(
  messages: readonly PageMessage[],
  entries: readonly MessagerieEntry[],
): TranscriptMessage<PageAttachment>[] {
  const find = entryFinder(entries);
  return messages.map((m) => ({
    email: m.author,
    body: asBody(m.body),
    createdAt: m.at,
    discardedAt: null,
    attachments: m.attachments.map((filename) => ({ filename, path: find(filename, m.at) })),
    correction: null,
  }));
}
