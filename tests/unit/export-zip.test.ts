// @vitest-environment node
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DsApiClient } from '@/lib/ds/api';
import { RequestBudget } from '@/lib/ds/budget';
import type { ExportDossierNode, ExportFile } from '@/lib/ds/queries';
import { exportDossierZip } from '@/lib/export/api-export';
import { buildDossierZip } from '@/lib/export/build-zip';
import { planDossierExport } from '@/lib/export/plan';
import { type DemoInstance, startDemo } from '../../demo/instance';

/**
 * The dossier ZIP in API mode against the local DS instance (an independent model of DS, in this
 * process): every file the API lists, verified against DS's checksums, and what happens when files
 * come back wrong, cut, failing or expired.
 */
const NOW = '2026-01-15T10:00:00+01:00';
const MINUTE = 60_000;
let demo: DemoInstance;

/** Retries back off in test time, not real time. */
const instantSleep = { now: () => Date.now(), sleep: async () => {} };
const client = () =>
  new DsApiClient({ origin: demo.url, token: demo.token, budget: new RequestBudget(300), clock: instantSleep });

const md5Base64 = async (bytes: Uint8Array) => {
  const { createHash } = await import('node:crypto');
  return createHash('md5').update(bytes).digest('base64');
};

async function unzip(stream: ReadableStream<Uint8Array>): Promise<Record<string, Uint8Array>> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return unzipSync(bytes, {
    filter: (file) => {
      // Stored, like DS's `zip -0`.
      expect(file.compression, file.name).toBe(0);
      return true;
    },
  });
}

function inventoryRows(bytes: Uint8Array): Record<string, string>[] {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<Record<string, string>>(text.slice(1), { delimiter: ';', header: true, skipEmptyLines: true }).data;
}

/** Every File of the API answer, with where it hangs. */
function apiFiles(d: ExportDossierNode): ExportFile[] {
  const champFiles = (champs: ExportDossierNode['champs']): ExportFile[] =>
    champs.flatMap((c) => [
      ...('files' in c ? (c.files as ExportFile[]) : []),
      ...('rows' in c
        ? (c.rows as { champs: ExportDossierNode['champs'] }[]).flatMap((r) => champFiles(r.champs))
        : []),
    ]);
  return [
    ...champFiles(d.champs),
    ...champFiles(d.annotations),
    ...d.messages.flatMap((m) => m.attachments),
    ...d.avis.flatMap((a) => a.attachments),
    ...[d.motivationAttachment, d.attestation].filter((f): f is ExportFile => f !== null),
  ];
}

/** The dossier with the most kinds of files (attachments in champs, messages, avis, motivation…). */
async function richDossier(): Promise<number> {
  let best = { number: 0, score: -1 };
  for (const summary of demo.admin.dossiers().filter((d) => d.visible)) {
    const d = await client().exportDossier(summary.number);
    if (!d) continue;
    const kinds = new Set(planDossierExport(d, 0).files.map((f) => f.kind));
    if (kinds.size > best.score) best = { number: summary.number, score: kinds.size };
  }
  return best.number;
}

