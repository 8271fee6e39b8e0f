// @vitest-environment node
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DsApiClient } from '@/lib/ds/api';
import { RequestBudget } from '@/lib/ds/budget';
import { EXPORT_BATCH_SIZE } from '@/lib/ds/queries';
import { apiArchiveSource } from '@/lib/export/bulk/api-source';
import { ARCHIVE_ERRORS, ARCHIVE_INVENTORY } from '@/lib/export/bulk/archive-part';
import {
  type ArchiveRef,
  archivePartName,
  planArchiveParts,
  remainingRefs,
  runArchive,
  type WrittenPart,
} from '@/lib/export/bulk/run-archive';
import { DownloadQueue } from '@/lib/export/download-queue';
import { planDossierExport } from '@/lib/export/plan';
import { type DemoInstance, startDemo } from '../../demo/instance';

/**
 * The bulk archive's engine against the local DS instance, through the API: DS's archive layout,
 * every file the API lists with its MD5, one inventory for the whole archive, DS's error list, parts
 * that never hold a dossier twice, and a download queue that bounds what is held in memory.
 */
const NOW = '2026-01-15T10:00:00+01:00';
let demo: DemoInstance;
const instantSleep = { now: () => Date.now(), sleep: async () => {} };
const client = () =>
  new DsApiClient({ origin: demo.url, token: demo.token, budget: new RequestBudget(300), clock: instantSleep });
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

function csvRows(bytes: Uint8Array): Record<string, string>[] {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  return Papa.parse<Record<string, string>>(text, { delimiter: ';', header: true, skipEmptyLines: true }).data;
}

type ArchivedFile = { name: string; entries: Record<string, Uint8Array> };

/**
 * Runs an archive of `refs` through the API into memory: one unzipped record per part, in `files`
 * and `recorded` when given (what a run that fails leaves). `beforePart` runs as each part starts
 * (its index from 1), to bring a fault in mid-archive.
 */
type PlannedFile = ReturnType<typeof planDossierExport>['files'][number];

/**
 * Every file the API mode plans for these dossiers is in the archive, with DS's checksum where DS
 * gives one (and whatever `check` adds); returns how many were checked.
 */
async function expectPlannedFiles(
  entries: Record<string, Uint8Array>,
  refs: readonly { dossier: number }[],
  check?: (planned: PlannedFile) => void,
): Promise<number> {
  const api = client();
  let checked = 0;
  for (const ref of refs) {
    const node = (await api.exportDossier(ref.dossier))!;
    for (const planned of planDossierExport(node, Date.now()).files) {
      const bytes = entries[`export/${planned.path}`];
      expect(bytes, planned.path).toBeDefined();
      if (planned.checksum) expect(md5(bytes!)).toBe(planned.checksum);
      check?.(planned);
      checked++;
    }
  }
  return checked;
}

async function archive(
  refs: ArchiveRef[],
  partSize?: number,
  {
    beforePart,
    files = [],
    recorded = [],
  }: { beforePart?: (index: number) => void; files?: ArchivedFile[]; recorded?: WrittenPart[] } = {},
) {
  const queue = new DownloadQueue({ concurrency: 4 });
  const api = client();
  let started = 0;
  const parts = await runArchive({
    refs,
    partSize,
    archive: 7,
    firstPart: 1,
    now: () => new Date(NOW),
    sourceFor: async (part) => {
      beforePart?.(++started);
      return apiArchiveSource({
        client: api,
        dossiers: part.dossiers,
        queue,
        explain: (error) => (error instanceof Error ? error.message : String(error)),
        clock: instantSleep,
        exportedAt: new Date(NOW),
      });
    },
    writePart: async (name, stream) => {
      const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      files.push({ name, entries: unzipSync(bytes) });
      return name;
    },
    onPartWritten: async (part) => void recorded.push(part),
  });
  return { parts, files, recorded };
}

