import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CONTENT_SCRIPT_CHECKS } from '@/lib/core/message-checks';
import { handleMessage, isExtensionPage } from '@/lib/platform/messages';

const handlers = { ping: () => ({ version: '1.2.3', context: 'background' as const }) };
const popup = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') });
const dsPage = () => ({
  id: fakeBrowser.runtime.id,
  url: 'https://demarche.numerique.gouv.fr/procedures',
  tab: { id: 1 } as never,
});

describe('messages', () => {
  it('answers a typed request', async () => {
    await expect(
      handleMessage(handlers, CONTENT_SCRIPT_CHECKS, { archiviste: 'ping', payload: {} }, popup()),
    ).resolves.toEqual({
      ok: true,
      value: { version: '1.2.3', context: 'background' },
    });
  });

  it('ignores messages that are not ours or come from another extension', () => {
    expect(handleMessage(handlers, CONTENT_SCRIPT_CHECKS, { hello: 1 }, popup())).toBeUndefined();
    expect(
      handleMessage(handlers, CONTENT_SCRIPT_CHECKS, { archiviste: 'ping', payload: {} }, { ...popup(), id: 'other' }),
    ).toBeUndefined();
  });

  it('reports a failing handler as an error reply', async () => {
    const failing = {
      ping: () => {
        throw new Error('DS injoignable');
      },
    };
    await expect(
      handleMessage(failing, CONTENT_SCRIPT_CHECKS, { archiviste: 'ping', payload: {} }, popup()),
    ).resolves.toEqual({
      ok: false,
      error: 'DS injoignable',
    });
  });

  it('refuses privileged kinds from DS pages, answers them from extension pages', async () => {
    const saveToken = { 'save-token': () => ({ hint: '••••••••abcd' }) };
    const message = { archiviste: 'save-token', payload: { origin: 'https://x', token: 't' } };
    await expect(handleMessage(saveToken, {}, message, dsPage())).resolves.toEqual({
      ok: false,
      error: 'save-token is not allowed from a web page',
    });
    await expect(handleMessage(saveToken, {}, message, popup())).resolves.toEqual({
      ok: true,
      value: { hint: '••••••••abcd' },
    });
  });

  it('tells extension pages from DS pages', () => {
    expect(isExtensionPage(popup())).toBe(true);
    expect(isExtensionPage(dsPage())).toBe(false);
  });
});
