import { type Browser, browser } from 'wxt/browser';
import type { ArchiveSelection } from '@/lib/core/archive/selection';
import type { ArchiveJobRow, ArchivePartRow, SyncProblem } from '@/lib/core/db';
import { isStorageFull } from '@/lib/core/storage-full';
import type { PageReport } from '@/lib/ds/model';
import type { RouteKind, Statut } from '@/lib/ds/routes';
import type { ExportResult } from '@/lib/export/build-zip';
import type { PageFates } from '@/lib/view/page-fates';
import { now } from './clock';
import { t } from './i18n';
import { noteStorageFull } from './storage-full';

/**
 * Every message between contexts, with its request and response types. Content scripts reach the
 * database and the network-side logic only through these messages, and only kinds listed in
 * CONTENT_SCRIPT_KINDS are answered when they come from a DS page: a page can never ask for the
 * token or change settings.
 */
export interface MessageMap {
  ping: { request: Record<string, never>; response: { version: string; context: 'background' } };
  /** Stores an API token for an instance (options page); answers with the masked hint. */
  'save-token': { request: { origin: string; token: string }; response: { hint: string } };
  'forget-token': { request: { origin: string }; response: Record<string, never> };
  /** After the options page obtained the host permission: remember the instance, run on its pages. */
  'add-instance': { request: { origin: string }; response: { origin: string; name: string } };
  'remove-instance': { request: { origin: string }; response: Record<string, never> };
  /** Switches the watch of one démarche on or off (options page); the toolbar badge follows at once. */
  'set-watched': { request: { origin: string; number: number; watched: boolean }; response: Record<string, never> };
  /** Syncs every instance now (or one); each result tells how it went. */
  'sync-now': {
    request: { origin?: string };
    response: {
      results: {
        origin: string;
        mode: 'api' | 'session';
        requests: number;
        dossiers: number;
        problem: SyncProblem | null;
      }[];
    };
  };
  /** Which démarches a token can read (`token` omitted: the stored one), for the options page. */
  'test-token': {
    request: { origin: string; token?: string };
    response: { readable: { number: number; title: string }[]; unreadable: number[]; problem: SyncProblem | null };
  };
  /**
   * Which features of the content script turned themselves off on a DS page, because its markup is
   * not the one they read (DS changed its pages), and why; an empty list once a page is recognised.
   */
  'page-markup': { request: PageMarkup; response: Record<string, never> };
  /** What a DS page shows (token-less mode), read by the content script; answers how many dossiers were stored. */
  'page-report': { request: PageReport; response: { stored: number } };
  /**
   * What a DS page shows of Archiviste: the countdowns of these dossiers and the banners of these
   * démarches, of the sender's own instance, ready to display.
   */
  'page-fates': { request: { origin: string; dossiers: number[]; demarches: number[] }; response: PageFates };
  /**
   * Saves one dossier as a verified ZIP through the browser's downloads, and records it in the
   * ledger; answers what to tell the user (a French sentence), whether it was complete, the file name.
   */
  'export-dossier': {
    request: { origin: string; demarche: number; dossier: number };
    response: { text: string; complete: boolean; fileName: string };
  };
  /**
   * The export buttons' words, in the language chosen in the options (`row`: `{n}` is the dossier
   * number), with the archive menu's months (the previous and the current Paris month, named).
   */
  'page-texts': { request: Record<string, never>; response: PageTexts };
  /** Saves DS's own PDF of a dossier under a clear name (number, démarche, day). */
  'export-dossier-pdf': {
    request: { origin: string; demarche: number; dossier: number };
    response: { text: string; fileName: string };
  };
  /** Saves a whole tab of a démarche's list (every page) as a spreadsheet or a deletion schedule. */
  'export-list': {
    request: { origin: string; demarche: number; statut: Statut; format: 'csv' | 'pdf' };
    response: { text: string; fileName: string };
  };
  /**
   * Starts a bulk archive of what the user asked for (a démarche's threatened dossiers, a tab, a
   * month, a whole démarche, or every unsaved threatened dossier) and opens the export page on it.
   */
  'archive-start': { request: ArchiveSelection; response: { jobId: number; dossiers: number } };
  /** A bulk archive and how many of its dossiers no written part holds yet (export page). */
  'archive-job': { request: { id: number }; response: { job: ArchiveJobRow | null; remaining: number } };
  /** The latest bulk archives, newest first (export page, popup). */
  'archive-jobs': {
    request: Record<string, never>;
    response: {
      jobs: {
        id: number;
        title: string;
        createdAt: string;
        state: ArchiveJobRow['state'];
        total: number;
        remaining: number;
      }[];
    };
  };
  /** The export page started, paused, stopped a bulk archive, or chose its part size. */
  'archive-update': {
    request: { id: number; state?: ArchiveJobRow['state']; partSize?: number };
    response: { job: ArchiveJobRow | null };
  };
  /** A part of a bulk archive is on disk: record its dossiers in the ledger (export page). */
  'archive-part-written': {
    request: { id: number; part: Omit<ArchivePartRow, 'writtenAt'>; results: ExportResult[] };
    response: { job: ArchiveJobRow };
  };
}

