/**
 * The admin endpoint, `/__demo/…` on the main port (JSON in, JSON out). It mirrors the programmatic
 * API so e2e tests and `npm start` users drive the instance the same way; see demo/README.md.
 */
import type { DemoApp } from '../app';
import type { DossierState } from '../data/model';
import type { FaultSettings } from '../http/faults';
import { type Context, type Router, readBody, sendJson } from '../http/server';
import { isMarkupVariant, MARKUP_VARIANTS, type MarkupVariant } from '../pages/markup';
import { isStatut } from '../rules/statuts';
import { DAY_MS } from '../time';
import type { Admin, NewDossier, NewMessage, TokenOptions } from './admin';

async function json<T>(ctx: Context): Promise<T> {
  const body = (await readBody(ctx.req)).toString('utf8');
  return (body ? JSON.parse(body) : {}) as T;
}

/** Wraps a handler: its result is the JSON answer; a thrown error is a 400 `{error}`. */
function endpoint(run: (ctx: Context) => unknown): (ctx: Context) => Promise<void> {
  return async (ctx) => {
    try {
      sendJson(ctx.res, 200, (await run(ctx)) ?? { ok: true });
    } catch (error) {
      sendJson(ctx.res, 400, { error: (error as Error).message });
    }
  };
}

export interface InstanceInfo {
  url: string;
  filesUrl: string;
  login: { email: string; password: string };
  token: string;
  rules: string;
  demarches: unknown[];
}

export function registerAdminRoutes(router: Router, app: DemoApp, admin: Admin, info: () => InstanceInfo): void {
  const add = (method: string, path: string, run: (ctx: Context) => unknown) =>
    router.add(method, new RegExp(`^/__demo${path}$`), 'admin', endpoint(run));

  add('GET', '/?', () => ({
    ...info(),
    now: app.now().toISOString(),
    faults: app.faults.current(),
    metrics: app.metrics.snapshot(),
  }));

  add('GET', '/clock', () => ({ now: app.now().toISOString() }));
  add('POST', '/clock', async (ctx) => {
    const body = await json<{ now?: string; advanceMs?: number; advanceDays?: number }>(ctx);
    if (body.now !== undefined) app.clock.set(body.now);
    if (body.advanceMs !== undefined) app.clock.advance(body.advanceMs);
    if (body.advanceDays !== undefined) app.clock.advance(body.advanceDays * DAY_MS);
    return { now: app.now().toISOString() };
  });

  add('GET', '/faults', () => app.faults.current());
  add('POST', '/faults', async (ctx) => {
    app.faults.set(await json<FaultSettings>(ctx));
    return app.faults.current();
  });
  add('DELETE', '/faults', () => {
    app.faults.clear();
    return app.faults.current();
  });

  add('GET', '/markup', () => ({ variant: app.markup.variant }));
  add('POST', '/markup', async (ctx) => {
    const { variant } = await json<{ variant?: MarkupVariant | null }>(ctx);
    if (variant !== null && !isMarkupVariant(variant))
      throw new Error(`variant: ${MARKUP_VARIANTS.join(', ')} or null`);
    app.markup.set(variant);
    return { variant: app.markup.variant };
  });
  add('DELETE', '/markup', () => {
    app.markup.set(null);
    return { variant: null };
  });

  add('GET', '/metrics', () => app.metrics.snapshot());
  add('DELETE', '/metrics', () => {
    app.metrics.reset();
    return app.metrics.snapshot();
  });
  add('DELETE', '/rate-limit', () => app.rateLimiter.reset());

  add('GET', '/dossiers', (ctx) => {
    const q = ctx.url.searchParams;
    const statut = q.get('statut') ?? undefined;
    if (statut !== undefined && !isStatut(statut)) throw new Error(`Unknown statut ${statut}`);
    const oldDaysLeftAtMost = q.has('oldDaysLeftAtMost') ? Number(q.get('oldDaysLeftAtMost')) : undefined;
    if (Number.isNaN(oldDaysLeftAtMost)) throw new Error('oldDaysLeftAtMost expects a number of days');
    return admin.dossiers({
      demarche: q.has('demarche') ? Number(q.get('demarche')) : undefined,
      state: (q.get('state') as DossierState | null) ?? undefined,
      statut,
      oldDaysLeftAtMost,
    });
  });
  add('POST', '/dossiers', async (ctx) => {
    const body = await json<NewDossier & { count?: number }>(ctx);
    return Array.from({ length: body.count ?? 1 }, () => admin.addDossier(body));
  });
  add('GET', '/dossiers/(?<n>\\d+)', (ctx) => {
    const summary = admin.dossier(Number(ctx.params.n));
    if (!summary) throw new Error(`No dossier ${ctx.params.n}`);
    return summary;
  });
  add('POST', '/dossiers/(?<n>\\d+)/vanish', async (ctx) => {
    const { into } = await json<{ into?: 'corbeille' | 'deleted' }>(ctx);
    return { dossier: admin.vanish(Number(ctx.params.n), into) };
  });
  add('POST', '/dossiers/(?<n>\\d+)/messages', async (ctx) =>
    admin.postMessage(Number(ctx.params.n), await json<NewMessage>(ctx)),
  );
  add('GET', '/deleted-dossiers', (ctx) => {
    const demarche = ctx.url.searchParams.get('demarche');
    return admin.deletedDossiers(demarche === null ? undefined : Number(demarche));
  });

  add('POST', '/tokens', async (ctx) => {
    const token = admin.createToken(await json<TokenOptions>(ctx));
    return { token: token.bearer, demarches: token.demarches, expiresAt: token.expiresAt?.toISOString() ?? null };
  });
  add('POST', '/sessions', () => ({ cookie: admin.sessionCookie() }));
}
