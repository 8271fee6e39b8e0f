import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CONTENT_SCRIPT_CHECKS } from '@/lib/core/message-checks';
import type { PageReport } from '@/lib/ds/model';
import { handleMessage } from '@/lib/platform/messages';

const dsPage = () => ({
  id: fakeBrowser.runtime.id,
  url: 'https://demarche.numerique.gouv.fr/procedures/104532/tous',
  tab: { id: 1 } as never,
});

describe('page-report message', () => {
  it('is answered when a DS page sends it', async () => {
    const report: PageReport = {
      origin: 'https://demarche.numerique.gouv.fr',
      url: dsPage().url,
      seenAt: '2026-01-15T09:00:00.000Z',
      demarches: [],
      dossiers: [{ number: 2345690, demarche: 104532, state: 'en_construction' }],
    };
    const handlers = { 'page-report': (payload: PageReport) => ({ stored: payload.dossiers.length }) };
    await expect(
      handleMessage(handlers, CONTENT_SCRIPT_CHECKS, { archiviste: 'page-report', payload: report }, dsPage()),
    ).resolves.toEqual({
      ok: true,
      value: { stored: 1 },
    });
  });
});
