/**
 * `startDemo(options)`: a complete local DS instance in this process — the web interface and the
 * GraphQL API on one port, signed files on a second one — with deterministic data for a seed, a
 * settable clock, faults on demand and request counters. Used by `npm run demo:server`,
 * `npm start`, the e2e tests and the benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Admin } from './admin/admin';
import { registerAdminRoutes } from './admin/routes';
import { apiPdfEndpoint, graphqlEndpoint, graphqlError } from './api/handler';
import { RateLimiter } from './api/rate-limit';
import { generateToken, TokenRegistry } from './api/tokens';
import { type Account, DemoApp } from './app';
import { createClock, type DemoClock } from './clock';
import { ContentGenerator } from './data/content';
import { buildDemarches } from './data/demarches';
import { generateDossiers } from './data/dossiers';
import { DemoStore } from './data/store';
import { Exports } from './files/exports';
import { createFiller } from './files/filler';
import { Signer } from './files/signing';
import { registerStorageRoutes } from './files/storage';
import { Faults } from './http/faults';
import { Metrics } from './http/metrics';
import { type Context, Router, readForm, sendJson, sendText } from './http/server';
import { Sessions } from './http/session';
import { registerAssetRoutes } from './pages/assets';
import type { Markup } from './pages/markup';
import { registerPageRoutes } from './pages/routes';
import { createRandom } from './random';
import { DEFAULT_RULES, isRuleSet, type RuleSet } from './rules/expiry';
import { addDays } from './time';

export interface DemoOptions {
  /** Main port (pages, API, admin); 0 picks a free one. Default 4000. */
  port?: number;
  /** Storage port (signed file URLs); default `port + 1`, or a free one when `port` is 0. */
  filesPort?: number;
  /** Seed of the generated data; the same seed and `now` give the same instance. Default `archiviste`. */
  seed?: string | number;
  /** Number of démarches (default 3: different retention settings, one never expiring processed dossiers). */
  demarches?: number;
  /** Number of dossiers, spread over the démarches (default 60). */
  dossiers?: number;
  /** Size of each dossier's attachments in KiB (default 64; 10,000 dossiers × 200 ≈ 2 GB). */
  attachmentKb?: number;
  /** The API token to accept (default: one generated from the seed, in DS's format). */
  token?: string;
  /** Initial clock (ISO date); default: the real time. */
  now?: string | Date;
  /** Delay before an export is ready, in milliseconds of demo time (default 3000). */
  exportDelayMs?: number;
  /**
   * DS's expiry rules: `2026` (default; DS since June 2026, en construction dossiers never expire)
   * or `2025` (before, and forks not yet updated: en construction dossiers expire too).
   */
  rules?: RuleSet;
}

export interface DemarcheInfo {
  number: number;
  title: string;
  dureeConservationMonths: number;
  expiresWhenTermine: boolean;
  showsExpirationColumn: boolean;
  groupeInstructeur: number;
  dossiers: number;
}

export interface DemoInstance {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `http://127.0.0.1:<filesPort>`. */
  filesUrl: string;
  login: { email: string; password: string };
  /** The API bearer token (send `Authorization: Bearer <token>`). */
  token: string;
  /** The expiry rules the instance runs. */
  rules: RuleSet;
  demarches: DemarcheInfo[];
  clock: DemoClock;
  faults: Faults;
  /** DS's own markup, or a variant of its list and dossier pages (`set('no-table')`, `set(null)`). */
  markup: Markup;
  admin: Admin;
  /** Requests counted per route kind since the start or the last `resetMetrics()`. */
  metrics(): ReturnType<Metrics['snapshot']>;
  resetMetrics(): void;
  /** Starts the rate-limit window afresh. */
  resetRateLimit(): void;
  close(): Promise<void>;
}

const INSTRUCTEUR = 'camille.lefebvre@exemple.gouv.fr';
const COLLEAGUES = ['julien.moreau@exemple.gouv.fr', 'sophie.bernard@exemple.gouv.fr'];
const PASSWORD = 'archiviste-demo';
/** How far back the daily jobs are replayed at start, so notices, corbeille and purges are in place. */
const HISTORY_DAYS = 60;

