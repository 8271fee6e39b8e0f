/**
 * `npm start [-- <demo:server options>]`: starts the local DS instance (demo/), builds the demo-mode
 * extension, then opens Chromium with it on the instance's /procedures page, signed in (headed, when
 * a display exists). Without a display it prints the address, the login and how to load the
 * extension by hand. Ctrl-C (or closing the browser) stops everything.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { describeDemo, startFromCommandLine } from '../demo/server';
import { findChromium } from '../tests/e2e/chromium';
import { alignExtensionClock, logIn } from '../tests/e2e/demo';

const root = resolve(import.meta.dirname, '..');
const extensionDir = resolve(root, '.output/chrome-mv3-demo');

const demo = await startFromCommandLine(process.argv.slice(2));
console.log(`\n${describeDemo(demo)}\n`);

let context: BrowserContext | undefined;
let profile: string | undefined;
async function stop(): Promise<never> {
  await context?.close().catch(() => {});
  if (profile) rmSync(profile, { recursive: true, force: true });
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

console.log('Construction de l’extension en mode démo…');
execFileSync('npx', ['wxt', 'build', '--mode', 'demo'], { cwd: root, stdio: 'inherit' });

const executablePath = findChromium();
if (executablePath && process.env.DISPLAY) {
  profile = mkdtempSync(join(tmpdir(), 'archiviste-start-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: false,
    viewport: null,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--no-first-run'],
  });
  context.on('close', () => void stop());
  await alignExtensionClock(context, demo);
  const page = context.pages()[0] ?? (await context.newPage());
  await logIn(page, demo);
  console.log(`Chromium est ouvert sur ${demo.url}/procedures avec l’extension, connecté.`);
} else {
  console.log(`\nPas ${executablePath ? 'd’écran ($DISPLAY)' : 'de Chromium'} : chargez l’extension à la main.`);
  console.log(`  1. chrome://extensions → Mode développeur → Charger l’extension non empaquetée → ${extensionDir}`);
  console.log(`  2. ouvrez ${demo.url}/procedures et connectez-vous avec ${demo.login.email} / ${demo.login.password}`);
}
console.log('Ctrl-C pour tout arrêter.');
