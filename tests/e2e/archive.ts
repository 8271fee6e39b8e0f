import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import type { Statut } from '@/lib/ds/routes';
import type { DemoInstance } from '../../demo/instance';
import { send, until } from './expiry';
import type { ExtensionSession } from './harness';

/** Bulk archives in e2e tests: the job as the background keeps it, its export page, what it wrote. */

export interface Job {
  id: number;
  refs: { origin: string; demarche: number; dossier: number }[];
  parts: { name: string; dossiers: number[]; failed: number[]; missingFiles: number; bytes: number }[];
  state: string;
}

/** The signed URLs of a dossier's attachments (champs), as the API gives them now. */
export async function apiFileUrls(demo: DemoInstance, number: number): Promise<string[]> {
  const query = `query { dossier(number: ${number}) { champs { ... on PieceJustificativeChamp { files { url } } } } }`;
  const response = await fetch(`${demo.url}/api/v2/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data: { dossier: { champs: { files?: { url: string }[] }[] } } };
  return body.data.dossier.champs.flatMap((c) => c.files ?? []).map((f) => f.url);
}

/** The ZIP files in the export page's private file system, by name (read as base64 through the page). */
export async function opfsZips(page: Page): Promise<Map<string, Record<string, Uint8Array>>> {
  const files = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const out: [string, string][] = [];
    // biome-ignore lint/suspicious/noExplicitAny: the directory iterator is not in TypeScript's DOM types yet.
    for await (const [name, handle] of (root as any).entries()) {
      if (handle.kind !== 'file' || !name.endsWith('.zip')) continue;
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push([name, btoa(binary)]);
    }
    return out;
  });
  return new Map(files.map(([name, b64]) => [name, unzipSync(new Uint8Array(Buffer.from(b64, 'base64')))]));
}

export async function clearOpfs(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    for await (const name of (root as any).keys()) await root.removeEntry(name, { recursive: true });
  });
}

export function csv(bytes: Uint8Array): Record<string, string>[] {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  return Papa.parse<Record<string, string>>(text, { delimiter: ';', header: true, skipEmptyLines: true }).data;
}

/** Dossier folders of a part: `export/dossier-<n>/…` → n. */
export const dossiersIn = (entries: Record<string, Uint8Array>) =>
  new Set(
    Object.keys(entries)
      .map((name) => /^export\/dossier-(\d+)\//.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number),
  );

/** What the archive helpers work with, once the test's `beforeAll` has set it up. */
export interface ArchiveEnv {
  session: ExtensionSession;
  demo: DemoInstance;
  /** An extension page the messages are sent from. */
  popup: Page;
  demarche: number;
}

/** The archive jobs of a démarche, started and opened as a user would. */
export function archiveJobs(env: () => ArchiveEnv) {
  const job = async (id: number) => {
    const reply = await send<{ job: Job }>(env().popup, 'archive-job', { id });
    if (!reply.ok) throw new Error(reply.error);
    return reply.value.job;
  };

  /**
   * Starts an archive of the whole démarche (or of one of its tabs); the background opens its page,
   * which the test closes.
   */
  async function startArchive(tab?: { statut: Statut }): Promise<number> {
    const { session, demo, popup, demarche } = env();
    const reply = await send<{ jobId: number; dossiers: number }>(
      popup,
      'archive-start',
      tab
        ? { kind: 'tab', origin: demo.url, demarche, statut: tab.statut }
        : { kind: 'demarche', origin: demo.url, demarche },
    );
    if (!reply.ok) throw new Error(reply.error);
    const id = reply.value.jobId;
    const opened = await until(
      async () => session.context.pages().find((page) => page.url().endsWith(`/archive.html?job=${id}`)),
      (page) => page !== undefined,
    );
    await opened!.close();
    return id;
  }

  /** The job's export page, writing into its private file system (OPFS), a part every `partSize` dossiers. */
  async function openArchivePage(id: number, partSize: number): Promise<Page> {
    const page = await env().session.openExtensionPage(`archive.html?job=${id}&target=opfs`);
    await page.getByLabel(/Un fichier ZIP tous les/).fill(String(partSize));
    return page;
  }

  return { job, startArchive, openArchivePage };
}