describe('dossier ZIP through the API, against the demo instance', () => {
  beforeEach(async () => {
    demo = await startDemo({ port: 0, now: NOW, dossiers: 60, attachmentKb: 256 });
  });
  afterEach(async () => {
    await demo.close();
  });

  it('holds every file DS lists, with DS’s MD5, the dossier PDF, dossier.json, the transcript and the inventory', async () => {
    const number = await richDossier();
    const api = (await client().exportDossier(number))!;
    const listed = apiFiles(api);
    expect(listed.length).toBeGreaterThanOrEqual(3);

    const progress: number[] = [];
    const zip = await exportDossierZip(client(), number, {
      clock: instantSleep,
      deletion: { date: api.dateExpiration, source: 'api' },
      onProgress: (p) => progress.push(p.done),
    });
    expect(zip.name).toBe(`dossier-${number}.zip`);
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    expect(result.summary).toBe('complet');
    expect(result.missing).toEqual([]);
    expect(progress.at(-1)).toBe(listed.length + 1);

    const root = `dossier-${number}/`;
    const names = Object.keys(entries);
    expect(names.every((n) => n.startsWith(root))).toBe(true);
    // DS's PDF, rendered on request: no checksum from DS, so `calculé`.
    const pdf = names.filter((n) =>
      new RegExp(`^${root}export-${number}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}-${number % 10000}\\.pdf$`).test(n),
    );
    expect(pdf).toHaveLength(1);
    expect(new TextDecoder().decode(entries[pdf[0]!]!.subarray(0, 5))).toBe('%PDF-');

    // Every attachment the API lists, in its DS folder, with the bytes DS's checksum describes.
    const checksums = await Promise.all(
      names.filter((n) => !n.endsWith('/')).map(async (n) => [n, await md5Base64(entries[n]!)] as const),
    );
    const byChecksum = new Map(checksums.map(([n, sum]) => [sum, n]));
    for (const file of listed) {
      const path = byChecksum.get(file.checksum);
      expect(path, file.filename).toBeDefined();
      expect(path).toMatch(new RegExp(`^${root}(pieces_justificatives|messagerie|avis|dossier)/`));
      expect(entries[path!]!.byteLength).toBe(Number(file.byteSizeBigInt));
    }
    expect(names.sort()).toEqual([...result.files.map((f) => f.path)].sort());
    expect(names).toHaveLength(listed.length + 1 + 3);

    const rows = inventoryRows(entries[`${root}inventaire.csv`]!);
    expect(rows).toHaveLength(listed.length + 1 + 2);
    for (const row of rows) {
      // A base64 MD5 may start with `+`: neutralised with a leading `'` like any such cell.
      const md5 = await md5Base64(entries[row.Chemin!]!);
      expect(row['MD5 (base64)']).toBe(md5.startsWith('+') ? `'${md5}` : md5);
      expect(Number(row['Taille (octets)'])).toBe(entries[row.Chemin!]!.byteLength);
    }
    expect(rows.filter((r) => r.Statut === 'vérifié')).toHaveLength(listed.length);
    expect(rows.filter((r) => r.Statut === 'calculé').map((r) => r.Chemin)).toEqual([
      pdf[0],
      `${root}dossier.json`,
      `${root}messagerie.txt`,
    ]);

    const json = JSON.parse(new TextDecoder().decode(entries[`${root}dossier.json`]!));
    expect(json).toMatchObject({
      formatVersion: 1,
      number,
      state: api.state,
      demarche: api.demarche,
      deletion: { date: api.dateExpiration, source: 'api' },
      origin: demo.url,
    });
    expect(json.messages).toHaveLength(api.messages.length);
    expect(JSON.stringify(json)).not.toContain('temp_url_sig');
    const transcript = new TextDecoder().decode(entries[`${root}messagerie.txt`]!);
    expect(transcript).toContain(`Messagerie du dossier n° ${number}`);
    for (const message of api.messages) expect(transcript).toContain(message.email);
  });

  it('still writes the ZIP when a file comes back truncated: the inventory names it and why', async () => {
    const number = await richDossier();
    // Cut the first attachment on every try (one worker: the requests come in the plan's order).
    demo.faults.set({ truncate: { target: 'files', count: 3 } });
    const zip = await exportDossierZip(client(), number, { clock: instantSleep, concurrency: 1 });
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(false);
    expect(result.summary).toBe('incomplet (1 fichier)');
    expect(result.missing).toHaveLength(1);
    const [lost] = result.missing;
    expect(lost!.reason.kind).toBe('truncated');
    expect(lost!.reasonText).toMatch(/^fichier tronqué/);
    expect(entries[lost!.path]).toBeUndefined();

    const rows = inventoryRows(entries[`dossier-${number}/inventaire.csv`]!);
    const row = rows.find((r) => r.Chemin === lost!.path)!;
    expect(row).toMatchObject({ Statut: 'manquant', Raison: lost!.reasonText });
    expect(rows.filter((r) => r.Statut === 'manquant')).toHaveLength(1);
    expect(new TextDecoder().decode(entries[`dossier-${number}/messagerie.txt`]!)).toBeDefined();
  });

  it('leaves out files whose bytes do not match DS’s checksum', async () => {
    const number = await richDossier();
    demo.faults.set({ wrongChecksum: true });
    const zip = await exportDossierZip(client(), number, { clock: instantSleep });
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    const api = (await client().exportDossier(number))!;
    const listed = apiFiles(api).length;
    expect(result.complete).toBe(false);
    expect(result.summary).toBe(`incomplet (${listed} fichiers)`);
    expect(result.missing.map((m) => m.reasonText)).toEqual(Array(listed).fill('somme de contrôle différente'));
    // The PDF has no checksum from DS: computed, kept.
    expect(result.files.filter((f) => f.source === 'API').map((f) => f.status)).toEqual(['calculé']);
    const rows = inventoryRows(entries[`dossier-${number}/inventaire.csv`]!);
    expect(rows.filter((r) => r.Raison === 'somme de contrôle différente')).toHaveLength(listed);
    expect(Object.keys(entries)).toHaveLength(1 + 3);
  });

  it('retries server errors', async () => {
    const number = await richDossier();
    demo.faults.set({ serverError: { target: 'files', count: 2 } });
    const zip = await exportDossierZip(client(), number, { clock: instantSleep, concurrency: 1 });
    await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    expect(result.fileRequests).toBe(result.files.length - 3 + 2);
  });

  it('gives up on a file after three server errors, and says so', async () => {
    const number = await richDossier();
    demo.faults.set({ serverError: { target: 'files', count: 3 } });
    const zip = await exportDossierZip(client(), number, { clock: instantSleep, concurrency: 1 });
    await unzip(zip.stream);
    const result = await zip.result;
    expect(result.missing.map((m) => m.reasonText)).toEqual(['erreur HTTP 500']);
  });

  it('stops with « DS injoignable » when the browser is offline, instead of a ZIP of missing files', async () => {
    const number = await richDossier();
    const plan = planDossierExport((await client().exportDossier(number))!, Date.now());
    // The network drops after the dossier was asked: the browser says so, and every request fails.
    vi.stubGlobal('navigator', { onLine: false });
    try {
      const zip = buildDossierZip({
        plan,
        clock: instantSleep,
        fetch: async () => {
          throw new TypeError('Failed to fetch');
        },
      });
      await expect(unzip(zip.stream)).rejects.toBeDefined();
      await expect(zip.result).rejects.toMatchObject({ code: 'unreachable' });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('asks for fresh URLs when DS says they expired', async () => {
    const number = await richDossier();
    const api = (await client().exportDossier(number))!;
    const plan = planDossierExport(api, Date.now());
    demo.clock.advance(61 * MINUTE); // DS's signatures last one hour
    let refreshes = 0;
    const zip = buildDossierZip({
      plan,
      clock: instantSleep,
      refreshPlan: async () => {
        refreshes++;
        return planDossierExport((await client().exportDossier(number))!, Date.now());
      },
    });
    await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    // Four downloads met the 401 at once: one refresh serves them all.
    expect(refreshes).toBe(1);
    expect(result.planRefreshes).toBe(1);
  });

  it('asks for fresh URLs before using ones older than 55 minutes', async () => {
    const number = await richDossier();
    const api = (await client().exportDossier(number))!;
    const events: string[] = [];
    const zip = buildDossierZip({
      plan: planDossierExport(api, Date.now() - 56 * MINUTE),
      clock: instantSleep,
      fetch: (input, init) => {
        events.push('fetch');
        return fetch(input, init);
      },
      refreshPlan: async () => {
        events.push('refresh');
        return planDossierExport((await client().exportDossier(number))!, Date.now());
      },
    });
    await unzip(zip.stream);
    const result = await zip.result;
    expect(result.complete).toBe(true);
    expect(result.planRefreshes).toBe(1);
    expect(events[0]).toBe('refresh');
    expect(events.filter((e) => e === 'refresh')).toHaveLength(1);
    expect(result.fileRequests).toBe(result.files.length - 3);
  });

  it('without fresh URLs, lists every expired file as missing', async () => {
    const number = await richDossier();
    const plan = planDossierExport((await client().exportDossier(number))!, Date.now());
    demo.clock.advance(61 * MINUTE);
    const zip = buildDossierZip({ plan, clock: instantSleep });
    const entries = await unzip(zip.stream);
    const result = await zip.result;
    expect(result.missing).toHaveLength(plan.files.length);
    expect(new Set(result.missing.map((m) => m.reasonText))).toEqual(new Set(['lien expiré']));
    expect(Object.keys(entries)).toHaveLength(3);
  });
});
