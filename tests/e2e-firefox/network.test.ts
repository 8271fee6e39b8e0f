import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { startDemoForTest } from '../e2e/demo';
import { demarchesKnown, type Evaluator, send, syncNow } from '../e2e/expiry';
import { expectOnlyTheTestsInstances, expectSessionRecorded } from '../e2e/network-check';
import { alignExtensionClock, EXTENSION_UUID, evaluator, type FirefoxSession, launchFirefox, logIn } from './firefox';

/**
 * Issue 12 §5 in Firefox: every Firefox of this project sends all its traffic through its own request
 * recorder (tests/e2e-firefox/global-setup.ts, log in `.test-results/network/firefox/`); this file
 * runs after the project's other files (tests/e2e/network-sequencer.ts) and checks everything they
 * and it recorded, as tests/e2e/network.test.ts does for Chromium. Its own short session makes sure,
 * run alone too, that Firefox's requests really reach the recorder, loopback included.
 */
describe('every request of the e2e Firefoxes', () => {
  let session: FirefoxSession;
  let demo: DemoInstance;
  /** A second instance, signed in but without a token: it must never see one. */
  let other: DemoInstance;
  let extension: Evaluator;

  beforeAll(async () => {
    [session, demo, other] = await Promise.all([
      launchFirefox(inject('firefoxExtensionDir'), inject('networkProxy')),
      startDemoForTest(),
      startDemoForTest({ seed: 'une-autre-instance' }),
    ]);
    extension = evaluator(await session.openExtensionPage('popup.html'));
    await alignExtensionClock(extension, demo);
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
    await other?.close();
  });

  it('records Firefox’s requests: DS pages, the background page’s API calls and its page reads', async () => {
    // The token first: a DS page's discoveries start a sync of their own, with it then. The second
    // instance only after the page's report: its content script, registered for 127.0.0.1 whatever the
    // port, would land on this instance's pages too.
    expect((await send(extension, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
    const ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(extension, demo);
    expect((await send(extension, 'add-instance', { origin: other.url })).ok).toBe(true);
    const results = await syncNow(extension);
    expect(results.find((r) => r.origin === demo.url)).toMatchObject({ mode: 'api', problem: null });
    expect(results.find((r) => r.origin === other.url)).toMatchObject({ mode: 'session' });
    await ds.close();

    expectSessionRecorded(inject('networkDir'), demo, other, `moz-extension://${EXTENSION_UUID}`);
  });

  it('sends nothing anywhere but the tests’ instances, and each token only to its own instance’s API', () => {
    expectOnlyTheTestsInstances(inject('networkDir'));
  });
});
