import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/core/db';
import { CONTENT_SCRIPT_CHECKS } from '@/lib/core/message-checks';
import { recordPageReport } from '@/lib/core/sync/record-page';
import type { PageReport } from '@/lib/ds/model';
import {
  CONTENT_SCRIPT_KINDS,
  type ContentScriptKind,
  handleMessage,
  MESSAGE_SENDERS,
  type MessageKind,
} from '@/lib/platform/messages';

/**
 * Every kind a content script may send, through the real background's listener (its real handlers,
 * fake-indexeddb behind them), against hostile payloads: each is refused with an error reply, and
 * neither the database nor the extension's storage changes, nor Object.prototype.
 */

const A = 'https://demarche.numerique.gouv.fr';
const B = 'https://demarches.adullact.org';
const dsPage = { id: fakeBrowser.runtime.id, url: `${A}/procedures/104532/tous`, tab: { id: 7 } as never };

/** A list page of instance A, as the page readers make it. */
const REPORT: PageReport = {
  origin: A,
  url: `${A}/procedures/104532/tous`,
  seenAt: '2026-01-15T09:00:00.000Z',
  demarches: [{ number: 104532, title: 'Subventions', retentionMonths: 12, counts: { tous: 3 } }],
  dossiers: [
    {
      number: 2345690,
      demarche: 104532,
      state: 'accepte',
      expiresAt: '2026-03-01T00:00:00.000Z',
      expirySource: 'column',
      label: 'Cercle d’Escrime',
      news: ['message'],
    },
  ],
  list: { demarche: 104532, statut: 'tous', page: 1, pageCount: 1 },
};

/** What the content script really sends, per kind, from a page of instance A. */
const VALID: Record<ContentScriptKind, Record<string, unknown>> = {
  ping: {},
  'page-texts': {},
  'page-report': REPORT as unknown as Record<string, unknown>,
  'page-markup': { origin: A, route: 'dossier-list', features: [{ id: 'demarche-banner', reason: 'no statut tabs' }] },
  'page-fates': { origin: A, dossiers: [2345690], demarches: [104532] },
  'export-dossier': { origin: A, demarche: 104532, dossier: 2345690 },
  'export-dossier-pdf': { origin: A, demarche: 104532, dossier: 2345690 },
  'export-list': { origin: A, demarche: 104532, statut: 'tous', format: 'csv' },
  'archive-start': { kind: 'demarche', origin: A, demarche: 104532 },
};
/** The optional fields, whose absence is no fault. */
const OPTIONAL: Partial<Record<ContentScriptKind, string[]>> = { 'page-report': ['list'] };

const MEGABYTE = 'x'.repeat(2 ** 20);
const MILLION = new Array(1_000_000).fill(104532);
const HOSTILE_VALUES: [string, unknown][] = [
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['negative', -1],
  ['fraction', 1.5],
  ['beyond safe integers', 2 ** 53],
  ['1 MB string', MEGABYTE],
  ['10^6-element array', MILLION],
];

/** A value of another type than the field's. */
function otherType(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return 42;
  if (typeof value === 'boolean') return String(value);
  return 'x';
}

const clone = <T>(value: T): T => structuredClone(value);
type Path = (string | number)[];

/** Every field's path, nested objects and the first element of arrays included. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.length ? [...pathsOf(value[0], [...path, 0])] : [];
  if (typeof value !== 'object' || value === null) return [path];
  return Object.entries(value).flatMap(([key, field]) => [[...path, key], ...pathsOf(field, [...path, key])]);
}

function withField(base: Record<string, unknown>, path: Path, value: unknown, remove = false) {
  const copy = clone(base);
  let node = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/** Containers (objects, arrays) of a payload, where a stray key can hide. */
function containersOf(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.length ? containersOf(value[0], [...path, 0]) : [];
  if (typeof value !== 'object' || value === null) return [];
  return [path, ...Object.entries(value).flatMap(([key, field]) => containersOf(field, [...path, key]))];
}

function withKey(base: Record<string, unknown>, path: Path, json: string) {
  // JSON.parse makes `__proto__` an own key, as a message through the browser would carry it.
  const extra = JSON.parse(json) as Record<string, unknown>;
  const copy = clone(base);
  const node = path.reduce<Record<string | number, unknown>>(
    (at, step) => at[step] as Record<string | number, unknown>,
    copy as Record<string | number, unknown>,
  );
  for (const [key, value] of Object.entries(extra)) Object.defineProperty(node, key, { value, enumerable: true });
  return copy;
}

/** Every hostile variant of a kind's valid payload, named. */
function hostilePayloads(kind: ContentScriptKind): [string, unknown][] {
  const base = VALID[kind];
  const cases: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'page-report'],
    ['a number', 42],
    ['an array', [base]],
  ];
  for (const path of pathsOf(base)) {
    const name = path.join('.');
    const current = path.reduce<unknown>((at, step) => (at as Record<string | number, unknown>)[step], base);
    cases.push([`${name}: another type`, withField(base, path, otherType(current))]);
    for (const [label, value] of HOSTILE_VALUES) cases.push([`${name}: ${label}`, withField(base, path, value)]);
  }
  for (const key of Object.keys(base).filter((k) => !OPTIONAL[kind]?.includes(k))) {
    cases.push([`${key} missing`, withField(base, [key], undefined, true)]);
  }
  for (const path of containersOf(base)) {
    const where = path.join('.') || 'top';
    cases.push([`${where}: an extra field`, withKey(base, path, '{"extra":1}')]);
    cases.push([`${where}: __proto__`, withKey(base, path, '{"__proto__":{"polluted":1}}')]);
    cases.push([`${where}: constructor`, withKey(base, path, '{"constructor":{"prototype":{"polluted":1}}}')]);
  }
  if ('origin' in base) {
    // A well-formed payload about another instance than the sender's page.
    const other = { ...clone(base), origin: B, ...('url' in base && { url: `${B}/procedures/104532/tous` }) };
    cases.push(['another instance', other]);
  }
  return cases;
}