async function dispatch(app: DemoApp, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  let method = req.method ?? 'GET';
  let form: URLSearchParams | null = null;
  // Rails reads `_method` from form posts (`button_to` PATCH/DELETE); the API reads its own body.
  if (method === 'POST' && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/__demo')) {
    if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      form = await readForm(req);
      method = form.get('_method')?.toUpperCase() ?? method;
    }
  }
  const match = router.match(method, url.pathname);
  const kind = match?.route.kind ?? 'other';
  // A browser loads dozens of stylesheets, fonts and icons per page: counting them would drown the
  // requests a client makes.
  if (kind !== 'asset') app.metrics.count(kind);
  app.store.runJobsUntil(app.now());
  if (!match) {
    sendText(res, 404, 'La page que vous demandez n’existe pas.');
    return;
  }
  const ctx: Context = { req, res, url, params: match.params, kind, form };
  if (kind !== 'admin') {
    if (app.faults.signsOut(kind)) app.sessions.endAll();
    const delay = app.faults.delayFor(kind, url.pathname + url.search);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (app.faults.serverErrorFor(kind, url.pathname + url.search)) {
      if (kind === 'graphql')
        sendJson(
          res,
          500,
          graphqlError('Internal Server Error', 'internal_server_error', {
            exception_id: randomBytes(16).toString('hex'),
          }),
        );
      else sendText(res, 500, 'Une erreur est survenue. Nous avons été prévenus et allons la corriger.');
      return;
    }
  }
  await match.route.handler(ctx);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function serve(app: DemoApp, router: Router): Server {
  return createServer((req, res) => {
    dispatch(app, router, req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
}

export async function startDemo(options: DemoOptions = {}): Promise<DemoInstance> {
  const seed = String(options.seed ?? 'archiviste');
  const rules = options.rules ?? DEFAULT_RULES;
  if (!isRuleSet(rules)) throw new Error(`Unknown rules ${String(rules)}: 2026 or 2025`);
  const clock = createClock(options.now);
  const start = clock.now();
  const demarches = buildDemarches(options.demarches ?? 3, start);
  const instructeurs = [INSTRUCTEUR, ...COLLEAGUES];
  const count = options.dossiers ?? 60;
  const dossiers = generateDossiers({ seed, demarches, count, now: start, instructeurs, rules });
  const store = new DemoStore(demarches, dossiers, addDays(start, -HISTORY_DAYS), rules);
  store.runJobsUntil(start);

  const account: Account = { email: INSTRUCTEUR, password: PASSWORD, colleagues: COLLEAGUES };
  const tokens = new TokenRegistry();
  const token = options.token
    ? tokens.add({ id: options.token, bearer: options.token, demarches: null, expiresAt: null })
    : tokens.add(generateToken(createRandom(seed, 'token')));
  const app = new DemoApp(
    store,
    clock,
    new ContentGenerator({ seed, attachmentKb: options.attachmentKb ?? 64, filler: createFiller(seed), instructeurs }),
    account,
    new Sessions(),
    new Signer(randomBytes(32).toString('hex'), () => clock.now()),
    tokens,
    new RateLimiter(),
    new Exports(options.exportDelayMs ?? 3000),
    new Faults(),
    new Metrics(),
  );
  clock.onChange(() => store.runJobsUntil(clock.now()));
  const admin = new Admin(app);

  const mainRouter = new Router();
  const filesRouter = new Router();
  const main = serve(app, mainRouter);
  const files = serve(app, filesRouter);
  const port = await listen(main, options.port ?? 4000);
  const filesPort = await listen(files, options.filesPort ?? (options.port === 0 ? 0 : port + 1));
  app.origin = `http://127.0.0.1:${port}`;
  app.filesOrigin = `http://127.0.0.1:${filesPort}`;

  const demarcheInfos = (): DemarcheInfo[] =>
    store.demarches.map((d) => ({
      number: d.number,
      title: d.title,
      dureeConservationMonths: d.dureeConservationMonths,
      expiresWhenTermine: d.expiresWhenTermine,
      showsExpirationColumn: d.showsExpirationColumn,
      groupeInstructeur: d.groupe.number,
      dossiers: store.dossiersOf(d.number).length,
    }));
  const login = { email: account.email, password: account.password };
  registerAdminRoutes(mainRouter, app, admin, () => ({
    url: app.origin,
    filesUrl: app.filesOrigin,
    login,
    token: token.bearer,
    rules,
    demarches: demarcheInfos(),
  }));
  mainRouter.add('POST', /^\/api\/v2\/graphql\/?$/, 'graphql', (ctx) => graphqlEndpoint(app, ctx));
  mainRouter.add('GET', /^\/api\/v2\/dossiers\/pdf\/(?<sgid>[^/]+)$/, 'download:api-pdf', (ctx) =>
    apiPdfEndpoint(app, ctx),
  );
  registerPageRoutes(mainRouter, app);
  registerAssetRoutes(mainRouter);
  registerStorageRoutes(filesRouter, app);

  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    url: app.origin,
    filesUrl: app.filesOrigin,
    login,
    token: token.bearer,
    rules,
    demarches: demarcheInfos(),
    clock,
    faults: app.faults,
    markup: app.markup,
    admin,
    metrics: () => app.metrics.snapshot(),
    resetMetrics: () => app.metrics.reset(),
    resetRateLimit: () => app.rateLimiter.reset(),
    close: async () => {
      await Promise.all([close(main), close(files)]);
    },
  };
}
