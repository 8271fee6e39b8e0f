import { expect } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { hashToken, type NetworkReport, recordedRequests, writeNetworkReport } from './network-recorder';

/**
 * What a network check's own session must have left in the log, whichever browser ran it: the DS
 * page loads (documents), the extension's bearer calls to `demo`'s API with `demo`'s token, and its
 * reads of `other` (signed in, no token) as fetches without any Authorization header.
 */
export function expectSessionRecorded(dir: string, demo: DemoInstance, other: DemoInstance, extension: string): void {
  const mine = recordedRequests(dir).filter((r) => r.origin === demo.url || r.origin === other.url);
  expect(mine.some((r) => r.destination === 'document' && r.origin === demo.url && r.path === '/procedures')).toBe(
    true,
  );
  expect(
    mine.some(
      (r) =>
        r.initiator === extension &&
        r.path === '/api/v2/graphql' &&
        r.authorization === 'bearer' &&
        r.tokenHash === hashToken(demo.token),
    ),
  ).toBe(true);
  // Its GET reads of the other instance carry neither Origin nor Referer: fetches, not documents.
  expect(mine.some((r) => r.origin === other.url && r.destination === 'empty' && r.authorization === null)).toBe(true);
}

/** Issue 12 §5 over everything recorded in `dir` so far; the report is written beside the log. */
export function expectOnlyTheTestsInstances(dir: string): NetworkReport {
  const report = writeNetworkReport(dir);
  expect(report.violations).toEqual([]);
  expect(report.requests).toBeGreaterThan(0);
  expect(report.withBearer).toBeGreaterThan(0);
  for (const origin of Object.keys(report.hosts)) expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return report;
}
