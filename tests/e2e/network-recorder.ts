import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `127.0.0.1:<port>`: the proxy every e2e browser of the project sends all its requests through. */
    networkProxy: string;
    /** Where the proxy logs them and where the tests register their demo instances. */
    networkDir: string;
  }
}

/**
 * Every request the e2e browsers make, recorded: each Chromium the harness launches, and each Firefox
 * of the e2e-firefox project, sends all its traffic, loopback included, through this HTTP proxy
 * (started by each project's global setup, one log per browser), so the service worker's or
 * background page's, the offscreen document's, the extension pages' and the DS pages' requests are
 * all seen, whoever made them. Nothing leaves the machine: a request to another host is recorded and
 * answered 502, a CONNECT (https, websockets) recorded and refused. At the end of the run
 * `checkNetwork` checks that every request went to a demo instance the tests started (its pages
 * and API or its files host) and that every bearer token went only to its own instance's
 * `/api/v2/graphql`. Tokens are written as hashes only.
 */

export interface RecordedRequest {
  /** `http://host:port` (or `https://host:port` for a CONNECT). */
  origin: string;
  method: string;
  /** Path without its query (signed URLs carry signatures there). */
  path: string;
  /** `bearer`, `other` (an Authorization header of another scheme) or null. */
  authorization: 'bearer' | 'other' | null;
  /** sha256 of the bearer token, to match it with its instance without writing it down. */
  tokenHash: string | null;
  /** Who asked, as the browser tells the server: the `Origin` header, else the referrer's origin. */
  initiator: string | null;
  /** `Sec-Fetch-Dest` (document, empty for fetch, …). */
  destination: string | null;
}

/** A demo instance a test started, and the tokens it accepts (hashed). */
export interface RegisteredInstance {
  url: string;
  filesUrl: string;
  tokenHashes: string[];
}

const REQUESTS = 'requests.jsonl';
const INSTANCES = 'instances.jsonl';
export const REPORT = 'network-report.json';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

// No keep-alive towards the instances: a socket the instance dropped (its `truncate` fault) is never
// reused for the next request, whose reset would otherwise reach the browser as a failure of its own.
const agent = new Agent({ keepAlive: false, maxSockets: 64 });

/** Hop-by-hop headers: they describe the proxy connection, not the request. */
const HOP_BY_HOP = new Set(['proxy-connection', 'connection', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']);

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/**
 * What the browsers themselves ask for whatever the flags and prefs: headless Chromium at startup (its
 * extension updater, its Google account check). Refused like everything else, counted apart, never
 * as the extension's; only without any initiator nor Authorization header.
 * tests/e2e/shipped-code.test.ts checks the shipped extension names none of these hosts. Firefox has
 * none: its prefs (tests/e2e-firefox/firefox.ts) turn its own traffic off, so any that comes back
 * breaks the rules until it is turned off or listed here.
 */
export const BROWSER_OWN_HOSTS: Record<'chromium' | 'firefox', string[]> = {
  chromium: ['accounts.google.com', 'update.googleapis.com'],
  firefox: [],
};
const OWN_HOSTS = new Set<string>(Object.values(BROWSER_OWN_HOSTS).flat());
const isBrowserOwn = (r: RecordedRequest) =>
  r.initiator === null && r.authorization === null && OWN_HOSTS.has(new URL(r.origin).hostname);

function describe(req: IncomingMessage, target: URL): RecordedRequest {
  const authorization = req.headers.authorization ?? null;
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? null;
  const referrer = req.headers.referer ? new URL(req.headers.referer).origin : null;
  return {
    origin: target.origin,
    method: req.method ?? '',
    path: target.pathname,
    authorization: bearer ? 'bearer' : authorization ? 'other' : null,
    tokenHash: bearer ? hashToken(bearer) : null,
    initiator: (req.headers.origin as string | undefined) ?? referrer,
    destination: (req.headers['sec-fetch-dest'] as string | undefined) ?? null,
  };
}

/** Starts the proxy; its log starts empty. */
export async function startNetworkRecorder(dir: string): Promise<{ port: number; close(): Promise<void> }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Written at once, so a test reading the log at the end of the run sees every request.
  const record = (entry: RecordedRequest) => appendFileSync(join(dir, REQUESTS), `${JSON.stringify(entry)}\n`);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URL expected: this is a proxy');
      return;
    }
    record(describe(req, target));
    if (target.protocol !== 'http:' || !LOOPBACK.test(target.hostname)) {
      res.writeHead(502).end('the e2e browser may reach only the local instances');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = forward(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers,
      },
      (answer) => {
        const answerHeaders = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
        );
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answerHeaders);
        answer.pipe(res);
        // A body the instance cut (its `truncate` fault) is cut for the browser too.
        answer.on('aborted', () => res.destroy());
        answer.on('error', () => res.destroy());
      },
    );
    // The instance dropped the connection: the browser sees it dropped too, as it would without the proxy.
    upstream.on('error', () => res.destroy());
    // The browser gave up (abort, tab closed): so does the request to the instance.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    record(describe(req, new URL(`https://${req.url}`)));
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** Called by the tests' instance starter: which origins and tokens are the tests' own. */
export function registerInstance(dir: string, instance: RegisteredInstance): void {
  appendFileSync(join(dir, INSTANCES), `${JSON.stringify(instance)}\n`);
}

