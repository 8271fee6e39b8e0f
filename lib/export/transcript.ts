import { DS_TIME_ZONE } from '@/lib/ds/rules';

/**
 * `messagerie.txt`: the dossier's messagerie as plain text, oldest first, in Paris time, readable
 * without any tool: date, author, body, and the attachments with their place in the ZIP.
 */

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: DS_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `12/01/2026 à 09:14`, Paris time. */
export function frenchDateTime(instant: string | Date): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return dateTime.format(date).replace(' ', ' à ');
}

const CORRECTION_REASONS: Record<string, string> = {
  incomplete: 'dossier incomplet',
  incorrect: 'dossier incorrect',
  outdated: 'pièce périmée',
};

/**
 * Message bodies as text: DS's bodies may carry simple HTML (links, line breaks); tags are turned
 * into line breaks or dropped, a few entities decoded, and control characters removed.
 */
export function plainBody(body: string): string {
  return withoutDisguise(
    body
      .replace(/\r\n?/g, '\n')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/p>\s*/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  ).trim();
}

/** Controls other than line breaks and tabs, and bidi overrides that could disguise the text, removed. */
const withoutDisguise = (text: string) => text.replace(/(?![\n\t])\p{Cc}|[\u202a-\u202e\u2066-\u2069]/gu, '');

/**
 * One message as the transcript takes it: the API's `Message` (an `ExportMessage`), or one read from
 * DS's page without a token (see page-messages.ts). `F` is what an attachment is to the caller.
 */
export interface TranscriptMessage<F extends { filename: string }> {
  /** Who wrote it: the API's e-mail, or the name DS's page shows. */
  email: string;
  /** DS's body: text that may carry simple HTML (see {@link plainBody}). */
  body: string;
  createdAt: string;
  discardedAt: string | null;
  attachments: readonly F[];
  correction: { reason: string; dateResolution: string | null } | null;
}

export interface TranscriptOptions<F extends { filename: string }> {
  dossier: number;
  messages: readonly TranscriptMessage<F>[];
  exportedAt: Date;
  /** ZIP path of an attachment (by the caller's object), when it is in the ZIP. */
  pathOf?: (file: F) => string | undefined;
}

/** The transcript's text (CRLF-free, UTF-8). */
export function messagerieTranscript<F extends { filename: string }>(options: TranscriptOptions<F>): string {
  const { dossier, exportedAt, pathOf } = options;
  const messages = [...options.messages].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const lines = [
    `Messagerie du dossier n° ${dossier}`,
    `Exportée par Archiviste le ${frenchDateTime(exportedAt)} (heure de Paris) — ${messages.length} message${messages.length > 1 ? 's' : ''}`,
    '',
  ];
  if (!messages.length) lines.push('Aucun message.', '');
  for (const message of messages) {
    lines.push(`----- ${frenchDateTime(message.createdAt)} — ${message.email} -----`);
    if (message.discardedAt) {
      lines.push(`(Message supprimé le ${frenchDateTime(message.discardedAt)})`);
    } else {
      lines.push(plainBody(message.body) || '(message sans texte)');
    }
    if (message.correction) {
      const reason = CORRECTION_REASONS[message.correction.reason] ?? message.correction.reason;
      const resolved = message.correction.dateResolution
        ? `corrigée le ${frenchDateTime(message.correction.dateResolution)}`
        : 'en attente';
      lines.push(`Demande de correction (${reason}) : ${resolved}`);
    }
    for (const file of message.attachments) {
      const path = pathOf?.(file);
      lines.push(`Pièce jointe : ${withoutDisguise(file.filename).trim()}${path ? ` → ${path}` : ' (absente du ZIP)'}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
