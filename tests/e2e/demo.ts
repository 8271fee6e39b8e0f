import type { BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { type DemoInstance, type DemoOptions, startDemo } from '../../demo/instance';
import { hashToken, registerInstance } from './network-recorder';

/** The instant e2e instances start at, so dates, countdowns and screenshots repeat across runs. */
export const DEMO_NOW = '2026-01-15T10:00:00+01:00';

/**
 * A local DS instance on free ports, its clock at `DEMO_NOW` (override any option), registered with
 * the e2e request recorder (tests/e2e/network-recorder.ts) with its token and every token a test creates on it: the browser may reach
 * it, and send each of those tokens to its API only.
 */
export async function startDemoForTest(options: DemoOptions = {}): Promise<DemoInstance> {
  const demo = await startDemo({ port: 0, now: DEMO_NOW, exportDelayMs: 500, ...options });
  const networkDir = inject('networkDir');
  const register = (tokens: string[]) =>
    registerInstance(networkDir, {
      url: demo.url,
      filesUrl: demo.filesUrl,
      tokenHashes: tokens.map(hashToken),
    });
  register([demo.token]);
  const createToken = demo.admin.createToken.bind(demo.admin);
  demo.admin.createToken = (tokenOptions) => {
    const token = createToken(tokenOptions);
    register([token.bearer]);
    return token;
  };
  return demo;
}

/** Signs in through DS's own form, as a user would; the page ends on /procedures. */
export async function logIn(page: Page, demo: DemoInstance): Promise<void> {
  await page.goto(`${demo.url}/users/sign_in`);
  await page.fill('#user_email', demo.login.email);
  await page.fill('#user_password', demo.login.password);
  await Promise.all([page.waitForURL(`${demo.url}/procedures**`), page.click('#new_user input[type="submit"]')]);
}

/**
 * Shifts the demo-mode extension's clock (`demoClockOffsetMs`, see lib/platform/clock.ts) to the instance's,
 * so both travel in time together; call again after `demo.clock.set()`.
 */
export async function alignExtensionClock(context: BrowserContext, demo: DemoInstance): Promise<void> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(
    (ms) => chrome.storage.local.set({ demoClockOffsetMs: ms }),
    demo.clock.now().getTime() - Date.now(),
  );
}

/** A file DS's API lists for a dossier, as the API says it. */
export interface ApiFile {
  filename: string;
  checksum: string;
  size: number;
}

/**
 * Every file DS's API lists for a dossier (champs, annotations, messages, avis, motivation,
 * attestation), asked with the demo's token (never the extension's); null when the API no longer
 * gives the dossier.
 */
export async function apiFiles(demo: DemoInstance, number: number): Promise<ApiFile[] | null> {
  const file = 'filename checksum byteSizeBigInt';
  const files = `... on PieceJustificativeChamp { files { ${file} } }`;
  const query = `query { dossier(number: ${number}) {
    champs { ${files} ... on RepetitionChamp { rows { champs { ${files} } } } }
    annotations { ${files} }
    messages { attachments { ${file} } }
    avis { attachments { ${file} } }
    motivationAttachment { ${file} }
    attestation { ${file} }
  } }`;
  const response = await fetch(`${demo.url}/api/v2/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data: { dossier: unknown } | null };
  if (!body.data?.dossier) return null;
  const found: ApiFile[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.checksum === 'string' && typeof record.filename === 'string') {
        found.push({ filename: record.filename, checksum: record.checksum, size: Number(record.byteSizeBigInt) });
      } else for (const item of Object.values(record)) walk(item);
    }
  };
  walk(body.data.dossier);
  return found;
}