const readLines = <T>(path: string): T[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as T)
    : [];

export interface NetworkReport {
  requests: number;
  /** Requests per origin. */
  hosts: Record<string, number>;
  /** Requests per initiator (the extension, a DS page…). */
  initiators: Record<string, number>;
  withBearer: number;
  /** The browser's own requests (BROWSER_OWN_HOSTS), refused, per origin. */
  browserOwn: Record<string, number>;
  instances: number;
  /** Every request breaking the rules, described (never with a token). */
  violations: string[];
}

/** The rules, over what was recorded and who was registered. */
export function checkNetwork(
  requests: readonly RecordedRequest[],
  instances: readonly RegisteredInstance[],
): NetworkReport {
  const mainOrigins = new Map<string, Set<string>>();
  const fileOrigins = new Set<string>();
  for (const instance of instances) {
    const tokens = mainOrigins.get(instance.url) ?? new Set();
    for (const hash of instance.tokenHashes) tokens.add(hash);
    mainOrigins.set(instance.url, tokens);
    fileOrigins.add(instance.filesUrl);
  }
  const count = (into: Record<string, number>, key: string) => {
    into[key] = (into[key] ?? 0) + 1;
  };
  const report: NetworkReport = {
    requests: requests.length,
    hosts: {},
    initiators: {},
    withBearer: 0,
    browserOwn: {},
    instances: instances.length,
    violations: [],
  };
  for (const r of requests) {
    if (isBrowserOwn(r)) {
      count(report.browserOwn, r.origin);
      continue;
    }
    count(report.hosts, r.origin);
    count(report.initiators, r.initiator ?? '(none)');
    const what = `${r.method} ${r.origin}${r.path} (from ${r.initiator ?? 'unknown'})`;
    if (!mainOrigins.has(r.origin) && !fileOrigins.has(r.origin)) {
      report.violations.push(`${what}: not a demo instance the tests started`);
    }
    if (r.authorization === 'other') report.violations.push(`${what}: an Authorization header other than a bearer`);
    if (r.authorization !== 'bearer') continue;
    report.withBearer++;
    if (r.method !== 'POST' || r.path !== '/api/v2/graphql' || !mainOrigins.has(r.origin)) {
      report.violations.push(`${what}: a bearer token sent elsewhere than an instance's /api/v2/graphql`);
    } else if (!mainOrigins.get(r.origin)!.has(r.tokenHash ?? '')) {
      report.violations.push(`${what}: a bearer token of another instance`);
    }
  }
  return report;
}

/** Every request recorded so far. */
export const recordedRequests = (dir: string): RecordedRequest[] => readLines(join(dir, REQUESTS));

/** Reads the recorder's files, checks them and writes the report beside them. */
export function writeNetworkReport(dir: string): NetworkReport {
  const report = checkNetwork(recordedRequests(dir), readLines<RegisteredInstance>(join(dir, INSTANCES)));
  writeFileSync(join(dir, REPORT), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/**
 * One project's recorder (one browser's): its log starts empty in `dir`, every browser the project
 * launches goes through it (`networkProxy`), every instance the project starts registers there
 * (`networkDir`). The teardown writes the report (the project's network check, run last, fails it).
 */
export async function recordProjectNetwork(project: TestProject, dir: string): Promise<() => Promise<void>> {
  const recorder = await startNetworkRecorder(dir);
  project.provide('networkProxy', `127.0.0.1:${recorder.port}`);
  project.provide('networkDir', dir);
  return async () => {
    await recorder.close();
    const report = writeNetworkReport(dir);
    if (report.violations.length)
      console.warn(`\n⚠  ${report.violations.length} request(s) broke the network rules, see ${dir}\n`);
  };
}
