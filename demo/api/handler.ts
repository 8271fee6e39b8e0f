/**
 * `POST /api/v2/graphql` as DS answers it (Api::V2::BaseController, GraphqlController, Rack::Attack):
 * rate limit per Authorization header, token checks (network filter 403, expiry 401), token-less
 * calls limited to persisted queries, persisted queries by `queryId` + `operationName`, and
 * graphql-js execution against the subset schema. Also the API's signed dossier PDF URL.
 */
import { randomUUID } from 'node:crypto';
import { type DocumentNode, execute, type GraphQLError, parse, validate } from 'graphql';
import type { DemoApp } from '../app';
import { dossierPdf } from '../files/dossier-files';
import { type Context, contentDisposition, readBody, sendChunks, sendJson } from '../http/server';
import { isValidToken } from '../http/session';
import { type ApiContext, rootValue } from './graph';
import { DEFAULT_LIMIT, THROTTLED_BODY } from './rate-limit';
import { PERSISTED_QUERIES, schema, VALIDATION_RULES } from './schema';

/** `graphql_error`: `{errors: [{message, extensions: {code}}], data: null}`. */
export function graphqlError(message: string, code: string, extra: Record<string, string> = {}) {
  return { errors: [{ message, extensions: { code, ...extra } }], data: null };
}

/** `IPAddr#to_string/prefix` of the caller, as in the forbidden-network message. */
function callerNetwork(address: string | undefined): string {
  const ip = (address ?? '127.0.0.1').replace(/^::ffff:/, '');
  return ip.includes(':') ? `${ip === '::1' ? '0000:0000:0000:0000:0000:0000:0000:0001' : ip}/128` : `${ip}/32`;
}

interface GraphqlParams {
  query?: unknown;
  queryId?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

export async function graphqlEndpoint(app: DemoApp, { req, res }: Context): Promise<void> {
  const authorization = req.headers.authorization;
  if (authorization) {
    const throttle = app.rateLimiter.check(authorization, app.faults.rateLimit ?? DEFAULT_LIMIT);
    if (!throttle.allowed) {
      res.writeHead(429, {
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': String(throttle.retryAfter),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(throttle.reset),
      });
      res.end(THROTTLED_BODY);
      return;
    }
  }

  let params: GraphqlParams;
  try {
    const body = (await readBody(req)).toString('utf8');
    params = (req.headers['content-type'] ?? '').includes('application/json')
      ? (JSON.parse(body || '{}') as GraphqlParams)
      : Object.fromEntries(new URLSearchParams(body));
  } catch (error) {
    sendJson(res, 400, graphqlError((error as Error).message, 'bad_request'));
    return;
  }

  const token = app.tokens.authenticate(authorization);
  let demarches: ReadonlySet<number> | null;
  if (token) {
    if (app.faults.forbiddenNetwork) {
      const network = callerNetwork(req.socket.remoteAddress);
      const message = `Request issued from a forbidden network. Add ${network} to your allowed adresses in your /profil`;
      sendJson(res, 403, graphqlError(message, 'forbidden'));
      return;
    }
    if (app.faults.tokenExpiredFor() || (token.expiresAt && token.expiresAt < app.now())) {
      sendJson(res, 401, graphqlError('Token expired', 'unauthorized'));
      return;
    }
    demarches = token.demarches ? new Set(token.demarches) : null;
  } else {
    // The web GraphiQL path: a signed-in administrateur session with a valid CSRF header.
    const session = app.sessions.find(req);
    const csrf = req.headers['x-csrf-token'];
    if (session?.email && isValidToken(session, typeof csrf === 'string' ? csrf : undefined)) {
      demarches = null;
    } else if (!params.queryId) {
      sendJson(res, 403, graphqlError('Without a token, only persisted queries are allowed', 'forbidden'));
      return;
    } else {
      demarches = new Set();
    }
  }

  let variables: Record<string, unknown>;
  try {
    const raw = params.variables;
    variables = typeof raw === 'string' ? (raw ? JSON.parse(raw) : {}) : ((raw as Record<string, unknown>) ?? {});
  } catch (error) {
    sendJson(res, 400, graphqlError((error as Error).message, 'graphql_parse_failed'));
    return;
  }

  let document: DocumentNode;
  if (params.queryId) {
    const stored = PERSISTED_QUERIES[String(params.queryId)];
    if (!stored) {
      sendJson(res, 400, graphqlError(`No query with id "${String(params.queryId)}"`, 'bad_request'));
      return;
    }
    document = stored;
  } else if (typeof params.query === 'string' && params.query.trim()) {
    try {
      document = parse(params.query);
    } catch (error) {
      sendJson(res, 200, { errors: [(error as GraphQLError).toJSON()] });
      return;
    }
  } else {
    sendJson(res, 200, { errors: [{ message: 'No query string was present' }] });
    return;
  }

  const validationErrors = validate(schema, document, VALIDATION_RULES);
  if (validationErrors.length > 0) {
    sendJson(res, 200, { errors: validationErrors.map((e) => e.toJSON()) });
    return;
  }
  const context: ApiContext = { app, demarches, origin: `http://${req.headers.host}` };
  try {
    const result = await execute({
      schema,
      document,
      rootValue,
      contextValue: context,
      variableValues: variables,
      operationName: typeof params.operationName === 'string' ? params.operationName : undefined,
    });
    sendJson(res, 200, result);
  } catch (error) {
    console.error(error);
    sendJson(res, 500, graphqlError('Internal Server Error', 'internal_server_error', { exception_id: randomUUID() }));
  }
}

/** `GET /api/v2/dossiers/pdf/:sgid`: no token needed, the signed id is the credential (1 h). */
export async function apiPdfEndpoint(app: DemoApp, { res, params }: Context): Promise<void> {
  const number = app.signer.locateSgid(params.sgid ?? '', 'api_v2');
  const dossier = number === null ? undefined : app.store.dossier(Number(number));
  if (!dossier) {
    res.writeHead(401).end();
    return;
  }
  const pdf = dossierPdf(dossier, app.demarcheOf(dossier), app.contentOf(dossier), app.store.rules);
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': pdf.size,
    'content-disposition': contentDisposition('inline', `dossier-${dossier.number}.pdf`),
  });
  app.metrics.addBytes(await sendChunks(res, pdf.chunks()));
}
