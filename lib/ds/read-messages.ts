import { cleanText, multilineText, ownText, parseDsShortDateTime } from '@/lib/ds/page-text';
import { messageAttachments, messageAuthor, messageBody, messageDate, messages } from '@/lib/ds/selectors';

/**
 * A dossier's messagerie as DS shows it to an instructeur (`Dossiers::MessageComponent`), on its
 * « Messagerie » tab and on its print page. Every text is untrusted: it is kept as text, never as markup.
 */

export interface PageMessage {
  /** Who wrote it, as DS names them: « [Vous] camille.lefebvre », the demandeur, « Email automatique ». */
  author: string;
  /** ISO instant of the minute DS shows (it shows no seconds), Paris time read. */
  at: string;
  /** The text, paragraphs and line breaks kept; « (Message supprimé) » for a deleted one. */
  body: string;
  /** The attachments' file names. */
  attachments: string[];
}

/** An attachment's name: the link's `download` attribute, else its own text (without DS's hidden words). */
function attachmentName(element: Element): string {
  return (element.getAttribute('download') ?? '').trim() || ownText(element) || cleanText(element);
}

/**
 * Every message of the page, oldest first as DS lists them; `[]` when there are none, null when a
 * message cannot be read (no author or no date as DS writes them): DS changed its markup, and a
 * messagerie read in part must not pass for the whole of it.
 */
export function readMessages(doc: Document): PageMessage[] | null {
  const read: PageMessage[] = [];
  for (const message of doc.querySelectorAll(messages)) {
    const author = cleanText(message.querySelector(messageAuthor));
    const at = parseDsShortDateTime(cleanText(message.querySelector(messageDate)));
    const body = message.querySelector(messageBody);
    if (!author || !at) return null;
    read.push({
      author,
      at: at.toISOString(),
      body: body ? multilineText(body) : '',
      attachments: [...message.querySelectorAll(messageAttachments)].map(attachmentName).filter(Boolean),
    });
  }
  return read;
}

/** The newest message's minute, ISO; undefined when there is none (or the messagerie is unreadable). */
export function newestMessageAt(list: readonly PageMessage[] | null): string | undefined {
  if (!list?.length) return undefined;
  return list.reduce((newest, m) => (Date.parse(m.at) > Date.parse(newest) ? m.at : newest), list[0]!.at);
}
