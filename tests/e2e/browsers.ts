import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Finding a browser for an end-to-end project (Chromium's in tests/e2e/chromium.ts, Firefox's in
 * tests/e2e-firefox/firefox.ts), and the rule for when it is missing.
 */

/** `$<envVar>` when it names a file, then the first of `names` on PATH. */
export function findBrowser(envVar: string, names: readonly string[]): string | null {
  const fromEnv = process.env[envVar];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of names) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (path) return path;
    } catch {
      // not on PATH: try the next one
    }
  }
  return null;
}

/**
 * A browser's project runs when the browser is there. Outside CI a missing one skips the project
 * with one loud line (`skipped`); on CI (`CI=true`) it stays on and fails, so a broken machine
 * cannot pass green.
 */
export function browserTestsEnabled(found: string | null, skipped: string): boolean {
  if (found) return true;
  if (process.env.CI === 'true') return true;
  console.warn(`\n⚠  ${skipped}\n`);
  return false;
}
