import { describe, expect, it } from 'vitest';
import { pageMessages } from '@/lib/export/page-messages';
import { messagerieTranscript } from '@/lib/export/transcript';

/** Messages as DS's page shows them (lib/ds/read-messages.ts), each at the minute shown. */
const message = (at: string, attachments: string[], body = 'Voici.') => ({
  author: 'Cercle d’Escrime de Nantes',
  at,
  body,
  attachments,
});

describe('the messages read from DS’s page, for the transcript', () => {
  const root = 'dossier-7/messagerie/';
  const entries = [
    { dsName: `${root}piece-12-01-2026-09-31-17.pdf`, path: `${root}piece-12-01-2026-09-31-17.pdf` },
    { dsName: `${root}piece-14-01-2026-10-02-18.pdf`, path: `${root}piece-14-01-2026-10-02-18.pdf` },
  ];

  it('ties each file to DS’s ZIP entry of its name and minute, each entry once', () => {
    const messages = pageMessages(
      [
        // « Le 14/01/2026 10:02 », then « Le 12/01/2026 09:31 » (Paris): the stamps in DS's names.
        message('2026-01-14T09:02:00.000Z', ['piece.pdf']),
        message('2026-01-12T08:31:00.000Z', ['piece.pdf', 'absente.pdf']),
      ],
      entries,
    );
    expect(messages.map((m) => m.attachments)).toEqual([
      [{ filename: 'piece.pdf', path: entries[1]!.path }],
      [
        { filename: 'piece.pdf', path: entries[0]!.path },
        { filename: 'absente.pdf', path: null },
      ],
    ]);
  });

  it('falls back on a file of that name uploaded another minute', () => {
    const [only] = pageMessages([message('2026-01-13T08:00:00.000Z', ['piece.pdf'])], entries);
    expect(only?.attachments[0]?.path).toBe(entries[0]!.path);
  });

  it('gives the transcript the text as DS showed it, markup-like characters included', () => {
    const text = messagerieTranscript({
      dossier: 7,
      messages: pageMessages([message('2026-01-14T09:02:00.000Z', ['absente.pdf'], 'a < b & c > d\n&amp;')], []),
      exportedAt: new Date('2026-01-15T09:00:00.000Z'),
      pathOf: (file) => file.path ?? undefined,
    });
    expect(text).toBe(
      [
        'Messagerie du dossier n° 7',
        'Exportée par Archiviste le 15/01/2026 à 10:00 (heure de Paris) — 1 message',
        '',
        '----- 14/01/2026 à 10:02 — Cercle d’Escrime de Nantes -----',
        'a < b & c > d',
        '&amp;',
        'Pièce jointe : absente.pdf (absente du ZIP)',
        '',
      ].join('\n'),
    );
  });
});
