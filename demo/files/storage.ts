/**
 * The storage origin (the files port): serves attachments, attestations and export files at signed
 * Swift-style temp URLs, like the object storage behind DS's `DS_PROXY_URL`. A bad or expired
 * signature gets 401; a file whose dossier was purged, 404.
 */
import type { DemoApp } from '../app';
import { type Context, contentDisposition, type Router, sendChunks, sendText } from '../http/server';
import { EXPORT_CONTENT_TYPES, exportFile } from './exports';
import type { ByteSource } from './pdf';
import { STORAGE_PREFIX } from './signing';

interface Served {
  contentType: string;
  size: number | null;
  chunks: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

function servedFile(app: DemoApp, key: string): Served | null {
  const found = app.findFile(key);
  if (found) {
    const source: ByteSource = found.file.source;
    return { contentType: found.file.contentType, size: source.size, chunks: () => source.chunks() };
  }
  const record = app.exports.byKey(key);
  if (!record || !app.exports.isReady(record, app.now())) return null;
  const demarche = app.store.demarcheOrThrow(record.demarche);
  const dossiers = function* () {
    for (const number of record.dossiers) {
      const dossier = app.store.dossier(number);
      if (dossier) yield { dossier, content: app.contentOf(dossier) };
    }
  };
  return {
    contentType: EXPORT_CONTENT_TYPES[record.format],
    size: null,
    chunks: () => exportFile(record, demarche, dossiers(), app.store.rules),
  };
}

async function serve(app: DemoApp, ctx: Context): Promise<void> {
  const { res, url } = ctx;
  if (!app.signer.verifyFileUrl(url)) {
    sendText(res, 401, '401 Unauthorized: Temp URL invalid');
    return;
  }
  const served = servedFile(app, ctx.params.key ?? '');
  if (!served) {
    sendText(res, 404, '404 Not Found');
    return;
  }
  const filename = url.searchParams.get('filename') ?? ctx.params.key ?? 'file';
  res.writeHead(200, {
    'content-type': served.contentType,
    ...(served.size === null ? {} : { 'content-length': served.size }),
    'content-disposition': contentDisposition(url.searchParams.has('inline') ? 'inline' : 'attachment', filename),
  });
  if (ctx.req.method === 'HEAD') {
    res.end();
    return;
  }
  const truncateAt = app.faults.truncates(ctx.kind, url.pathname + url.search)
    ? Math.floor((served.size ?? 8192) / 2)
    : undefined;
  app.metrics.addBytes(await sendChunks(res, served.chunks(), truncateAt));
}

export function registerStorageRoutes(router: Router, app: DemoApp): void {
  router.add('GET', new RegExp(`^${STORAGE_PREFIX}(?<key>[a-z0-9]+)$`), 'file', (ctx) => serve(app, ctx));
}
