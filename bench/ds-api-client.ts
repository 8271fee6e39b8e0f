import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlUrl } from '@/lib/ds/routes';
import type { DemoInstance } from '../demo/instance';
import { type Benchmark, check, median, type Row, single } from './harness';
import { freshCounters, listedDossiers, postGraphql, startBenchDemo } from './support';

/**
 * DS's official command-line client (github.com/demarches-simplifiees/ds-api-client, a Bun program
 * not published on npm) downloading a whole démarche, 20 files at a time, from the demo: the
 * reference Archiviste's bulk archive (`bulk-archive`) is set beside. The client is built outside
 * the project; `$DS_API_CLIENT` gives its compiled binary, or its `src/command.ts` to run with
 * `bun`. `$DS_API_CLIENT_DOSSIERS` sets how many dossiers the demo generates (default 1,000).
 */

const PARALLEL = 20;
const ATTACHMENT_KB = 200;
const DEFAULT_DOSSIERS = 1_000;
const RUNS = 3;
const MB = 2 ** 20;
/** Where the client writes, inside each run's own temporary directory. */
const OUT_DIR = 'data';

interface ClientCommand {
  command: string;
  args: string[];
}

function clientCommand(): ClientCommand {
  const path = process.env.DS_API_CLIENT;
  if (!path || !existsSync(path)) {
    throw new Error(
      `DS's ds-api-client not found${path ? ` at ${path}` : ''}: set DS_API_CLIENT to its built binary or its src/command.ts (github.com/demarches-simplifiees/ds-api-client, built with Bun outside the project)`,
    );
  }
  return /\.[cm]?[jt]s$/.test(path) ? { command: 'bun', args: [path] } : { command: path, args: [] };
}

function dossierCount(): number {
  const asked = process.env.DS_API_CLIENT_DOSSIERS;
  if (asked === undefined) return DEFAULT_DOSSIERS;
  const count = Number(asked);
  check(Number.isInteger(count) && count > 0, `DS_API_CLIENT_DOSSIERS must be a positive integer, got "${asked}"`);
  return count;
}

/** Runs the client to its end; its wall time, from spawning to exit. */
function runClient(client: ClientCommand, args: string[], env: Record<string, string>, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(client.command, [...client.args, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else reject(new Error(`ds-api-client exited with ${code}: ${output.trim().split('\n').pop() ?? ''}`));
    });
  });
}

/** Every file name a dossier node of DS's answer holds, wherever it sits (champs, annotations, PDF…). */
function fileNames(tree: unknown, names: string[] = []): string[] {
  if (Array.isArray(tree)) {
    for (const node of tree) fileNames(node, names);
  } else if (tree !== null && typeof tree === 'object') {
    const node = tree as Record<string, unknown>;
    if (node.__typename === 'File') names.push(String(node.filename));
    else for (const value of Object.values(node)) fileNames(value, names);
  }
  return names;
}

