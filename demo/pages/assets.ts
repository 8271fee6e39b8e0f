/**
 * The pages' static assets, so they look like DS's:
 * - the DSFR (the French state's design system) as DS serves it: its stylesheets, Marianne fonts and
 *   icons, read from the pinned `@gouvfr/dsfr` package (`dist/`) at `/dsfr/…`. DS bundles the same
 *   files with Vite (its `main.css` imports `@gouvfr/dsfr/dist/core`, `utility` and the components
 *   it uses); the demo links the package's complete builds. No DSFR JavaScript is served: the pages
 *   run none, like the fixtures;
 * - `/assets/application.css`, the few rules of DS's own stylesheet the markup needs (application.css).
 *
 * Static and public (no session), cacheable for a day with ETag revalidation; anything outside
 * `dist/`, or of another type than the stylesheets and what they reference, is refused.
 */
import { createReadStream, realpathSync, type Stats, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Context, type Router, sendText } from '../http/server';

export const DSFR_PREFIX = '/dsfr/';
const APPLICATION_CSS = '/assets/application.css';

/**
 * The stylesheets every page links, in DS's order: the DSFR and its utilities (icons, colours) in
 * `main.css`, then DS's own `application.css`.
 */
export const STYLESHEETS = [
  `${DSFR_PREFIX}dsfr.min.css`,
  `${DSFR_PREFIX}utility/utility.min.css`,
  APPLICATION_CSS,
] as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const CACHE_CONTROL = 'public, max-age=86400';

let distRoot: string | null = null;

/** `node_modules/@gouvfr/dsfr/dist`, resolved once (real path, so symlinked installs work). */
function dsfrDist(): string {
  distRoot ??= realpathSync(join(dirname(createRequire(import.meta.url).resolve('@gouvfr/dsfr/package.json')), 'dist'));
  return distRoot;
}

/**
 * The file a URL path (below `/dsfr/`, still percent-encoded) names, or why not: `refused` for
 * anything that would leave `dist/` (`..`, encoded slashes or dots, backslashes, NUL, symlinks out)
 * or is not a served type, `missing` for what does not exist.
 */
export function resolveDsfrFile(encoded: string): { file: string; stats: Stats } | 'refused' | 'missing' {
  let relative: string;
  try {
    relative = decodeURIComponent(encoded);
  } catch {
    return 'refused';
  }
  if (relative.includes('\0') || relative.includes('\\')) return 'refused';
  if (relative.split('/').some((segment) => segment === '..' || segment === '.')) return 'refused';
  if (!Object.hasOwn(CONTENT_TYPES, extname(relative).toLowerCase())) return 'refused';
  const root = dsfrDist();
  const file = resolve(root, relative);
  if (!file.startsWith(root + sep)) return 'refused';
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return 'missing';
  }
  if (!real.startsWith(root + sep)) return 'refused';
  const stats = statSync(real);
  return stats.isFile() ? { file: real, stats } : 'missing';
}

/** Sends a static file with its type, its validators and DS-like caching; HEAD and 304 supported. */
function sendStatic({ req, res }: Context, file: string, stats: Stats): void {
  const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const headers = {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()]!,
    'cache-control': CACHE_CONTROL,
    etag,
    'last-modified': stats.mtime.toUTCString(),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': stats.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

function serveDsfr(ctx: Context): void {
  const found = resolveDsfrFile(ctx.params.path ?? '');
  if (found === 'refused') sendText(ctx.res, 403, 'Forbidden');
  else if (found === 'missing') sendText(ctx.res, 404, 'La page que vous demandez n’existe pas.');
  else sendStatic(ctx, found.file, found.stats);
}

export function registerAssetRoutes(router: Router): void {
  router.add('GET', /^\/dsfr\/(?<path>.+)$/, 'asset', serveDsfr);
  const application = fileURLToPath(new URL('./application.css', import.meta.url));
  router.add('GET', /^\/assets\/application\.css$/, 'asset', (ctx) =>
    sendStatic(ctx, application, statSync(application)),
  );
}
