// @vitest-environment node
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { Window } from 'happy-dom';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readMessages } from '@/lib/ds/read-messages';
import { readPage } from '@/lib/ds/read-page';
import { dossierPrintUrl, dossierUrl, dossierZipUrl } from '@/lib/ds/routes';
import { exportDossierZipWithSession, sessionDossierEntries } from '@/lib/export/session-export';
import { type DemoInstance, startDemo } from '../../demo/instance';

/**
 * The dossier ZIP without a token, against the local DS instance: DS's own `telecharger_pjs` ZIP and
 * dossier PDF fetched with the session cookie, re-laid in Archiviste's ZIP with a computed inventory.
 */
const NOW = '2026-01-15T10:00:00+01:00';
let demo: DemoInstance;

const instantClock = { now: () => Date.now(), sleep: async () => {} };
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

/** A fetch that sends the demo session's cookie, as the browser would with `credentials: 'include'`. */
function withSession(cookie: string | null, urls: string[] = []): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    if (cookie) headers.set('cookie', cookie);
    urls.push(String(input));
    return fetch(input, { ...init, headers });
  };
}

const parse = (html: string, url: string) => {
  const window = new Window({ url });
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
};

async function unzip(stream: ReadableStream<Uint8Array>): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(await new Response(stream).arrayBuffer()));
}

function inventoryRows(bytes: Uint8Array): Record<string, string>[] {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<Record<string, string>>(text.slice(1), { delimiter: ';', header: true, skipEmptyLines: true }).data;
}

/** DS's own ZIP for a dossier, and a dossier whose ZIP has several folders. */
async function dsZip(demarche: number, number: number): Promise<Record<string, Uint8Array>> {
  const response = await withSession(demo.admin.sessionCookie())(dossierZipUrl(demo.url, demarche, number));
  expect(response.status).toBe(200);
  return unzipSync(new Uint8Array(await response.arrayBuffer()), { filter: (f) => !f.name.endsWith('/') });
}

/** A dossier's export through the DS session (signed in by default), at the test's fixed instant. */
const sessionRequest = (demarche: number, number: number, fetch = withSession(demo.admin.sessionCookie())) => ({
  origin: demo.url,
  demarche,
  dossier: number,
  fetch,
  parse,
  clock: instantClock,
});

/** Archiviste's ZIP of a dossier made through the DS session. */
const exportOf = (demarche: number, number: number, fetch?: typeof globalThis.fetch) =>
  exportDossierZipWithSession(sessionRequest(demarche, number, fetch));

async function richDossier(): Promise<{ demarche: number; number: number; ds: Record<string, Uint8Array> }> {
  let best: { demarche: number; number: number; ds: Record<string, Uint8Array> } | null = null;
  for (const d of demo.admin.dossiers().filter((x) => x.visible)) {
    const ds = await dsZip(d.demarche, d.number);
    if (!best || Object.keys(ds).length > Object.keys(best.ds).length) best = { ...d, ds };
    if (Object.keys(ds).length >= 5) break;
  }
  return best!;
}

