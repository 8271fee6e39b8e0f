import { describe, expect, it } from 'vitest';
import { checkPageReport } from '@/lib/core/sync/check-report';
import type { PageReport } from '@/lib/ds/model';
import { readPage } from '@/lib/ds/read-page';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';

const O = 'https://demarche.numerique.gouv.fr';
const valid = (): PageReport => ({
  origin: O,
  url: `${O}/procedures/7/tous?page=2`,
  seenAt: '2026-11-23T09:00:00.000Z',
  demarches: [
    { number: 7, title: 'Aides au sport', expiresWhenTermine: true, retentionMonths: 12, counts: { tous: 3 } },
  ],
  dossiers: [
    {
      number: 42,
      demarche: 7,
      state: 'accepte',
      expiresAt: '2026-12-01T00:00:00.000Z',
      expirySource: 'column',
      label: 'Association <b>',
      dateTraitement: '2025-12-01T10:00:00+01:00',
      news: ['dossier_modifie', 'message'],
      lastMessageAt: '2026-11-20T14:05:00.000Z',
    },
    { number: 43, demarche: 7, inCorbeille: true, purgeAt: null },
  ],
  list: { demarche: 7, statut: 'tous', page: 2, pageCount: 3 },
  user: 'agent@exemple.gouv.fr',
  rules: { set: '2026', evidence: 'page-no-expiry' },
});

/** The report with one field replaced (a path of keys and indexes) by `value`. */
function tampered(path: (string | number)[], value: unknown): unknown {
  const report = structuredClone(valid()) as unknown as Record<string | number, unknown>;
  let target = report;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path.at(-1)!] = value;
  return report;
}

describe('checkPageReport', () => {
  it('accepts what the page readers produce, on every fixture', () => {
    expect(checkPageReport(valid())).toEqual(valid());
    for (const name of Object.keys(PAGES) as PageName[]) {
      const report = readPage(fixtureDocument(name), PAGES[name].url, new Date('2026-01-15T10:00:00+01:00'));
      if (report) expect(checkPageReport(JSON.parse(JSON.stringify(report))), name).not.toBeNull();
    }
  });

  it.each([
    ['a state DS does not have', ['dossiers', 0, 'state'], 'brouillon'],
    ['a date that is no date', ['dossiers', 0, 'expiresAt'], '31/12/2026'],
    ['an impossible date', ['dossiers', 0, 'expiresAt'], '2026-02-31T00:00:00Z'],
    ['a source only the API gives', ['dossiers', 0, 'expirySource'], 'api'],
    ['a negative number', ['dossiers', 0, 'number'], -4],
    ['a fractional number', ['dossiers', 1, 'demarche'], 7.5],
    ['a number as text', ['dossiers', 1, 'number'], '43'],
    ['a boolean as text', ['dossiers', 1, 'inCorbeille'], 'true'],
    ['an unknown field', ['dossiers', 0, 'token'], 'x'],
    ['a 1 MB label', ['dossiers', 0, 'label'], 'x'.repeat(1_000_000)],
    ['an unknown tab', ['list', 'statut'], 'admin'],
    ['page 0', ['list', 'page'], 0],
    ['a retention of 1,000 months', ['demarches', 0, 'retentionMonths'], 1000],
    ['a negative counter', ['demarches', 0, 'counts', 'tous'], -1],
    ['evidence that proves another rule set', ['rules', 'set'], '2025'],
    ['unknown evidence', ['rules', 'evidence'], 'rumour'],
    ['a page of another origin', ['url'], 'https://evil.example/procedures/7/tous'],
    ['an origin that is a URL', ['origin'], `${O}/procedures`],
    ['a time that is no time', ['seenAt'], 'yesterday'],
    ['dossiers that are no list', ['dossiers'], { 0: {} }],
    ['a missing démarche number', ['dossiers', 1, 'demarche'], undefined],
    ['a news badge DS does not have', ['dossiers', 0, 'news'], ['annotation_privee']],
    ['a news badge twice', ['dossiers', 0, 'news'], ['message', 'message']],
    ['news that is no list', ['dossiers', 0, 'news'], 'message'],
    ['a message date that is no date', ['dossiers', 0, 'lastMessageAt'], 'Le 14/01/2026 09:31'],
  ])('drops a report with %s', (_, path, value) => {
    expect(checkPageReport(tampered(path as (string | number)[], value))).toBeNull();
  });

  it('drops what is not a report at all', () => {
    for (const value of [null, undefined, 'report', 42, [], { ...valid(), dossiers: undefined }]) {
      expect(checkPageReport(value)).toBeNull();
    }
    expect(
      checkPageReport({
        ...valid(),
        dossiers: Array.from({ length: 1001 }, (_, i) => ({ number: i + 1, demarche: 7 })),
      }),
    ).toBeNull();
  });
});
