// @vitest-environment node
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { Window } from 'happy-dom';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dossierZipUrl } from '@/lib/ds/routes';
import { exportDossierZipWithSession } from '@/lib/export/session-export';
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
    const zip = await exportDossierZipWithSession({
      origin: demo.url,
      demarche,
      dossier: number,
      fetch: withSession(demo.admin.sessionCookie(), urls),
      parse,
      clock: instantClock,
    });
    expect(zip.name).toBe(`dossier-${number}.zip`);
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    expect(result.summary).toBe('complet');
    // DS's ZIP brought the PDF: no separate `.pdf` request; then the dossier page, for dossier.json.
    expect(urls.filter((u) => u.endsWith('.pdf'))).toEqual([]);
    expect(urls.filter((u) => u.endsWith('/telecharger_pjs'))).toHaveLength(1);

    const root = `dossier-${number}/`;
    const names = Object.keys(entries);
    expect(names.every((n) => n.startsWith(root))).toBe(true);
    // Same paths as DS's (they are already safe) and the same bytes.
    for (const dsName of dsNames) {
      expect(entries[dsName], dsName).toBeDefined();
      expect(md5(entries[dsName]!)).toBe(md5(ds[dsName]!));
    }
    expect(names.sort()).toEqual([...dsNames, `${root}dossier.json`, `${root}inventaire.csv`].sort());
    const pdf = names.filter((n) => new RegExp(`^${root}export-${number}-[\\d-]+\\.pdf$`).test(n));
    expect(pdf).toHaveLength(1);
    expect(new TextDecoder().decode(entries[pdf[0]!]!.subarray(0, 5))).toBe('%PDF-');

    const rows = inventoryRows(entries[`${root}inventaire.csv`]!);
    expect(rows.map((r) => r.Chemin).sort()).toEqual([...dsNames, `${root}dossier.json`].sort());
    for (const row of rows) {
      const sum = md5(entries[row.Chemin!]!);
      expect(row['MD5 (base64)']).toBe(sum.startsWith('+') ? `'${sum}` : sum);
      expect(Number(row['Taille (octets)'])).toBe(entries[row.Chemin!]!.byteLength);
      expect(row.Statut).toBe('calculé');
      expect(row.Source).toBe(row.Chemin!.endsWith('dossier.json') ? 'Archiviste' : 'archive DS');
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
    expect(json.files).toHaveLength(dsNames.length);
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
    expect(urls).toHaveLength(1);
    const json = JSON.parse(new TextDecoder().decode(entries[`dossier-${number}/dossier.json`]!));
    expect(json).toMatchObject({ state: 'accepte', demandeur: 'Jeanne Martin' });
  });

  it('falls back on the dossier PDF when DS’s ZIP fails, and lists the ZIP as missing', async () => {
    const { demarche, number } = await richDossier();
    // Three 500s on the ZIP (every try), then the PDF comes.
    demo.faults.set({ serverError: { target: 'downloads', count: 3 } });
    const zip = await exportDossierZipWithSession({
      origin: demo.url,
      demarche,
      dossier: number,
      fetch: withSession(demo.admin.sessionCookie()),
      clock: instantClock,
    });
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
      [`${root}dossier.json`, 'Archiviste', 'calculé', ''],
    ]);
  });

  it('still writes the ZIP when DS serves nothing: the inventory says what is missing', async () => {
    const { demarche, number } = await richDossier();
    demo.faults.set({ serverError: { target: 'downloads' } });
    const zip = await exportDossierZipWithSession({
      origin: demo.url,
      demarche,
      dossier: number,
      fetch: withSession(demo.admin.sessionCookie()),
      clock: instantClock,
      updatedAt: '2026-01-10T09:30:00+01:00',
    });
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.missing.map((m) => m.reasonText)).toEqual(['erreur HTTP 500', 'erreur HTTP 500']);
    expect(result.fileRequests).toBe(6);
    const root = `dossier-${number}/`;
    expect(Object.keys(entries).sort()).toEqual([`${root}dossier.json`, `${root}inventaire.csv`]);
    const rows = inventoryRows(entries[`${root}inventaire.csv`]!);
    expect(rows.filter((r) => r.Statut === 'manquant').map((r) => r.Chemin)).toEqual([
      `dossier-${number}.zip`,
      `${root}export-${number}-10-01-2026-09-30-${number % 10000}.pdf`,
    ]);
  });

  it('asks again for a ZIP cut in the middle', async () => {
    const { demarche, number, ds } = await richDossier();
    demo.faults.set({ truncate: { target: 'downloads', count: 1 } });
    const zip = await exportDossierZipWithSession({
      origin: demo.url,
      demarche,
      dossier: number,
      fetch: withSession(demo.admin.sessionCookie()),
      clock: instantClock,
    });
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    expect(result.fileRequests).toBe(2);
    for (const name of Object.keys(ds)) expect(md5(entries[name]!)).toBe(md5(ds[name]!));
  });

  it('says logged-out when DS answers with its sign-in page', async () => {
    const { demarche, number } = await richDossier();
    await expect(
      exportDossierZipWithSession({ origin: demo.url, demarche, dossier: number, fetch: withSession(null) }),
    ).rejects.toMatchObject({ code: 'logged-out' });
  });
});
