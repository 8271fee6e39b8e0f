import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/** `$CHROME_PATH`, then the first of chromium, chromium-browser, google-chrome on PATH. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of CANDIDATES) {
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
 * The e2e suite runs when Chromium is there. Outside CI a missing Chromium skips the suite with one
 * loud line; on CI (`CI=true`) the suite stays on and fails, so a broken machine cannot pass green.
 */
export function e2eEnabled(): boolean {
  if (findChromium()) return true;
  if (process.env.CI === 'true') return true;
  console.warn(
    '\n⚠  END-TO-END TESTS SKIPPED: no Chromium found ($CHROME_PATH, chromium, chromium-browser, google-chrome).' +
      ' Install it with `sudo apt-get install chromium chromium-l10n` (Debian/Ubuntu) or set CHROME_PATH.\n',
  );
  return false;
}
