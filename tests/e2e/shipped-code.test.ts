import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_MATCHES, KNOWN_MATCHES } from '../../lib/ds/instances';
import { BROWSER_OWN_HOSTS } from './network-recorder';

/**
 * Issue 12 §5, read from what ships: the demo build the e2e suite loads (the production build differs
 * only by its loopback hosts). No code is evaluated from strings and none is fetched; the manifest
 * asks only for what the bundle calls; our sources never write markup from strings.
 */

const ROOT = resolve(import.meta.dirname, '../..');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

interface Manifest {
  permissions: string[];
  host_permissions: string[];
  content_security_policy: { extension_pages: string };
  content_scripts: { matches: string[] }[];
}

/** Each permission, and the calls of the bundle that need it: none may be asked for without its calls. */
const PERMISSION_CALLS: Record<string, RegExp> = {
  // WXT's storage reaches the areas by name (`storage[area].get`); lib/platform/settings, page-markup.
  storage: /\.storage(?:\[\w+\]|\.(?:local|session|sync))\.(?:get|set|remove)\(/,
  alarms: /\.alarms\.(?:create|get|clear|onAlarm)\b/,
  notifications: /\.notifications\.(?:create|clear|onClicked)\b/,
  downloads: /\.downloads\.(?:download|search|onChanged)\b/,
  scripting: /\.scripting\.(?:registerContentScripts|unregisterContentScripts|getRegisteredContentScripts)\b/,
  offscreen: /\.offscreen\.createDocument\b/,
};

const CORE_JS_GLOBAL_FALLBACK =
  'r(typeof globalThis==`object`&&globalThis)||r(typeof window==`object`&&window)||r(typeof self==`object`&&self)||r(typeof global==`object`&&global)||r(typeof n==`object`&&n)||(function(){return this})()||Function(`return this`)()';

describe('the shipped extension', () => {
  const dir = inject('extensionDir');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const scripts = filesUnder(dir, (name) => name.endsWith('.js'));
  const bundle = scripts.map((path) => readFileSync(path, 'utf8')).join('\n');

  it('evaluates no string as code, and its pages could not: no unsafe-eval in the CSP', () => {
    expect(scripts.length).toBeGreaterThan(3);
    for (const path of scripts) {
      // The one allowed: core-js's global lookup (bundled by jsPDF's canvg), whose `Function('return
      // this')` runs only when `globalThis` is missing, never in a browser that runs MV3 (and MV3's CSP
      // would refuse it). Only in that exact form, right after the `globalThis` check.
      const code = readFileSync(path, 'utf8').replaceAll(CORE_JS_GLOBAL_FALLBACK, '');
      expect(code, relative(dir, path)).not.toMatch(/\beval\(|new Function\(|\bFunction\(\s*["'`]/);
    }
    // MV3 refuses anything looser than 'self' for scripts; WebAssembly only for hash-wasm's MD5.
    expect(manifest.content_security_policy.extension_pages).toBe(
      "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    );
  });

  it('loads no remote script: every page’s scripts are its own files', () => {
    const pages = filesUnder(dir, (name) => name.endsWith('.html'));
    expect(pages.map((path) => relative(dir, path)).sort()).toEqual(
      expect.arrayContaining(['options.html', 'popup.html', 'offscreen.html', 'archive.html']),
    );
    for (const path of pages) {
      const html = readFileSync(path, 'utf8');
      const sources = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
      expect(sources.length, relative(dir, path)).toBeGreaterThan(0);
      for (const src of sources) expect(src, relative(dir, path)).toMatch(/^\/[\w./-]+\.js$/);
    }
    expect(bundle).not.toMatch(/import\(\s*["'`]https?:/);
  });

  it('asks for each permission it calls, and for none it does not', () => {
    expect([...manifest.permissions].sort()).toEqual(Object.keys(PERMISSION_CALLS).sort());
    for (const [permission, calls] of Object.entries(PERMISSION_CALLS)) expect(bundle, permission).toMatch(calls);
    // Hosts: DS's known instances, and loopback in this demo build only (others are asked one by one).
    expect(manifest.host_permissions).toEqual([...KNOWN_MATCHES, ...DEMO_MATCHES]);
    for (const script of manifest.content_scripts) expect(script.matches).toEqual([...KNOWN_MATCHES, ...DEMO_MATCHES]);
  });

  it('names none of the hosts the browsers themselves call (the request recorder counts those apart)', () => {
    for (const host of Object.values(BROWSER_OWN_HOSTS).flat()) expect(bundle.includes(host), host).toBe(false);
  });
});

describe('our sources', () => {
  it('never write markup from a string (innerHTML and its kin): dossier values are untrusted', () => {
    const sources = ['lib', 'entrypoints', 'components'].flatMap((top) =>
      filesUnder(join(ROOT, top), (name) => /\.tsx?$/.test(name)),
    );
    expect(sources.length).toBeGreaterThan(50);
    for (const path of sources) {
      expect(readFileSync(path, 'utf8'), relative(ROOT, path)).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|\beval\(|new Function\(|document\.write\(/,
      );
    }
  });
});