export type PageTexts = Record<
  | 'zip'
  | 'dossier-pdf'
  | 'csv'
  | 'pdf'
  | 'busy'
  | 'failed'
  | 'row'
  | 'archive'
  | 'archive-tab'
  | 'archive-demarche'
  | 'archive-opened',
  string
> & {
  /** `YYYY-MM` and its name (« mai 2026 »): the months whose processed dossiers the menu offers. */
  archiveMonths: { month: string; label: string }[];
};

/** The content script's features, one file each (entrypoints/ds.content/features). */
export const PAGE_FEATURES = [
  'report-page',
  'countdown-badges',
  'demarche-banner',
  'procedures-summary',
  'export-buttons',
] as const;
export type PageFeatureId = (typeof PAGE_FEATURES)[number];

/** A DS page's features turned off, by page kind (`Route['kind']`), each with its reason in English. */
export interface PageMarkup {
  origin: string;
  route: RouteKind;
  features: { id: PageFeatureId; reason: string }[];
}

export type MessageKind = keyof MessageMap;
export type RequestOf<K extends MessageKind> = MessageMap[K]['request'];
export type ResponseOf<K extends MessageKind> = MessageMap[K]['response'];

/**
 * Who may send each kind: a DS page's content script (untrusted input: its payload is checked field by
 * field before any handler sees it, by the kind's check in lib/core/message-checks.ts), or only the
 * extension's own pages (refused from a web page). A new kind needs its decision here.
 */
export const MESSAGE_SENDERS = {
  ping: 'content-script',
  'page-report': 'content-script',
  // Which features the page turned off.
  'page-markup': 'content-script',
  'page-fates': 'content-script',
  'page-texts': 'content-script',
  // Saves the dossier or the list the page shows, of the page's own instance.
  'export-dossier': 'content-script',
  'export-dossier-pdf': 'content-script',
  'export-list': 'content-script',
  // Archives what the page's démarche shows, of the page's own instance (the popup: any instance).
  'archive-start': 'content-script',
  'save-token': 'extension-page',
  'forget-token': 'extension-page',
  'add-instance': 'extension-page',
  'remove-instance': 'extension-page',
  'set-watched': 'extension-page',
  'sync-now': 'extension-page',
  'test-token': 'extension-page',
  'archive-job': 'extension-page',
  'archive-jobs': 'extension-page',
  'archive-update': 'extension-page',
  'archive-part-written': 'extension-page',
} as const satisfies Record<MessageKind, 'content-script' | 'extension-page'>;

export type ContentScriptKind = {
  [K in MessageKind]: (typeof MESSAGE_SENDERS)[K] extends 'content-script' ? K : never;
}[MessageKind];

/** Kinds a content script (a DS page, hence untrusted input) may send. */
export const CONTENT_SCRIPT_KINDS: ReadonlySet<MessageKind> = new Set(
  (Object.keys(MESSAGE_SENDERS) as MessageKind[]).filter((kind) => MESSAGE_SENDERS[kind] === 'content-script'),
);

/** Where a message comes from, as far as its checks need to know. */
export interface MessageSource {
  /** The origin of the page that sent it (null when the browser gave no readable URL). */
  origin: string | null;
  /** One of the extension's own pages (popup, options, export page), not a DS page. */
  extensionPage: boolean;
}

/**
 * Each content-script kind's check: the payload when every field is well-formed and about the
 * sender's own instance, typed; null otherwise (the message is then refused, its handler not run).
 */
export type PayloadChecks = {
  [K in ContentScriptKind]: (payload: unknown, source: MessageSource) => RequestOf<K> | null;
};

/**
 * The one message the background sends to DS tabs: what their features show has changed (a page
 * read, a sync, a choice in the options); they ask again with `page-fates`.
 */
