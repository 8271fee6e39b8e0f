import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { CDPSession, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { demarchesKnown, readTable, syncNow } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 4, point 6: the API token lives only in extension-private storage (nothing a content script
 * or the DS page can read), is never logged, and is sent only to its own instance's
 * `/api/v2/graphql`. Two instances run: the token belongs to the first; the second must never see it.
 * Assertions never print the token.
 */
describe('the API token stays private', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  /** Another DS instance the user is also signed in to (token-less there). */
  let other: DemoInstance;
  let token: string;
  let ds: Page;

  /** Every request Chromium sent (pages, service worker, offscreen): what it carried. */
  const sent: Promise<{ method: string; url: string; headers: Record<string, string>; body: string }>[] = [];
  /** Every request the two instances received. */
  const received: { host: string; method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const onRequest = ({ request }: { request: IncomingMessage }) => {
    received.push({
      host: request.headers.host ?? '',
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
    });
  };
  /** Console output of every extension context and page. */
  const logs: string[] = [];

  const contains = (text: unknown) => JSON.stringify(text ?? null).includes(token);

  beforeAll(async () => {
    diagnostics.subscribe('http.server.request.start', onRequest as (message: unknown) => void);
    [session, demo, other] = await Promise.all([
      launchExtension(),
      startDemoForTest(),
      startDemoForTest({ seed: 'une-autre-instance' }),
    ]);
    token = demo.token;
    expect(other.token !== token, 'the instances have different tokens').toBe(true);
    const record = (request: Request) => {
      sent.push(
        (async () => ({
          method: request.method(),
          url: request.url(),
          headers: await request.allHeaders().catch(() => request.headers()),
          body: request.postData() ?? '',
        }))(),
      );
    };
    session.context.on('request', record);
    session.context.on('console', (message) => logs.push(message.text()));
    session.context.on('serviceworker', (worker) => worker.on('console', (message) => logs.push(message.text())));
    (await session.serviceWorker()).on('console', (message) => logs.push(message.text()));
    await alignExtensionClock(session.context, demo);
  });
  afterAll(async () => {
    diagnostics.unsubscribe('http.server.request.start', onRequest as (message: unknown) => void);
    await session?.close();
    await demo?.close();
    await other?.close();
  });

  it('takes the token typed into the options page, tests it and syncs with it', async () => {
    // Signed in to the first instance, whose /procedures page makes its démarches known.
    ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');

    // The user adds the second instance (no token), pastes the first one's token and tests it.
    const options = await session.openExtensionPage('options.html');
    await demarchesKnown(options, demo);
    const connect = options.getByRole('form', { name: 'Ajouter une instance ou un jeton' });
    await connect.getByLabel('Adresse de l’instance').fill(other.url);
    await connect.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => connect.getByRole('status').textContent()).toMatch('ajoutée');
    await connect.getByLabel('Adresse de l’instance').fill(demo.url);
    await connect.getByLabel('Jeton d’API').fill(token);
    await connect.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => connect.getByRole('status').textContent()).toMatch('Jeton enregistré pour');
    const card = options.locator(`[data-origin="${demo.url}"]`);
    await card.getByRole('button', { name: 'Tester le jeton' }).click();
    await expect
      .poll(() => card.getByTestId('token-test').textContent(), { timeout: 15_000 })
      .toContain(`Ce jeton lit ${demo.demarches.length} démarche(s)`);
    expect(contains(await options.content()), 'the options page shows the token').toBe(false);
    await options.close();

    // Both instances synced: the first with the token; the second, where the user is not signed in
    // (both share 127.0.0.1's cookies), with its pages.
    const results = await syncNow(await session.openExtensionPage('popup.html'));
    expect(
      results.map((r) => [r.origin, r.mode, (r.problem as { code?: string } | null)?.code ?? null]).sort(),
    ).toEqual(
      [
        [demo.url, 'api', null],
        [other.url, 'session', 'logged-out'],
      ].sort(),
    );
  });

  it('keeps the token in the extension’s own database only', async () => {
    const popup = await session.openExtensionPage('popup.html');
    const secrets = await readTable<{ origin: string; token: string }>(popup, 'secrets');
    expect(secrets.map((s) => s.origin)).toEqual([demo.url]);
    expect(secrets[0]!.token === token, 'the token is in the secrets table').toBe(true);
    for (const table of ['instances', 'demarches', 'dossiers', 'syncState', 'notices', 'ledger']) {
      expect(contains(await readTable(popup, table)), `table ${table}`).toBe(false);
    }
    await popup.close();

    // chrome.storage, which content scripts can read (local, sync) or could be allowed to (session).
    const worker = await session.serviceWorker();
    const areas = await worker.evaluate(async () => ({
      local: await chrome.storage.local.get(null),
      sync: await chrome.storage.sync.get(null),
      session: await chrome.storage.session.get(null),
    }));
    for (const [area, content] of Object.entries(areas)) {
      expect(contains(content), `chrome.storage.${area}`).toBe(false);
    }
  });

  it('leaves no trace of it in the DS page: DOM, cookies, web storage, IndexedDB', async () => {
    await ds.goto(`${demo.url}/procedures/${demo.demarches[0]!.number}/tous`);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    const page = await ds.evaluate(async () => {
      const databases = await indexedDB.databases();
      const dump: Record<string, unknown> = {};
      for (const { name } of databases) {
        if (!name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        for (const store of db.objectStoreNames) {
          dump[`${name}/${store}`] = await new Promise((resolve) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result);
          });
        }
        db.close();
      }
      return {
        dom: document.documentElement.outerHTML,
        cookie: document.cookie,
        localStorage: { ...localStorage },
        sessionStorage: { ...sessionStorage },
        databases: databases.map((d) => d.name),
        dump,
      };
    });
    for (const [where, content] of Object.entries(page)) expect(contains(content), `page ${where}`).toBe(false);
    // The extension's database is not the page's: content scripts share the page's IndexedDB.
    expect(page.databases).not.toContain('archiviste');
  });

  it('refuses token and sync requests from the content script’s world, and shows it no token', async () => {
    const cdp = await session.context.newCDPSession(ds);
    const world = await contentScriptWorld(cdp);
    const run = (expression: string) => evaluateIn(cdp, world, expression);
    const message = (kind: string, payload: object) =>
      run(`chrome.runtime.sendMessage(${JSON.stringify({ archiviste: kind, payload })})`);

    // The channel works: ping is a kind content scripts may send.
    expect(await message('ping', {})).toEqual({ ok: true, value: expect.objectContaining({ context: 'background' }) });
    for (const [kind, payload] of [
      ['save-token', { origin: demo.url, token: 'jeton-d-une-page' }],
      ['test-token', { origin: demo.url }],
      ['sync-now', {}],
      ['forget-token', { origin: demo.url }],
      ['add-instance', { origin: 'https://exemple.fr' }],
    ] as const) {
      expect(await message(kind, payload)).toEqual({ ok: false, error: `${kind} is not allowed from a web page` });
    }
    // Nothing was changed by those: the token is still the user's.
    const popup = await session.openExtensionPage('popup.html');
    const secrets = await readTable<{ origin: string; token: string }>(popup, 'secrets');
    expect(secrets.length === 1 && secrets[0]!.token === token, 'the stored token is unchanged').toBe(true);
    await popup.close();

    // What a content script can read: storage.local and the page's IndexedDB, without the token.
    const seen = await run(`(async () => ({
      local: await chrome.storage.local.get(null),
      databases: (await indexedDB.databases()).map((d) => d.name),
    }))()`);
    expect(contains(seen), 'what the content script can read').toBe(false);
    expect((seen as { databases: string[] }).databases).not.toContain('archiviste');
    await cdp.detach();
  });

  it('refuses every forged payload from the content script’s world, and the page’s own world cannot send any', async () => {
    // The page's main world: no externally_connectable, so no runtime to reach the extension with.
    const worker = await session.serviceWorker();
    expect(await worker.evaluate(() => chrome.runtime.getManifest().externally_connectable)).toBeUndefined();
    const fromPage = await ds.evaluate(async (id) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => Promise<unknown> } } })
        .chrome?.runtime;
      if (typeof runtime?.sendMessage !== 'function') return 'no runtime';
      return runtime.sendMessage(id, { archiviste: 'ping', payload: {} }).then(
        () => 'answered',
        () => 'refused',
      );
    }, session.extensionId);
    expect(fromPage).toBe('no runtime');

    const cdp = await session.context.newCDPSession(ds);
    const world = await contentScriptWorld(cdp);
    const popup = await session.openExtensionPage('popup.html');
    const tables = ['instances', 'demarches', 'dossiers', 'syncState', 'notices', 'ledger', 'secrets', 'archiveJobs'];
    const everything = async () => Promise.all(tables.map((table) => readTable(popup, table)));
    const before = await everything();
    const pages = session.context.pages().length;

    // Built in the content script's world, sent as the content script would: every kind, each field
    // of another type, out of range, 1 MB long, a million long, or missing; stray and prototype keys;
    // another instance than the page's.
    const demarche = demo.demarches[0]!.number;
    const replies = (await evaluateIn(
      cdp,
      world,
      `(async () => {
        const origin = location.origin;
        const other = ${JSON.stringify(other.url)};
        const valid = {
          ping: {},
          'page-texts': {},
          'page-report': { origin, url: location.href, seenAt: new Date().toISOString(), demarches: [], dossiers: [] },
          'page-markup': { origin, route: 'procedures', features: [] },
          'page-fates': { origin, dossiers: [1], demarches: [${demarche}] },
          'export-dossier': { origin, demarche: ${demarche}, dossier: 1 },
          'export-dossier-pdf': { origin, demarche: ${demarche}, dossier: 1 },
          'export-list': { origin, demarche: ${demarche}, statut: 'tous', format: 'csv' },
          'archive-start': { kind: 'demarche', origin, demarche: ${demarche} },
        };
        const hostile = [Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 'x'.repeat(2 ** 20), new Array(1e6).fill(1)];
        const replies = [];
        const send = async (kind, name, payload) =>
          replies.push([kind, name, await chrome.runtime.sendMessage({ archiviste: kind, payload })]);
        for (const [kind, base] of Object.entries(valid)) {
          for (const payload of [null, 'x', 7, [base]]) await send(kind, 'not an object: ' + JSON.stringify(payload), payload);
          await send(kind, 'an extra field', { ...base, extra: 1 });
          await send(kind, '__proto__', Object.assign(JSON.parse('{"__proto__":{"polluted":1}}'), base));
          await send(kind, 'constructor', { ...base, constructor: { prototype: { polluted: 1 } } });
          for (const key of Object.keys(base)) {
            const { [key]: _, ...missing } = base;
            await send(kind, key + ' missing', missing);
            await send(kind, key + ' of another type', { ...base, [key]: typeof base[key] === 'string' ? 42 : 'x' });
            for (const value of hostile) {
              await send(kind, key + ' = ' + String(value).slice(0, 12), { ...base, [key]: value });
            }
          }
          if ('origin' in base) await send(kind, 'another instance', { ...base, origin: other, ...('url' in base && { url: other + '/procedures' }) });
        }
        return replies;
      })()`,
    )) as [string, string, unknown][];
    expect(replies.length).toBeGreaterThan(200);
    for (const [kind, name, reply] of replies) {
      expect(reply, `${kind}: ${name}`).toEqual({ ok: false, error: `Malformed ${kind} request` });
    }

    // The same channel answers a well-formed request of the page's own instance.
    const fates = await evaluateIn(
      cdp,
      world,
      `chrome.runtime.sendMessage({ archiviste: 'page-fates', payload: { origin: location.origin, dossiers: [1], demarches: [${demarche}] } })`,
    );
    expect(fates).toMatchObject({ ok: true });

    // Nothing written, no archive page opened, the background's prototypes clean.
    expect(await everything()).toEqual(before);
    expect(session.context.pages().length).toBe(pages);
    expect(await worker.evaluate(() => (({}) as { polluted?: unknown }).polluted ?? null)).toBeNull();
    await popup.close();
    await cdp.detach();
  });

  it('sends the token only to its own instance’s /api/v2/graphql, as a bearer header', async () => {
    const requests = await Promise.all(sent);
    const carrying = requests.filter((r) => contains(r));
    expect(carrying.length).toBeGreaterThan(0);
    for (const r of carrying) {
      expect(`${r.method} ${r.url}`).toBe(`POST ${demo.url}/api/v2/graphql`);
      expect(r.headers.authorization === `Bearer ${token}`, 'sent as a bearer header').toBe(true);
      expect(contains({ ...r, headers: { ...r.headers, authorization: '' } }), 'anywhere else in the request').toBe(
        false,
      );
    }
    // What the instances received agrees: the other one never saw it, and the token always came alone.
    const host = new URL(demo.url).host;
    const withToken = received.filter((r) => contains(r.headers) || r.url.includes(token));
    expect(withToken.length).toBe(carrying.length);
    for (const r of withToken) {
      expect(`${r.method} ${r.host}${r.url}`).toBe(`POST ${host}/api/v2/graphql`);
      expect(r.headers.cookie, 'no cookie travels with the token').toBeUndefined();
    }
    expect(received.some((r) => r.host === new URL(other.url).host)).toBe(true);
  });

  it('never writes it to a console', async () => {
    // The consoles of the service worker and of the pages are being listened to.
    await (await session.serviceWorker()).evaluate(() => console.warn('archiviste-e2e: worker console'));
    await ds.evaluate(() => console.warn('archiviste-e2e: page console'));
    await expect
      .poll(() => [...new Set(logs.filter((line) => line.startsWith('archiviste-e2e: ')))].sort())
      .toEqual(['archiviste-e2e: page console', 'archiviste-e2e: worker console']);
    expect(logs.some((line) => line.includes(token))).toBe(false);
  });
});

/** Runs an expression in one execution context of a page (its content script's world), awaited, by value. */
async function evaluateIn(cdp: CDPSession, contextId: number, expression: string): Promise<unknown> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression,
    contextId,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value as unknown;
}

/** The execution context Chromium created for the extension's content script in this page. */
async function contentScriptWorld(cdp: CDPSession): Promise<number> {
  const contexts: { id: number; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.name === 'Archiviste');
  if (!world) throw new Error(`No Archiviste world among ${contexts.map((c) => c.name).join(', ')}`);
  return world.id;
}