type Listener = (message: unknown, sender: unknown) => Promise<unknown> | undefined;

/** The real background, started in the fake browser; its message listener. */
async function startBackground(): Promise<Listener> {
  const listen = vi.spyOn(browser.runtime.onMessage, 'addListener');
  const { default: background } = await import('@/entrypoints/background');
  background.main();
  const listener = listen.mock.calls.at(-1)?.[0] as unknown as Listener;
  listen.mockRestore();
  return listener;
}

async function snapshot() {
  const tables = await Promise.all(db.tables.map(async (table) => [table.name, await table.toArray()]));
  return {
    tables,
    local: await fakeBrowser.storage.local.get(null),
    session: await fakeBrowser.storage.session.get(null),
  };
}

describe('messages from a DS page’s content script', () => {
  let listener: Listener;
  beforeEach(async () => {
    await Promise.all(db.tables.map((table) => table.clear()));
    // Something to lose: an instance A already watched, its démarche and dossier.
    await recordPageReport({ ...REPORT, list: undefined });
    listener = await startBackground();
  });

  it('accepts what the content script really sends, of its own instance', () => {
    for (const kind of Object.keys(VALID) as ContentScriptKind[]) {
      expect(CONTENT_SCRIPT_CHECKS[kind](clone(VALID[kind]), { origin: A, extensionPage: false }), kind).not.toBeNull();
    }
  });

  it('writes when the payload is well-formed (the refusals below are the payloads’ doing)', async () => {
    const { list: _list, ...report } = { ...clone(REPORT), seenAt: '2026-01-16T09:00:00.000Z' };
    // The background tells the DS tabs their countdowns changed.
    vi.spyOn(browser.tabs, 'sendMessage').mockResolvedValue(undefined);
    await expect(listener({ archiviste: 'page-report', payload: report }, dsPage)).resolves.toEqual({
      ok: true,
      value: { stored: 1 },
    });
    expect((await db.dossiers.toArray())[0]?.lastSeenAt).toBe('2026-01-16T09:00:00.000Z');
  });

  for (const kind of Object.keys(VALID) as ContentScriptKind[]) {
    it(`refuses every hostile ${kind} payload, and nothing changes`, async () => {
      const before = await snapshot();
      const cases = hostilePayloads(kind);
      for (const [name, payload] of cases) {
        const reply = await listener({ archiviste: kind, payload }, dsPage);
        expect(reply, `${kind}, ${name}`).toEqual({ ok: false, error: `Malformed ${kind} request` });
      }
      expect(await snapshot()).toEqual(before);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      expect(cases.length).toBeGreaterThan(5);
    });
  }

  it('refuses a well-formed request from a page whose URL the browser did not give', async () => {
    for (const kind of ['page-fates', 'export-dossier', 'page-markup'] as const) {
      const reply = await listener({ archiviste: kind, payload: VALID[kind] }, { ...dsPage, url: undefined });
      expect(reply, kind).toEqual({ ok: false, error: `Malformed ${kind} request` });
    }
  });
});

describe('who may send each kind', () => {
  it('every content-script kind has its check, and no check is left without its kind', () => {
    const contentKinds = (Object.keys(MESSAGE_SENDERS) as MessageKind[]).filter((k) => CONTENT_SCRIPT_KINDS.has(k));
    expect(Object.keys(CONTENT_SCRIPT_CHECKS).sort()).toEqual(contentKinds.sort());
    for (const kind of contentKinds)
      expect(typeof CONTENT_SCRIPT_CHECKS[kind as ContentScriptKind], kind).toBe('function');
  });

  it('the background answers every kind, and refuses every other one from a DS page without touching anything', async () => {
    await recordPageReport({ ...REPORT, list: undefined });
    const listener = await startBackground();
    const before = await snapshot();
    for (const [kind, sender] of Object.entries(MESSAGE_SENDERS)) {
      const reply = await listener({ archiviste: kind, payload: { origin: A } }, dsPage);
      // Every kind is the background's: none is left unanswered.
      expect(reply, kind).toBeDefined();
      if (sender === 'extension-page') {
        expect(reply, kind).toEqual({ ok: false, error: `${kind} is not allowed from a web page` });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a kind nobody decided is refused to everyone, the extension’s own pages included', async () => {
    const popup = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };
    const handlers = { 'new-kind': () => ({}) } as never;
    for (const sender of [popup, dsPage]) {
      await expect(handleMessage(handlers, {}, { archiviste: 'new-kind', payload: {} }, sender)).resolves.toEqual({
        ok: false,
        error: 'new-kind has no decided sender',
      });
    }
  });

  it('a kind that is no string is not ours', () => {
    const handlers = { ping: () => ({}) } as never;
    expect(
      handleMessage(handlers, CONTENT_SCRIPT_CHECKS, { archiviste: ['ping'], payload: {} }, dsPage),
    ).toBeUndefined();
  });
});
