/**
 * Helpers for the demo instance's own tests: start an instance on free ports, call its API, browse
 * its pages with a cookie jar, read ZIP archives and PDF structure independently of the demo's writers.
 */
import { inflateRawSync } from 'node:zlib';
import { Window } from 'happy-dom';
import { type DemoInstance, type DemoOptions, startDemo } from '../../demo/instance';

/** A fixed "now" so dates, badges and day counts are reproducible. */
export const NOW = '2026-01-15T10:00:00+01:00';

export function start(options: DemoOptions = {}): Promise<DemoInstance> {
  return startDemo({ port: 0, now: NOW, exportDelayMs: 0, ...options });
}

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

export async function graphql<T = Record<string, unknown>>(
  demo: DemoInstance,
  request: { query?: string; queryId?: string; operationName?: string; variables?: Record<string, unknown> },
  token: string | null = demo.token,
): Promise<GraphqlResponse<T>> {
  const response = await fetch(`${demo.url}/api/v2/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text.startsWith('{') ? JSON.parse(text) : { errors: [{ message: text }] },
  };
}

/** A browser-like client: keeps cookies, does not follow redirects. */
export class Browser {
  private cookies = new Map<string, string>();

  constructor(private readonly demo: DemoInstance) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(`${this.demo.url}${path}`, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return response;
  }

  async page(path: string): Promise<Document> {
    const response = await this.request(path);
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    return parseHtml(await response.text());
  }

  /** Posts a form the way DS's `button_to` does (url-encoded, with the page's CSRF token). */
  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Signs in through DS's form, as a user would. */
  async signIn(email = this.demo.login.email, password = this.demo.login.password): Promise<Response> {
    const form = await this.page('/users/sign_in');
    const token = form.querySelector<HTMLInputElement>('#new_user input[name="authenticity_token"]')!.value;
    return this.post('/users/sign_in', { authenticity_token: token, 'user[email]': email, 'user[password]': password });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export function parseHtml(html: string): Document {
  const window = new Window();
  window.document.write(html);
  return window.document as unknown as Document;
}

export interface ZipFile {
  name: string;
  data: Buffer;
  crc: number;
  method: number;
}

/** Reads an archive through its central directory (independent of the demo's writer). */
export function readZip(archive: Buffer): ZipFile[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('No end of central directory');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`Bad central header at ${at}`);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (archive.readUInt32LE(offset) !== 0x04034b50) throw new Error(`Bad local header for ${name}`);
    const dataStart = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const raw = archive.subarray(dataStart, dataStart + size);
    files.push({ name, crc, method, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** Checks a PDF's skeleton: header, every xref offset pointing at its object, trailer and startxref. */
export function pdfProblems(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const problems: string[] = [];
  if (!text.startsWith('%PDF-1.')) problems.push('no %PDF header');
  if (!text.trimEnd().endsWith('%%EOF')) problems.push('no %%EOF');
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  if (!startxref) return [...problems, 'no startxref'];
  const xrefAt = Number(startxref[1]);
  if (!text.startsWith('xref', xrefAt)) return [...problems, `startxref ${xrefAt} does not point at xref`];
  const [, first, count] = /^xref\s+(\d+) (\d+)\s/.exec(text.slice(xrefAt)) ?? [];
  const entries = text.slice(xrefAt).match(/(\d{10}) (\d{5}) ([nf]) ?\r?\n/g) ?? [];
  if (Number(first) !== 0 || entries.length !== Number(count)) problems.push('xref table size');
  entries.forEach((entry, number) => {
    const [offset, , kind] = entry.trim().split(' ');
    if (kind === 'n' && !text.startsWith(`${number} 0 obj`, Number(offset)))
      problems.push(`object ${number} not at ${offset}`);
  });
  if (!/trailer\s*<<[^>]*\/Root 1 0 R/.test(text)) problems.push('no trailer /Root');
  return problems;
}

/** The text a PDF shows: its `<hex> Tj` strings, decoded as WinAnsi (Latin-1 for French letters). */
export function pdfText(pdf: Buffer): string {
  const strings = pdf.toString('latin1').match(/<([0-9a-f]+)> Tj/g) ?? [];
  return strings.map((s) => Buffer.from(s.slice(1, s.indexOf('>')), 'hex').toString('latin1')).join('\n');
}
