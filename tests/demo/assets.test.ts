import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { resolveDsfrFile } from '../../demo/pages/assets';
import { Browser, start } from './helpers';

const DIST = join(dirname(createRequire(import.meta.url).resolve('@gouvfr/dsfr/package.json')), 'dist');
const STYLESHEETS = ['/dsfr/dsfr.min.css', '/dsfr/utility/utility.min.css', '/assets/application.css'];

/** A GET with the path sent as is (fetch would normalise `..` away before sending it). */
function rawGet(demo: DemoInstance, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(demo.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The files a stylesheet references with relative `url(…)`s, resolved against its folder. */
function referencedFiles(stylesheet: string): string[] {
  const css = readFileSync(join(DIST, stylesheet), 'utf8');
  const urls = [...css.matchAll(/url\(["']?([^"')]+)["']?\)/g)].map((m) => m[1]!).filter((u) => !u.startsWith('data:'));
  return [...new Set(urls.map((u) => join(dirname(stylesheet), u).split('#')[0]!.split('?')[0]!))];
}

describe('the DSFR, served like DS serves it', () => {
  let demo: DemoInstance;
  beforeAll(async () => {
    demo = await start({ dossiers: 6 });
  });
  afterAll(() => demo.close());

  it('every page links the DSFR stylesheets, its utilities and DS’s own rules, in that order', async () => {
    const browser = new Browser(demo);
    const signIn = await browser.page('/users/sign_in');
    await browser.signIn();
    const dossier = demo.admin.dossiers()[0]!;
    for (const page of [
      signIn,
      await browser.page('/procedures'),
      await browser.page(`/procedures/${dossier.demarche}/tous`),
      await browser.page(`/procedures/${dossier.demarche}/tous/dossiers/${dossier.number}`),
    ]) {
      const links = [...page.querySelectorAll('head > link[rel="stylesheet"]')];
      expect(links.map((l) => l.getAttribute('href'))).toEqual(STYLESHEETS);
      expect(links.every((l) => l.getAttribute('media') === 'all')).toBe(true);
    }
  });

  it('serves the stylesheets as CSS, cacheable, without a session and outside the metrics', async () => {
    demo.resetMetrics();
    for (const path of STYLESHEETS) {
      const response = await fetch(`${demo.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
      const etag = response.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      const css = await response.text();
      expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(css));
      const again = await fetch(`${demo.url}${path}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
    const dsfr = await (await fetch(`${demo.url}/dsfr/dsfr.min.css`)).text();
    expect(dsfr).toContain('url(fonts/Marianne-Regular.woff2)');
    expect(dsfr).toContain('.fr-header');
    expect(demo.metrics().requests.total).toBe(0);
  });

  it('serves the fonts and icons the stylesheets reference, with their types', async () => {
    const font = await fetch(`${demo.url}/dsfr/fonts/Marianne-Regular.woff2`);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    const bytes = Buffer.from(await font.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('wOF2');
    expect(bytes.length).toBe(statSync(join(DIST, 'fonts/Marianne-Regular.woff2')).size);
    const icon = await fetch(`${demo.url}/dsfr/icons/system/close-line.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toContain('<svg');
    const head = await fetch(`${demo.url}/dsfr/fonts/Marianne-Bold.woff`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('font/woff');
    // Every file the two DSFR stylesheets reference is there to serve.
    const referenced = [...referencedFiles('dsfr.min.css'), ...referencedFiles('utility/utility.min.css')];
    expect(referenced.length).toBeGreaterThan(1000);
    const missing = referenced.filter((file) => typeof resolveDsfrFile(encodeURI(file)) === 'string');
    expect(missing).toEqual([]);
  });

  it('refuses to leave the DSFR’s dist/ folder, and serves only stylesheets, fonts and images', async () => {
    for (const path of [
      '/dsfr/..%2f..%2fpackage.json',
      '/dsfr/..%2F..%2F..%2F..%2Fpackage.json',
      '/dsfr/%2e%2e%2f%2e%2e%2fpackage.json',
      '/dsfr/fonts/..%5c..%5cpackage.json',
      '/dsfr/..%2f..%2f..%2f..%2fdemo%2fpages%2fapplication.css',
      '/dsfr/fonts%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/dsfr/dsfr.min.css%00.svg',
    ]) {
      const { status, body } = await rawGet(demo, path);
      expect(status, path).toBe(403);
      expect(body).not.toContain('"name"');
    }
    // Plain `..` segments never reach the route: the URL is normalised first, like any server does.
    for (const path of ['/dsfr/../../package.json', '/dsfr/../../../../etc/passwd']) {
      const { status, body } = await rawGet(demo, path);
      expect(status, path).toBe(404);
      expect(body).not.toContain('"name"');
    }
    expect((await fetch(`${demo.url}/dsfr/dsfr.module.min.js`)).status).toBe(403);
    expect((await fetch(`${demo.url}/dsfr/nothing-here.css`)).status).toBe(404);
    expect((await fetch(`${demo.url}/dsfr/fonts`)).status).toBe(403);
  });
});
