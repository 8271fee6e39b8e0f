/**
 * Just enough HTTP for the demo: a route table matched by regular expressions, request-body and
 * cookie parsing, and response helpers. Each route names its `kind`, which the metrics count and the
 * fault injector targets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SafeHtml } from '../pages/html';

export type RouteKind =
  | 'graphql'
  | 'page:sign-in'
  | 'page:procedures'
  | 'page:dossier-list'
  | 'page:dossier'
  | 'page:exports'
  | 'action'
  | 'download:pdf'
  | 'download:zip'
  | 'download:export'
  | 'download:api-pdf'
  | 'file'
  | 'admin'
  /** Static stylesheets, fonts and icons (the DSFR's; not counted in the metrics). */
  | 'asset'
  | 'other';

export interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  kind: RouteKind;
  /** The parsed body of a form POST (whose `_method` may have turned it into a PATCH or DELETE). */
  form: URLSearchParams | null;
}

export type Handler = (ctx: Context) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  kind: RouteKind;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: RegExp, kind: RouteKind, handler: Handler): this {
    this.routes.push({ method, pattern, kind, handler });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const match = route.pattern.exec(path);
      if (match) return { route, params: { ...match.groups } };
    }
    return null;
  }
}

export async function readBody(req: IncomingMessage, limit = 1 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) cookies[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return cookies;
}

export function sendHtml(res: ServerResponse, status: number, page: SafeHtml | string): void {
  const body = String(page);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location, 'content-type': 'text/html; charset=utf-8' });
  res.end(`<html><body>You are being <a href="${location.replace(/"/g, '&quot;')}">redirected</a>.</body></html>`);
}

/** `attachment; filename="…"; filename*=UTF-8''…`, as Rails' `send_data` writes it. */
export function contentDisposition(disposition: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Waits for room in the socket's buffer (or its end), leaving no listener behind for the next wait. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.once('drain', done).once('close', done);
  });
}

/**
 * Streams `chunks` as the response body and returns the bytes sent. With `truncateAt`, the
 * connection is cut after that many bytes, the way a dropped download looks to the client.
 */
export async function sendChunks(
  res: ServerResponse,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  truncateAt?: number,
): Promise<number> {
  let sent = 0;
  for await (const chunk of chunks) {
    if (res.destroyed) return sent;
    const piece =
      truncateAt !== undefined && sent + chunk.length > truncateAt ? chunk.subarray(0, truncateAt - sent) : chunk;
    sent += piece.length;
    if (!res.write(piece)) await drainedOrClosed(res);
    if (truncateAt !== undefined && sent >= truncateAt) {
      res.destroy();
      return sent;
    }
  }
  res.end();
  return sent;
}
