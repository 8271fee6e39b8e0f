import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { demarchesKnown, send, syncNow } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';
import { expectOnlyTheTestsInstances, expectSessionRecorded } from './network-check';
import { checkNetwork, hashToken, type RecordedRequest, type RegisteredInstance } from './network-recorder';

/**
 * Issue 12 §5: every request the extension's browser makes during the whole e2e suite goes to the
 * instance it belongs to or its file host, and a token only to its own instance's API. Every e2e
 * Chromium sends all its traffic through the recorder (tests/e2e/network-recorder.ts); this file runs
 * after all the others of the e2e project (tests/e2e/network-sequencer.ts) and checks everything
 * recorded since the run began (Firefox's: tests/e2e-firefox/network.test.ts). It first drives a session of its own, so that, run alone, it still checks a real one.
 */
describe('every request of the e2e browsers', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  /** A second instance, signed in but without a token: it must never see one. */
  let other: DemoInstance;

  beforeAll(async () => {
    [session, demo, other] = await Promise.all([
      launchExtension(),
      startDemoForTest(),
      startDemoForTest({ seed: 'une-autre-instance' }),
    ]);
    await alignExtensionClock(session.context, demo);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
    await other?.close();
  });

  it('records the browser’s requests: DS pages, the service worker’s API calls and its page reads', async () => {
    // The token and the second instance first: a DS page's discoveries start a sync of their own.
    const popup = await session.openExtensionPage('popup.html');
    expect((await send(popup, 'add-instance', { origin: other.url })).ok).toBe(true);
    expect((await send(popup, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    const ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(popup, demo);
    const results = await syncNow(popup);
    expect(results.find((r) => r.origin === demo.url)).toMatchObject({ mode: 'api', problem: null });
    expect(results.find((r) => r.origin === other.url)).toMatchObject({ mode: 'session' });
    await ds.close();
    await popup.close();

    expectSessionRecorded(inject('networkDir'), demo, other, `chrome-extension://${session.extensionId}`);
  });

  it('sends nothing anywhere but the tests’ instances, and each token only to its own instance’s API', () => {
    expectOnlyTheTestsInstances(inject('networkDir'));
  });

  it('would catch a request elsewhere, a token on the files host or on a page, and another instance’s token', () => {
    const instance: RegisteredInstance = {
      url: 'http://127.0.0.1:4000',
      filesUrl: 'http://127.0.0.1:4001',
      tokenHashes: [hashToken('jeton-a')],
    };
    const request = (over: Partial<RecordedRequest>): RecordedRequest => ({
      origin: instance.url,
      method: 'POST',
      path: '/api/v2/graphql',
      authorization: 'bearer',
      tokenHash: hashToken('jeton-a'),
      initiator: 'chrome-extension://x',
      destination: 'empty',
      ...over,
    });
    const fine = [request({}), request({ origin: instance.filesUrl, authorization: null, tokenHash: null })];
    expect(checkNetwork(fine, [instance]).violations).toEqual([]);
    const wrong = [
      request({
        origin: 'https://www.demarches-simplifiees.fr',
        method: 'CONNECT',
        authorization: null,
        tokenHash: null,
      }),
      request({ origin: 'http://127.0.0.1:5555', authorization: null, tokenHash: null }),
      request({ origin: instance.filesUrl }),
      request({ method: 'GET', path: '/procedures' }),
      request({ tokenHash: hashToken('jeton-b') }),
      request({ authorization: 'other', tokenHash: null }),
      // The browsers' own hosts pass only as their own requests: never with a token or from a page.
      request({ origin: 'https://accounts.google.com', method: 'CONNECT', path: '/', tokenHash: hashToken('jeton-a') }),
    ];
    for (const r of wrong) expect(checkNetwork([r], [instance]).violations, JSON.stringify(r)).not.toEqual([]);
    expect(
      checkNetwork(
        [
          request({
            origin: 'https://accounts.google.com',
            method: 'CONNECT',
            authorization: null,
            tokenHash: null,
            initiator: null,
          }),
        ],
        [instance],
      ),
    ).toMatchObject({ violations: [], browserOwn: { 'https://accounts.google.com': 1 } });
  });
});