interface PersistedDemarchePage {
  demarche: {
    dossiers: {
      nodes: { number: number }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
}

/**
 * What the client should leave on disk: per dossier directory, `dossier.json` and one file per
 * name of DS's answer (same names overwrite one another), read with the same persisted query.
 */
async function expectedFiles(demo: DemoInstance, demarche: number): Promise<Map<string, Set<string>>> {
  const expected = new Map<string, Set<string>>();
  let after: string | null = null;
  do {
    const data: PersistedDemarchePage = await postGraphql<PersistedDemarchePage>(demo, {
      queryId: 'ds-query-v2',
      operationName: 'getDemarche',
      variables: { demarcheNumber: demarche, after, includeDossiers: true },
    });
    const page = data.demarche.dossiers;
    for (const node of page.nodes)
      expected.set(`dossier-${node.number}`, new Set(['dossier.json', ...fileNames(node)]));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return expected;
}

interface Written {
  files: number;
  bytes: number;
  /** File names per dossier directory. */
  names: Map<string, Set<string>>;
}

async function writtenFiles(dir: string): Promise<Written> {
  const written: Written = { files: 0, bytes: 0, names: new Map() };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const dossier = entry.parentPath.slice(dir.length + 1);
    const names = written.names.get(dossier) ?? new Set<string>();
    names.add(entry.name);
    written.names.set(dossier, names);
    written.files += 1;
    written.bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return written;
}

/** The client reports a failed download nowhere (it skips the file): the disk must hold every one. */
function checkComplete(written: Written, expected: Map<string, Set<string>>): void {
  check(
    written.names.size === expected.size,
    `${written.names.size} dossier directories for ${expected.size} dossiers`,
  );
  for (const [dossier, names] of expected) {
    const missing = [...names].filter((name) => !written.names.get(dossier)?.has(name));
    check(missing.length === 0, `${dossier}: ${missing.join(', ')} not written`);
  }
}

export interface ClientMeasure {
  /** Wall time, from spawning the client to its exit (of several runs: the median). */
  ms: number;
  graphqlRequests: number;
  /** Attachment and attestation downloads from the storage host. */
  fileRequests: number;
  /** Dossier PDFs, which DS renders on request. */
  pdfRequests: number;
  filesWritten: number;
  bytesWritten: number;
  /** File and PDF bytes the demo sent (median: the PDFs are rendered anew each time). */
  bytesDownloaded: number;
}

async function clientRun(
  client: ClientCommand,
  demo: DemoInstance,
  demarche: number,
  expected: Map<string, Set<string>>,
): Promise<ClientMeasure> {
  const workdir = await mkdtemp(join(tmpdir(), 'ds-api-client-'));
  try {
    freshCounters(demo);
    // The working directory is the run's own, so Bun's automatic `.env` loading finds nothing else.
    const ms = await runClient(
      client,
      ['dossiers', String(demarche), '--download', '--paginate', '--parallel', String(PARALLEL), '--outdir', OUT_DIR],
      { GRAPHQL_ENDPOINT: graphqlUrl(demo.url), GRAPHQL_TOKEN: demo.token },
      workdir,
    );
    const { requests, downloadedBytes } = demo.metrics();
    const graphqlRequests = requests.graphql ?? 0;
    const fileRequests = requests.file ?? 0;
    const pdfRequests = requests['download:api-pdf'] ?? 0;
    check(
      requests.total === graphqlRequests + fileRequests + pdfRequests,
      `unexpected requests: ${JSON.stringify(requests)}`,
    );
    const written = await writtenFiles(join(workdir, OUT_DIR));
    checkComplete(written, expected);
    return {
      ms,
      graphqlRequests,
      fileRequests,
      pdfRequests,
      filesWritten: written.files,
      bytesWritten: written.bytes,
      bytesDownloaded: downloadedBytes,
    };
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
}

/**
 * The client's download of démarche `demarche` on `demo`, `RUNS` times, each into an empty
 * directory (it skips files already on disk): for `bulk-archive` to set beside its own figures.
 */
export async function measureDsApiClient(demo: DemoInstance, demarche: number): Promise<ClientMeasure> {
  const client = clientCommand();
  const expected = await expectedFiles(demo, demarche);
  const runs: ClientMeasure[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await clientRun(client, demo, demarche, expected));
  const same = (key: keyof ClientMeasure) =>
    single(
      runs.map((r) => r[key]),
      key,
    );
  return {
    ms: median(runs.map((r) => r.ms)),
    graphqlRequests: same('graphqlRequests'),
    fileRequests: same('fileRequests'),
    pdfRequests: same('pdfRequests'),
    filesWritten: same('filesWritten'),
    bytesWritten: median(runs.map((r) => r.bytesWritten)),
    bytesDownloaded: median(runs.map((r) => r.bytesDownloaded)),
  };
}

export const dsApiClient: Benchmark = {
  name: 'ds-api-client',
  title: `DS's command-line client (ds-api-client), a whole démarche, ${PARALLEL} parallel downloads`,
  run: async () => {
    clientCommand();
    const generated = dossierCount();
    const demo = await startBenchDemo({ demarches: 1, dossiers: generated, attachmentKb: ATTACHMENT_KB });
    try {
      const demarche = demo.demarches[0]!.number;
      const listed = listedDossiers(demo);
      const measure = await measureDsApiClient(demo, demarche);
      const label = `ds-api-client, 1 démarche × ${listed.toLocaleString('en-US')} dossiers (${ATTACHMENT_KB} KB of attachments each), ${PARALLEL} parallel downloads`;
      const row = (what: string, unit: Row['unit'], baseline: number): Row => ({
        case: label,
        measure: what,
        unit,
        archiviste: null,
        baseline,
      });
      return {
        rows: [
          row('wall time', 'ms', measure.ms),
          row('GraphQL requests', 'requests', measure.graphqlRequests),
          row('file requests (storage host)', 'requests', measure.fileRequests),
          row('dossier PDF requests', 'requests', measure.pdfRequests),
          row('files written', 'files', measure.filesWritten),
          row('downloaded', 'MB', measure.bytesDownloaded / MB),
          row('written', 'MB', measure.bytesWritten / MB),
        ],
        notes: [
          `ds-api-client — DS's own command-line client, built from its repository outside the project (\`$DS_API_CLIENT\`), run as \`ds-api-client dossiers ${demarche} --download --paginate --parallel ${PARALLEL}\` with \`GRAPHQL_ENDPOINT\` and \`GRAPHQL_TOKEN\` on the demo (${generated.toLocaleString('en-US')} dossiers generated, ${listed.toLocaleString('en-US')} listed by the API). It reads DS's persisted query \`ds-query-v2\` (\`getDemarche\`, DS's page size) and fetches every file node of each page in batches of ${PARALLEL}, a batch waiting for its slowest file; a champ's files appear twice in DS's answer (\`files\` and \`columns\`), fetched again unless the first copy is already on disk. It writes \`dossier.json\` and one file per name in each dossier's directory (same names overwrite one another); every expected file was checked on disk. Wall time from spawn to exit, median of ${RUNS} runs, each into an empty directory; requests from the demo's counters. Its figures are in the baseline column; Archiviste's bulk archive of the same démarche is \`bulk-archive\`.`,
        ],
      };
    } finally {
      await demo.close();
    }
  },
};
