/**
 * Messages posted on dossiers through the admin endpoint, as their usager would post them on DS
 * (`Users::DossiersController#create_commentaire`). The generator makes a dossier's content anew at
 * every request; what was posted is kept here and comes after it, attachments included.
 */
import { type ByteSource, pdfDocument } from '../files/pdf';
import { frenchDateTime } from '../time';
import type { MessageRecord, StoredFile } from './content';
import { activeStorageFilename } from './hostile';
import { type Dossier, ownerName } from './model';

/** `Commentaire::FILE_MAX_SIZE`: DS refuses larger attachments. */
export const MAX_ATTACHMENT_KB = 20 * 1024;
/** Far above the generated ones (`number × 8 + i`, `number × 16 + i`), so ids never meet. */
const FIRST_ID = 900_000_000;
const ZEROS = new Uint8Array(64 * 1024);

function* zeros(length: number): Iterable<Uint8Array> {
  for (let left = length; left > 0; left -= ZEROS.length) yield ZEROS.subarray(0, Math.min(left, ZEROS.length));
}

/** What a posted attachment is: a real PDF naming its message, padded to `kb` KiB when asked. */
function attachmentBytes(dossier: Dossier, filename: string, at: Date, kb: number | undefined): ByteSource {
  return pdfDocument(
    [
      { text: filename, size: 16, bold: true },
      { text: `Dossier n° ${dossier.number} – ${ownerName(dossier.demandeur)}`, gap: 8 },
      { text: `Pièce jointe d’un message de l’usager, envoyé le ${frenchDateTime(at)}` },
      { text: 'Document fictif généré par l’instance de démonstration d’Archiviste.', gap: 12 },
    ],
    { title: filename, ...(kb !== undefined && { padTo: kb * 1024, filler: zeros }) },
  );
}

export class PostedMessages {
  private readonly byDossier = new Map<number, MessageRecord[]>();
  private readonly owners = new Map<string, number>();
  private nextId = FIRST_ID;

  /** The dossier's posted messages, oldest first. */
  of(dossier: number): readonly MessageRecord[] {
    return this.byDossier.get(dossier) ?? [];
  }

  /** Which dossier a posted attachment's blob key belongs to. */
  ownerOf(key: string): number | undefined {
    return this.owners.get(key);
  }

  /** Appends the usager's message, with its attachment if any, sent at `at`. */
  post(
    dossier: Dossier,
    at: Date,
    message: { body: string; attachment?: { filename: string; kb?: number } },
  ): MessageRecord {
    const id = this.nextId++;
    const attachments: StoredFile[] = [];
    if (message.attachment) {
      const { kb } = message.attachment;
      const filename = activeStorageFilename(message.attachment.filename);
      const file: StoredFile = {
        // As long as ActiveStorage's keys, and unique: the id is.
        key: `message${id}`.padEnd(28, '0'),
        id,
        owner: dossier.number,
        filename,
        contentType: filename.toLowerCase().endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream',
        createdAt: at,
        folder: 'messagerie',
        source: attachmentBytes(dossier, filename, at, kb),
      };
      this.owners.set(file.key, dossier.number);
      attachments.push(file);
    }
    const record: MessageRecord = { id, email: dossier.usagerEmail, body: message.body, createdAt: at, attachments };
    this.byDossier.set(dossier.number, [...this.of(dossier.number), record]);
    return record;
  }
}
