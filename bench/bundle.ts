import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Logger } from 'wxt';
import type { Benchmark, Row } from './harness';

/**
 * Sizes of the production build, raw and gzipped, per thing the browser loads: the service worker,
 * the content script (in every DS tab, so it has a budget) and each page with the chunks it pulls.
 * There is no baseline build to compare with, so the ratio column gives gzip/raw instead.
 */

/** The content script runs in every DS tab: past this, find what grew before raising it. */
export const CONTENT_SCRIPT_BUDGET_KB = 60;
/** Apart from `npm run build`'s `.output/chrome-mv3`, which `npm start` may be serving. */
const OUT_DIR = '.output/bench';
const KB = 1000;

/** WXT's warnings and errors only: the table is the output. */
export const quiet: Logger = {
  debug: () => {},
  log: () => {},
  info: () => {},
  success: () => {},
  warn: (...args) => console.error(...args),
  error: (...args) => console.error(...args),
  fatal: (...args) => console.error(...args),
  level: 1,
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** An HTML page and the scripts, preloaded chunks and stylesheets it references. */
async function pageFiles(dir: string, page: string): Promise<string[]> {
  const html = await readFile(join(dir, page), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return [page, ...referenced];
}

export const bundleSizes: Benchmark = {
  name: 'bundle',
  title: 'Bundle sizes',
  run: async () => {
    await build({ outDir: OUT_DIR, mode: 'production', logger: quiet });
    const dir = join(OUT_DIR, 'chrome-mv3');
    const size = async (files: readonly string[]) => {
      const contents = await Promise.all(files.map((f) => readFile(join(dir, f))));
      return {
        raw: contents.reduce((sum, c) => sum + c.length, 0) / KB,
        gzip: contents.reduce((sum, c) => sum + gzipSync(c).length, 0) / KB,
      };
    };
    const row = async (name: string, files: readonly string[], note = ''): Promise<Row & { archiviste: number }> => {
      const { raw, gzip } = await size(files);
      return {
        case: `Bundle: ${name}`,
        measure: `size, raw${note}`,
        unit: 'kB',
        archiviste: raw,
        baseline: null,
        ratio: `gzip ${gzip.toFixed(1)} kB (${(gzip / raw).toFixed(2)})`,
      };
    };
    const content = await row(
      'content script (`content-scripts/ds.js`)',
      ['content-scripts/ds.js'],
      `; budget ${CONTENT_SCRIPT_BUDGET_KB} kB`,
    );
    const rows = [
      await row('service worker (`background.js`)', ['background.js']),
      content,
      await row('popup (HTML, scripts, CSS)', await pageFiles(dir, 'popup.html')),
      await row('options (HTML, scripts, CSS)', await pageFiles(dir, 'options.html')),
      await row('offscreen page reader', await pageFiles(dir, 'offscreen.html')),
      await row('whole extension (icons, locales included)', await filesUnder(dir)),
    ];
    return {
      rows,
      notes: [
        `Bundle sizes — production Chrome build (\`wxt build\` into \`${OUT_DIR}\`); a page counts the chunks it loads, shared ones included. No baseline build: the ratio column gives the gzip size and gzip/raw. The content script must stay under ${CONTENT_SCRIPT_BUDGET_KB} kB raw (it runs in every DS tab): \`npm run bench -- bundle\` exits non-zero above it.`,
      ],
      failures:
        content.archiviste > CONTENT_SCRIPT_BUDGET_KB
          ? [
              `content script is ${content.archiviste.toFixed(1)} kB raw, over its ${CONTENT_SCRIPT_BUDGET_KB} kB budget`,
            ]
          : [],
    };
  },
};