describe('dossier ZIP with the session’s cookies, against the demo instance', () => {
  beforeEach(async () => {
    demo = await startDemo({ port: 0, now: NOW, dossiers: 30, attachmentKb: 64 });
  });
  afterEach(async () => {
    await demo.close();
  });

  it('holds every file of DS’s own ZIP with the same bytes, the PDF, dossier.json and a computed inventory', async () => {
    const { demarche, number, ds } = await richDossier();
    const dsNames = Object.keys(ds);
    expect(dsNames.length).toBeGreaterThanOrEqual(3);
    const summary = demo.admin.dossier(number)!;

    const urls: string[] = [];
    const zip = await exportOf(demarche, number, withSession(demo.admin.sessionCookie(), urls));
    expect(zip.name).toBe(`dossier-${number}.zip`);
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    expect(result.summary).toBe('complet');
    // DS's ZIP brought the PDF: no separate `.pdf` request; then the dossier page, for dossier.json,
    // and its print page for the messagerie (never the « Messagerie » tab, which marks it read).
    expect(urls.filter((u) => u.endsWith('.pdf'))).toEqual([]);
    expect(urls.filter((u) => u.endsWith('/telecharger_pjs'))).toHaveLength(1);
    expect(urls.filter((u) => u.endsWith('/print'))).toHaveLength(1);
    expect(urls.filter((u) => u.endsWith('/messagerie'))).toEqual([]);

    const root = `dossier-${number}/`;
    const names = Object.keys(entries);
    expect(names.every((n) => n.startsWith(root))).toBe(true);
    // Same paths as DS's (they are already safe) and the same bytes.
    for (const dsName of dsNames) {
      expect(entries[dsName], dsName).toBeDefined();
      expect(md5(entries[dsName]!)).toBe(md5(ds[dsName]!));
    }
    const own = [`${root}dossier.json`, `${root}messagerie.txt`];
    expect(names.sort()).toEqual([...dsNames, ...own, `${root}inventaire.csv`].sort());
    const pdf = names.filter((n) => new RegExp(`^${root}export-${number}-[\\d-]+\\.pdf$`).test(n));
    expect(pdf).toHaveLength(1);
    expect(new TextDecoder().decode(entries[pdf[0]!]!.subarray(0, 5))).toBe('%PDF-');

    const rows = inventoryRows(entries[`${root}inventaire.csv`]!);
    expect(rows.map((r) => r.Chemin).sort()).toEqual([...dsNames, ...own].sort());
    for (const row of rows) {
      const sum = md5(entries[row.Chemin!]!);
      expect(row['MD5 (base64)']).toBe(sum.startsWith('+') ? `'${sum}` : sum);
      expect(Number(row['Taille (octets)'])).toBe(entries[row.Chemin!]!.byteLength);
      expect(row.Statut).toBe('calculé');
      expect(row.Source).toBe(own.includes(row.Chemin!) ? 'Archiviste' : 'archive DS');
    }

    const json = JSON.parse(new TextDecoder().decode(entries[`${root}dossier.json`]!));
    expect(json).toMatchObject({
      formatVersion: 1,
      source: 'session',
      number,
      demarche: { number: demarche },
      state: summary.state,
      origin: demo.url,
    });
    expect(typeof json.demandeur).toBe('string');
    expect(json.files).toHaveLength(dsNames.length + 1);
  });

  it('takes what the caller knows instead of reading the page', async () => {
    const { demarche, number } = await richDossier();
    const urls: string[] = [];
    const zip = await exportDossierZipWithSession({
      origin: demo.url,
      demarche,
      dossier: number,
      fetch: withSession(demo.admin.sessionCookie(), urls),
      state: 'accepte',
      demandeur: 'Jeanne Martin',
      parse,
    });
    const entries = await unzip(zip.stream);
    // DS's ZIP, and the print page for the messagerie: no dossier page.
    expect(urls.map((u) => new URL(u).pathname.split('/').at(-1))).toEqual(['telecharger_pjs', 'print']);
    const json = JSON.parse(new TextDecoder().decode(entries[`dossier-${number}/dossier.json`]!));
    expect(json).toMatchObject({ state: 'accepte', demandeur: 'Jeanne Martin' });
  });

  it('falls back on the dossier PDF when DS’s ZIP fails, and lists the ZIP as missing', async () => {
    const { demarche, number } = await richDossier();
    // Three 500s on the ZIP (every try), then the PDF comes.
    demo.faults.set({ serverError: { target: 'downloads', count: 3 } });
    const zip = await exportOf(demarche, number);
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(false);
    expect(result.summary).toBe('incomplet (1 fichier)');
    expect(result.missing.map((m) => [m.path, m.source, m.reasonText])).toEqual([
      [`dossier-${number}.zip`, 'archive DS', 'erreur HTTP 500'],
    ]);
    const root = `dossier-${number}/`;
    const pdf = Object.keys(entries).filter((n) => n.startsWith(`${root}export-${number}-`));
    expect(pdf).toHaveLength(1);
    expect(new TextDecoder().decode(entries[pdf[0]!]!.subarray(0, 5))).toBe('%PDF-');
    const rows = inventoryRows(entries[`${root}inventaire.csv`]!);
    expect(rows.map((r) => [r.Chemin, r.Source, r.Statut, r.Raison])).toEqual([
      [`dossier-${number}.zip`, 'archive DS', 'manquant', 'erreur HTTP 500'],
      [pdf[0], 'page DS', 'calculé', ''],
      [`${root}messagerie.txt`, 'Archiviste', 'calculé', ''],
      [`${root}dossier.json`, 'Archiviste', 'calculé', ''],
    ]);
  });

  it('still writes the ZIP when DS serves nothing: the inventory says what is missing', async () => {
    const { demarche, number } = await richDossier();
    demo.faults.set({ serverError: { target: 'downloads' } });
    const zip = await exportDossierZipWithSession({
      ...sessionRequest(demarche, number),
      updatedAt: '2026-01-10T09:30:00+01:00',
    });
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.missing.map((m) => m.reasonText)).toEqual(['erreur HTTP 500', 'erreur HTTP 500']);
    // Three tries of the ZIP and of the PDF, then the dossier page and the print page.
    expect(result.fileRequests).toBe(8);
    const root = `dossier-${number}/`;
    expect(Object.keys(entries).sort()).toEqual([
      `${root}dossier.json`,
      `${root}inventaire.csv`,
      `${root}messagerie.txt`,
    ]);
    const rows = inventoryRows(entries[`${root}inventaire.csv`]!);
    expect(rows.filter((r) => r.Statut === 'manquant').map((r) => r.Chemin)).toEqual([
      `dossier-${number}.zip`,
      `${root}export-${number}-10-01-2026-09-30-${number % 10000}.pdf`,
    ]);
  });

  it('asks again for a ZIP cut in the middle', async () => {
    const { demarche, number, ds } = await richDossier();
    demo.faults.set({ truncate: { target: 'downloads', count: 1 } });
    const zip = await exportOf(demarche, number);
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    // The ZIP twice, then the dossier page and the print page.
    expect(result.fileRequests).toBe(4);
    for (const name of Object.keys(ds)) expect(md5(entries[name]!)).toBe(md5(ds[name]!));
  });

  it('says logged-out when DS answers with its sign-in page', async () => {
    const { demarche, number } = await richDossier();
    await expect(
      exportDossierZipWithSession({ origin: demo.url, demarche, dossier: number, fetch: withSession(null), parse }),
    ).rejects.toMatchObject({ code: 'logged-out' });
  });

  it('says logged-out when the session ends mid-export, rather than a ZIP missing what it no longer reached', async () => {
    const { demarche, number } = await richDossier();
    // DS's ZIP comes; the session ends at the next page (a sign-out in another tab, DS's timeout).
    demo.faults.set({ signedOut: { afterRequests: 0 } });
    await expect(exportOf(demarche, number)).rejects.toMatchObject({ code: 'logged-out' });
  });

  it('refuses a dossier page whose markup it does not know, for its own ZIP and for a bulk part; DS’s back, it is made', async () => {
    const { demarche, number } = await richDossier();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const request = sessionRequest(demarche, number);
    try {
      // A DSFR upgrade renamed the header's badge group: the dossier's state would be read as none.
      demo.markup.set('renamed-classes');
      const refused = { code: 'page-unrecognized', detail: 'state badge not found' };
      await expect(exportDossierZipWithSession(request)).rejects.toMatchObject(refused);
      await expect(sessionDossierEntries(request)).rejects.toMatchObject(refused);
      expect(warn.mock.calls).toEqual(
        Array(2).fill([
          `Archiviste: the export of dossier ${number} stopped: DS page not recognised (state badge not found)`,
        ]),
      );

      demo.markup.set(null);
      const zip = await exportDossierZipWithSession(request);
      const json = JSON.parse(new TextDecoder().decode((await unzip(zip.stream))[`dossier-${number}/dossier.json`]!));
      expect(json.state).toBe(demo.admin.dossier(number)!.state);
      expect((await zip.result).complete).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  describe('the messagerie, from the print page', () => {
    /** A message from the usager, with a file, sent on 16 January at 09:31 Paris time. */
    async function withNewMessage() {
      const target = await richDossier();
      demo.clock.set('2026-01-16T09:31:20+01:00');
      demo.admin.postMessage(target.number, {
        body: 'Bonjour,\n\nvoici le <budget> signé & daté.',
        attachment: { filename: 'budget-signe.pdf' },
      });
      return target;
    }

    it('writes messagerie.txt in the words of the API mode, each file with its place in DS’s ZIP, and dossier.json’s messages', async () => {
      const { demarche, number } = await withNewMessage();
      const zip = await exportOf(demarche, number);
      const entries = await unzip(zip.stream);
      expect((await zip.result).complete).toBe(true);
      const root = `dossier-${number}/`;
      const text = new TextDecoder().decode(entries[`${root}messagerie.txt`]!);
      const count = (await readMessagesOf(demarche, number)).length;
      expect(text.split('\n').slice(0, 2)).toEqual([
        `Messagerie du dossier n° ${number}`,
        expect.stringMatching(new RegExp(`^Exportée par Archiviste le .+ \\(heure de Paris\\) — ${count} messages?$`)),
      ]);
      const file = Object.keys(entries).find((n) => /\/messagerie\/budget-signe-16-01-2026-09-31-\d+\.pdf$/.test(n));
      expect(file).toBeDefined();
      // The newest message, last, as DS shows it: the minute, the demandeur, the text as typed.
      expect(text).toMatch(
        new RegExp(
          `----- 16/01/2026 à 09:31 — [^\\n]+ -----\\nBonjour,\\n\\nvoici le <budget> signé & daté\\.\\nPièce jointe : budget-signe\\.pdf → ${file!.replaceAll('.', '\\.')}\\n$`,
        ),
      );
      const json = JSON.parse(new TextDecoder().decode(entries[`${root}dossier.json`]!));
      expect(json.messages).toHaveLength(count);
      expect(json.messages.at(-1)).toEqual({
        author: expect.any(String),
        createdAt: '2026-01-16T08:31:00.000Z',
        body: 'Bonjour,\n\nvoici le <budget> signé & daté.',
        attachments: [{ filename: 'budget-signe.pdf', path: file }],
      });
      expect(json.files).toContainEqual(
        expect.objectContaining({ path: `${root}messagerie.txt`, source: 'Archiviste' }),
      );
    });

    it('lists messagerie.txt as missing, with DS’s answer, when the print page fails; the rest is saved', async () => {
      const { demarche, number } = await withNewMessage();
      // DS's ZIP since the message: its PDF is stamped with the dossier's new last change.
      const ds = await dsZip(demarche, number);
      demo.faults.set({ serverError: { target: 'pages' } });
      const zip = await exportOf(demarche, number);
      const entries = await unzip(zip.stream);
      const result = await zip.result;
      const root = `dossier-${number}/`;
      expect(result.complete).toBe(false);
      expect(result.missing.map((m) => [m.path, m.source, m.reasonText])).toEqual([
        [`${root}messagerie.txt`, 'page DS', 'erreur HTTP 500'],
      ]);
      for (const name of Object.keys(ds)) expect(md5(entries[name]!)).toBe(md5(ds[name]!));
      expect(entries[`${root}messagerie.txt`]).toBeUndefined();
      const json = JSON.parse(new TextDecoder().decode(entries[`${root}dossier.json`]!));
      expect(json.messages).toBeNull();
      const rows = inventoryRows(entries[`${root}inventaire.csv`]!);
      expect(rows.find((r) => r.Chemin === `${root}messagerie.txt`)).toMatchObject({
        Statut: 'manquant',
        Raison: 'erreur HTTP 500',
      });
    });

    it('says so when the print page comes but cannot be read: DS changed its markup', async () => {
      const { demarche, number } = await withNewMessage();
      const session = withSession(demo.admin.sessionCookie());
      const changed: typeof fetch = async (input, init) => {
        const response = await session(input, init);
        if (!String(input).endsWith('/print')) return response;
        const html = (await response.text()).replaceAll('Le 16/01/2026', 'le 16 janvier 2026');
        return new Response(html, { status: 200, headers: response.headers });
      };
      const zip = await exportOf(demarche, number, changed);
      await unzip(zip.stream);
      expect((await zip.result).missing.map((m) => m.reasonText)).toEqual([
        'page « Imprimer » du dossier illisible (DS a changé sa page ?)',
      ]);
    });
  });

  /** The messages of a dossier, read on its print page with the session. */
  async function readMessagesOf(demarche: number, number: number) {
    const url = dossierPrintUrl(demo.url, demarche, number);
    const html = await (await withSession(demo.admin.sessionCookie())(url)).text();
    return readMessages(parse(html, url)) ?? [];
  }

  it('reads the same messages on the demo’s « Messagerie » tab and print page, the newest in both reports', async () => {
    const { demarche, number } = await richDossier();
    demo.clock.set('2026-01-16T09:31:20+01:00');
    demo.admin.postMessage(number, { body: 'Une dernière question.', attachment: { filename: 'question.pdf' } });
    const fetchPage = async (url: string) =>
      parse(await (await withSession(demo.admin.sessionCookie())(url)).text(), url);
    const tabUrl = `${dossierUrl(demo.url, demarche, number)}/messagerie`;
    const printUrl = dossierPrintUrl(demo.url, demarche, number);
    const [tab, print] = [await fetchPage(tabUrl), await fetchPage(printUrl)];
    const messages = readMessages(tab);
    expect(messages).toEqual(readMessages(print));
    expect(messages?.at(-1)).toMatchObject({
      at: '2026-01-16T08:31:00.000Z',
      body: 'Une dernière question.',
      attachments: ['question.pdf'],
    });
    const now = demo.clock.now();
    expect(readPage(tab, tabUrl, now)?.dossiers[0]?.lastMessageAt).toBe('2026-01-16T08:31:00.000Z');
    expect(readPage(print, printUrl, now)?.dossiers).toEqual([
      { number, demarche, lastMessageAt: '2026-01-16T08:31:00.000Z' },
    ]);
  });
});