describe('bulk archive through the API, against the demo instance', () => {
  beforeAll(async () => {
    demo = await startDemo({ port: 0, now: NOW, dossiers: 40, attachmentKb: 8 });
  });
  afterAll(async () => {
    await demo.close();
  });
  beforeEach(() => {
    demo.faults.clear();
    demo.resetRateLimit();
  });

  const visible = (demarche?: number) =>
    demo.admin
      .dossiers({ demarche })
      .filter((d) => d.visible)
      .map((d) => ({ origin: demo.url, demarche: d.demarche, dossier: d.number }));

  it('writes every file the API lists, at DS’s archive paths, with DS’s MD5, and one inventory', async () => {
    const demarche = visible()[0]!.demarche;
    const refs = visible(demarche);
    const { files, parts } = await archive(refs);
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toBe(archivePartName(demarche, new Date(NOW), 7, 1));
    const entries = files[0]!.entries;
    expect(await expectPlannedFiles(entries, refs)).toBeGreaterThan(refs.length);
    for (const ref of refs) {
      expect(entries[`export/dossier-${ref.dossier}/dossier.json`]).toBeDefined();
      expect(entries[`export/dossier-${ref.dossier}/inventaire.csv`]).toBeDefined();
    }
    const inventory = csvRows(entries[ARCHIVE_INVENTORY]!);
    for (const row of inventory) {
      expect(row.Statut).not.toBe('manquant');
      // A base64 MD5 starting with + or = is neutralised for spreadsheets with a leading apostrophe.
      expect(md5(entries[row.Chemin!]!)).toBe(row['MD5 (base64)']!.replace(/^'/, ''));
    }
    expect(entries[ARCHIVE_ERRORS]).toBeUndefined();
    expect(parts[0]!.result.written.map((r) => r.dossier)).toEqual(refs.map((r) => r.dossier));
    expect(parts[0]!.result.written.every((r) => r.complete)).toBe(true);
  }, 30_000);

  it('keeps hostile dossiers’ files at safe, unique paths inside their folders, DS’s names in the inventory', async () => {
    const demarche = demo.demarches[0]!.number;
    // Two hostile dossiers: the same hostile names twice in one archive, each kept in its dossier.
    const hostile = [1, 2].map(() => demo.admin.addDossier({ demarche, state: 'en_construction', hostile: true }));
    const refs = hostile.map((d) => ({ origin: demo.url, demarche, dossier: d.number }));
    const { files } = await archive(refs);
    const entries = files[0]!.entries;
    const names = Object.keys(entries);
    expect(new Set(names.map((n) => n.normalize('NFC').toLowerCase())).size).toBe(names.length);
    for (const name of names) {
      if (name === ARCHIVE_INVENTORY) continue;
      expect(
        refs.some((r) => name.startsWith(`export/dossier-${r.dossier}/`)),
        name,
      ).toBe(true);
      for (const segment of name.split('/')) {
        expect(segment, name).not.toMatch(/^\.{0,2}$/);
        expect(segment, name).not.toMatch(/[\\<>:"|?*\p{Cc}\p{Cf}]|[. ]$/u);
        expect(segment.split('.')[0]!.trim(), name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
        expect(new TextEncoder().encode(segment).length, name).toBeLessThanOrEqual(255);
      }
    }
    const inventory = csvRows(entries[ARCHIVE_INVENTORY]!);
    await expectPlannedFiles(entries, refs, (planned) => {
      const row = inventory.find((r) => r.Chemin === `export/${planned.path}`)!;
      expect(row['Nom d’origine']!.replace(/^'/, ''), planned.path).toBe(planned.filename);
    });
  }, 30_000);

  it('lists what is missing in the inventory and in DS’s error list, and still writes the rest', async () => {
    const refs = visible().slice(0, 6);
    const gone = { origin: demo.url, demarche: refs[0]!.demarche, dossier: 999_999 };
    demo.faults.set({ truncate: { target: 'files', count: 1 }, serverError: { target: 'files', count: 3 } });
    const { files, parts } = await archive([...refs, gone]);
    const all = files.flatMap((f) => Object.entries(f.entries));
    const errors = all.filter(([name]) => name === ARCHIVE_ERRORS).map(([, bytes]) => new TextDecoder().decode(bytes));
    const inventories = all.filter(([name]) => name === ARCHIVE_INVENTORY).flatMap(([, bytes]) => csvRows(bytes));
    const missing = inventories.filter((row) => row.Statut === 'manquant');
    expect(
      missing.some((row) => row.Chemin === 'export/dossier-999999/' && /dossier non obtenu/.test(row.Raison!)),
    ).toBe(true);
    expect(errors.join('\n')).toContain('export/dossier-999999/');
    for (const row of missing) expect(errors.join('\n')).toContain(row.Chemin);
    const failed = parts.flatMap((p) => p.result.failed.map((f) => f.dossier));
    expect(failed).toEqual([999_999]);
    const written = parts.flatMap((p) => p.result.written.map((r) => r.dossier));
    expect(written.sort()).toEqual(refs.map((r) => r.dossier).sort());
  });

  it('asks the dossiers known to be in the corbeille one by one, never inside a batch', async () => {
    const refs = visible().slice(0, 6);
    const gone = [999_997, 999_998];
    const api = client();
    const batches: number[][] = [];
    const singles: number[] = [];
    const spy = {
      origin: api.origin,
      exportDossiers: (numbers: readonly number[]) => {
        batches.push([...numbers]);
        return api.exportDossiers(numbers);
      },
      exportDossier: (number: number) => {
        singles.push(number);
        return api.exportDossier(number);
      },
    };
    const source = apiArchiveSource({
      client: spy,
      dossiers: [gone[0]!, ...refs.map((r) => r.dossier), gone[1]!],
      alone: new Set(gone),
      queue: new DownloadQueue({ concurrency: 4 }),
      explain: String,
      clock: instantSleep,
      exportedAt: new Date(NOW),
    });
    const controller = new AbortController();
    for (const number of gone) await expect(source.prepare(number, controller.signal)).rejects.toThrow(/not visible/);
    const first = await source.prepare(refs[0]!.dossier, controller.signal);
    await first.entries.return();
    controller.abort();
    expect(batches).toEqual([refs.map((r) => r.dossier)]);
    expect(singles).toEqual(gone);
  });

  it('cuts parts per démarche and every N dossiers, and a resumed run writes only what no part holds', async () => {
    const refs = visible();
    const plan = planArchiveParts(refs, 5);
    for (const part of plan) {
      expect(part.dossiers.length).toBeLessThanOrEqual(5);
      expect(new Set(refs.filter((r) => part.dossiers.includes(r.dossier)).map((r) => r.demarche)).size).toBe(1);
    }
    expect(plan.flatMap((p) => p.dossiers).sort()).toEqual(refs.map((r) => r.dossier).sort());
    // The first two parts were written before the tab closed: the rest goes, each dossier once.
    const left = remainingRefs(refs, plan.slice(0, 2));
    const { parts } = await archive(left.slice(0, 7), 5);
    const again = [...plan.slice(0, 2).flatMap((p) => p.dossiers), ...parts.flatMap((p) => p.dossiers)];
    expect(new Set(again).size).toBe(again.length);
    expect(left.length).toBe(refs.length - plan[0]!.dossiers.length - plan[1]!.dossiers.length);
  });

  it('stops at a part whose token expired: the parts before kept, that one neither written nor recorded', async () => {
    const refs = visible().slice(0, 6);
    const files: ArchivedFile[] = [];
    const recorded: WrittenPart[] = [];
    // A token that expires as the second part asks for its dossiers: every dossier after would fail
    // the same way, so none is written « non obtenu »; the run stops with the token's problem.
    const beforePart = (index: number) => {
      if (index === 2) demo.faults.set({ tokenExpired: true });
    };
    await expect(archive(refs, 2, { beforePart, files, recorded })).rejects.toMatchObject({ code: 'token-expired' });
    expect(recorded.map((p) => p.dossiers)).toEqual([refs.slice(0, 2).map((r) => r.dossier)]);
    expect(files.map((f) => f.name)).toEqual(recorded.map((p) => p.name));
    demo.faults.clear();
    // « Reprendre »: what the first part holds is not asked again; the rest is, each dossier once.
    const resumed = await archive(remainingRefs(refs, recorded), 2);
    const all = [...recorded, ...resumed.recorded].flatMap((p) => p.dossiers);
    expect(all.sort()).toEqual(refs.map((r) => r.dossier).sort());
    expect(resumed.recorded.flatMap((p) => p.result.failed)).toEqual([]);
  });

  it('asks the API for a batch of dossiers a request, not one each', async () => {
    const refs = visible();
    demo.resetMetrics();
    const { parts } = await archive(refs);
    const graphql = demo.metrics().requests.graphql ?? 0;
    expect(graphql).toBe(parts.reduce((sum, part) => sum + Math.ceil(part.dossiers.length / EXPORT_BATCH_SIZE), 0));
    expect(graphql).toBeLessThan(refs.length / 5);
  });
});

describe('the download queue', () => {
  it('keeps at most `concurrency` in flight and what is held under the buffer, in order', async () => {
    const queue = new DownloadQueue({ concurrency: 2, bufferBytes: 100 });
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (id: number) => async () => {
      started.push(id);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return id;
    };
    const weights = [40, 40, 40, 150, 10];
    const done = weights.map((w, i) => queue.submit(queue.weightOf(w), task(i)));
    expect(await done[0]).toBe(0);
    expect(await done[1]).toBe(1);
    // 80 held: the third (40) must wait until the first two are released.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([0, 1]);
    queue.release(40);
    queue.release(40);
    expect(await done[2]).toBe(2);
    // The 150-byte file waits for an empty buffer, then goes alone (its weight is the whole buffer).
    queue.release(40);
    expect(await done[3]).toBe(3);
    expect(started).toEqual([0, 1, 2, 3]);
    queue.release(queue.weightOf(150));
    expect(await done[4]).toBe(4);
    expect(peak).toBeLessThanOrEqual(2);
  });
});
