/**
 * The services one demo instance is made of, shared by its page, API, file and admin handlers.
 */
import { createHash } from 'node:crypto';
import type { RateLimiter } from './api/rate-limit';
import type { TokenRegistry } from './api/tokens';
import type { DemoClock } from './clock';
import type { ContentGenerator, DossierContent, StoredFile } from './data/content';
import { PostedMessages } from './data/messages';
import type { Demarche, Dossier } from './data/model';
import type { DemoStore } from './data/store';
import type { Exports } from './files/exports';
import type { Signer } from './files/signing';
import type { Faults } from './http/faults';
import type { Metrics } from './http/metrics';
import type { Sessions } from './http/session';
import { Markup } from './pages/markup';

export interface Account {
  email: string;
  password: string;
  /** Colleagues of the same groupe instructeur (followers of some dossiers). */
  colleagues: readonly string[];
}

export class DemoApp {
  /** Base64 MD5 of files, computed once (streaming the generator) and kept. */
  private readonly checksums = new Map<string, string>();
  /** Messages posted through the admin endpoint, after each dossier's generated ones. */
  readonly postedMessages = new PostedMessages();
  /** DS's own markup, or a variant of its list and dossier pages (`/__demo/markup`). */
  readonly markup = new Markup();
  /** Set once the servers listen. */
  origin = '';
  filesOrigin = '';

  constructor(
    readonly store: DemoStore,
    readonly clock: DemoClock,
    readonly content: ContentGenerator,
    readonly account: Account,
    readonly sessions: Sessions,
    readonly signer: Signer,
    readonly tokens: TokenRegistry,
    readonly rateLimiter: RateLimiter,
    readonly exports: Exports,
    readonly faults: Faults,
    readonly metrics: Metrics,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  demarcheOf(dossier: Dossier): Demarche {
    return this.store.demarcheOrThrow(dossier.demarche);
  }

  /**
   * What is inside a dossier: its generated content, then the messages posted on it, whose files
   * come right after the other messages' (DS lists champs, annotations, messages, motivation,
   * attestation, avis).
   */
  contentOf(dossier: Dossier): DossierContent {
    const content = this.content.contentOf(dossier, this.demarcheOf(dossier));
    const posted = this.postedMessages.of(dossier.number);
    if (posted.length === 0) return content;
    const after = [
      ...(content.motivationAttachment ? [content.motivationAttachment] : []),
      ...(content.attestation ? [content.attestation] : []),
      ...content.avis.flatMap((a) => a.attachments),
    ].length;
    const split = content.files.length - after;
    return {
      ...content,
      messages: [...content.messages, ...posted],
      files: [...content.files.slice(0, split), ...posted.flatMap((m) => m.attachments), ...content.files.slice(split)],
    };
  }

  /** The stored file a blob key points at, if its dossier still exists. */
  findFile(key: string): { dossier: Dossier; file: StoredFile } | null {
    const owner = this.content.ownerOf(key) ?? this.postedMessages.ownerOf(key);
    const dossier = owner === undefined ? undefined : this.store.dossier(owner);
    const file = dossier && this.contentOf(dossier).files.find((f) => f.key === key);
    return dossier && file ? { dossier, file } : null;
  }

  /** ActiveStorage's `checksum`: the base64 MD5 of the bytes. */
  checksum(file: StoredFile): string {
    let checksum = this.checksums.get(file.key);
    if (checksum === undefined) {
      const md5 = createHash('md5');
      for (const chunk of file.source.chunks()) md5.update(chunk);
      checksum = md5.digest('base64');
      this.checksums.set(file.key, checksum);
    }
    return checksum;
  }

  /** A signed storage URL for a file, valid one hour. */
  fileUrl(key: string, filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
    return this.signer.fileUrl(this.filesOrigin, key, filename, disposition);
  }
}
