import { describe, expect, it } from 'vitest';
import { fetchPage, type PageParser } from '@/lib/core/sync/remote-page';

const URL_LIST = 'https://demarche.numerique.gouv.fr/procedures/104532/tous';
const NOW = new Date('2026-01-15T10:00:00+01:00');
const parse: PageParser = async () => null;
const failing = (error: unknown) => (async () => Promise.reject(error)) as typeof fetch;

/** How a DS page that could not be fetched is told to the user: slow and unreachable are two things. */
describe('fetchPage failures', () => {
  it('calls a page DS left unanswered for 25 s "too-slow"', async () => {
    const timeout = new DOMException('signal timed out', 'TimeoutError');
    await expect(fetchPage(URL_LIST, parse, NOW, failing(timeout))).rejects.toMatchObject({ code: 'too-slow' });
  });

  it('calls a network failure (offline, refused) "unreachable", naming the instance', async () => {
    await expect(fetchPage(URL_LIST, parse, NOW, failing(new TypeError('Failed to fetch')))).rejects.toMatchObject({
      code: 'unreachable',
      detail: 'https://demarche.numerique.gouv.fr',
    });
  });
});