export const FATES_CHANGED = { archivisteEvent: 'fates-changed' } as const;

export function isFatesChanged(message: unknown): boolean {
  return (message as { archivisteEvent?: unknown } | undefined)?.archivisteEvent === FATES_CHANGED.archivisteEvent;
}

interface Envelope<K extends MessageKind = MessageKind> {
  archiviste: K;
  payload: RequestOf<K>;
}

type Reply<K extends MessageKind> = { ok: true; value: ResponseOf<K> } | { ok: false; error: string };

/** The background gave no answer: the browser stopped its worker meanwhile, or none listened. */
export class NoAnswerError extends Error {
  constructor(kind: MessageKind, cause?: unknown) {
    super(`No answer to ${kind}`, { cause });
    this.name = 'NoAnswerError';
  }
}

export async function sendMessage<K extends MessageKind>(kind: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  const envelope: Envelope<K> = { archiviste: kind, payload };
  let reply: Reply<K> | undefined;
  try {
    reply = (await browser.runtime.sendMessage(envelope)) as Reply<K> | undefined;
  } catch (error) {
    throw new NoAnswerError(kind, error);
  }
  if (!reply) throw new NoAnswerError(kind);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

export type Handlers = {
  [K in MessageKind]: (
    payload: RequestOf<K>,
    sender: Browser.runtime.MessageSender,
  ) => Promise<ResponseOf<K>> | ResponseOf<K>;
};

/** True when the sender is one of the extension's own pages (popup, options, export page). */
export function isExtensionPage(sender: Browser.runtime.MessageSender): boolean {
  const own = browser.runtime.getURL('/');
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(own);
}

/** The sender's origin, or null when its URL is missing or unreadable. */
function originOf(sender: Browser.runtime.MessageSender): string | null {
  try {
    return sender.url ? new URL(sender.url).origin : null;
  } catch {
    return null;
  }
}

/**
 * Routes one incoming message to its handler. Returns undefined for messages that are not ours, and
 * a refusal for privileged kinds sent by a content script, for a content-script kind whose payload
 * fails its check, and for a kind nobody decided who may send.
 */
export function handleMessage(
  handlers: Partial<Handlers>,
  checks: Partial<PayloadChecks>,
  message: unknown,
  sender: Browser.runtime.MessageSender,
): Promise<Reply<MessageKind>> | undefined {
  const envelope = message as Partial<Envelope> | undefined;
  const kind = envelope?.archiviste;
  if (typeof kind !== 'string' || !Object.hasOwn(handlers, kind)) return undefined;
  if (sender.id !== browser.runtime.id) return undefined;
  const refuse = (error: string) => Promise.resolve<Reply<MessageKind>>({ ok: false, error });
  const extensionPage = isExtensionPage(sender);
  let payload: unknown = envelope?.payload;
  if (CONTENT_SCRIPT_KINDS.has(kind)) {
    const check = Object.hasOwn(checks, kind) ? checks[kind as ContentScriptKind] : undefined;
    try {
      payload = check ? check(payload, { origin: originOf(sender), extensionPage }) : null;
    } catch {
      payload = null;
    }
    if (payload === null) return refuse(`Malformed ${kind} request`);
  } else if (!Object.hasOwn(MESSAGE_SENDERS, kind)) {
    // Fails closed: a kind added without deciding who may send it is answered to no one.
    return refuse(`${kind} has no decided sender`);
  } else if (!extensionPage) {
    return refuse(`${kind} is not allowed from a web page`);
  }
  const handler = handlers[kind] as (p: unknown, s: Browser.runtime.MessageSender) => unknown;
  return Promise.resolve()
    .then(() => handler(payload, sender))
    .then(
      (value) => ({ ok: true, value }) as Reply<MessageKind>,
      (error: unknown) => ({ ok: false, error: failureText(error) }),
    );
}

/**
 * What a failed handler answers. Any write the browser refused for lack of space, whichever message
 * asked for it, is said in French with its fix, and marked for the status line.
 */
function failureText(error: unknown): string {
  if (isStorageFull(error)) {
    void noteStorageFull(now());
    return `${t('problem_storage_full')} ${t('problem_storage_full_fix')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function listenForMessages(checks: PayloadChecks, handlers: Handlers): void {
  browser.runtime.onMessage.addListener((message: unknown, sender) => handleMessage(handlers, checks, message, sender));
}
