/**
 * `npm start`: builds the demo-mode extension, serves DS pages on loopback and opens Chromium with
 * the extension loaded (headed when a display exists; otherwise prints how to load it by hand).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findChromium } from '../tests/e2e/chromium';
import { fixtureHtml, PAGES, type PageName } from '../tests/fixtures/pages';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 4000);
const extensionDir = resolve(root, '.output/chrome-mv3-demo');

execFileSync('npx', ['wxt', 'build', '--mode', 'demo'], { cwd: root, stdio: 'inherit' });

const byPath = new Map(
  (Object.keys(PAGES) as PageName[]).map((name) => [new URL(PAGES[name].url).pathname, name] as const),
);
const server = createServer((req, res) => {
  const name = byPath.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (!name) {
    res.writeHead(302, { location: '/procedures' }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixtureHtml(name));
});
server.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${port}/procedures`;
  console.log(`\nPages DS servies sur ${url}`);
  const chromium = findChromium();
  if (chromium && process.env.DISPLAY) {
    const profile = mkdtempSync(join(tmpdir(), 'archiviste-start-'));
    spawn(chromium, [`--user-data-dir=${profile}`, `--load-extension=${extensionDir}`, '--no-first-run', url], {
      stdio: 'ignore',
    });
  } else {
    console.log(`Pas d'écran : chargez l'extension à la main depuis ${extensionDir}`);
    console.log(
      '(chrome://extensions → Mode développeur → Charger l’extension non empaquetée), puis ouvrez l’adresse ci-dessus.',
    );
  }
  console.log('Ctrl-C pour tout arrêter.');
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
