import { describe, expect, it } from 'vitest';
import {
  dossierFolder,
  dossierPdfName,
  dossierZipName,
  fileNameStamp,
  MAX_SEGMENT_BYTES,
  sanitizeFileName,
  splitExtension,
  timestampedName,
  ZipPaths,
} from '@/lib/export/layout';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe("DS's per-dossier layout", () => {
  it('stamps names in Paris time, winter and summer', () => {
    expect(fileNameStamp('2026-01-15T09:05:00Z')).toBe('15-01-2026-10-05');
    expect(fileNameStamp('2025-07-01T22:30:00Z')).toBe('02-07-2025-00-30');
    expect(fileNameStamp(new Date('2025-10-26T01:30:00Z'))).toBe('26-10-2025-02-30');
    expect(() => fileNameStamp('not a date')).toThrow(RangeError);
  });

  it('names the folder, the ZIP and the dossier PDF as DS does', () => {
    expect(dossierFolder(2351204)).toBe('dossier-2351204/');
    expect(dossierZipName(2351204)).toBe('dossier-2351204.zip');
    expect(dossierPdfName(2351204, '2026-01-14T16:42:00+01:00')).toBe('export-2351204-14-01-2026-16-42-1204.pdf');
    expect(() => dossierFolder(0)).toThrow(/Not a dossier number/);
    expect(() => dossierFolder(1.5)).toThrow(/Not a dossier number/);
  });

  it('timestamps attachments like DS, with the id part when it is known', () => {
    expect(timestampedName('Statuts signés.pdf', '2026-01-12T08:14:00Z')).toBe('Statuts signés-12-01-2026-09-14.pdf');
    expect(timestampedName('Statuts.pdf', '2026-01-12T08:14:00Z', 123456)).toBe('Statuts-12-01-2026-09-14-3456.pdf');
    expect(timestampedName('archive.tar.gz', '2026-01-12T08:14:00Z')).toBe('archive.tar-12-01-2026-09-14.gz');
    expect(timestampedName('README', '2026-01-12T08:14:00Z')).toBe('README-12-01-2026-09-14');
  });

  it('puts every file in its folder, each path once', () => {
    const paths = new ZipPaths(42);
    expect(paths.claim('export-42.pdf')).toBe('dossier-42/export-42.pdf');
    expect(paths.claim('a.pdf', 'pieces_justificatives')).toBe('dossier-42/pieces_justificatives/a.pdf');
    expect(paths.claim('a.pdf', 'messagerie')).toBe('dossier-42/messagerie/a.pdf');
    expect(paths.claim('a.pdf', 'avis')).toBe('dossier-42/avis/a.pdf');
    expect(paths.claim('a.pdf', 'dossier')).toBe('dossier-42/dossier/a.pdf');
    expect(paths.claim('a.pdf', 'pieces_justificatives')).toBe('dossier-42/pieces_justificatives/a (2).pdf');
    // Case and Unicode normalisation collide on Windows and macOS.
    expect(paths.claim('A.PDF', 'pieces_justificatives')).toBe('dossier-42/pieces_justificatives/A (3).PDF');
    expect(paths.claim('e\u0301te\u0301.txt', 'avis')).toBe('dossier-42/avis/été.txt');
    expect(paths.claim('été.txt', 'avis')).toBe('dossier-42/avis/été (2).txt');
    expect(paths.has('dossier-42/AVIS/ÉTÉ.TXT')).toBe(true);
  });
});

describe('hostile file names', () => {
  const hostile: [string, string][] = [
    ['../../etc/passwd', '_.._etc_passwd'],
    ['..', 'fichier'],
    ['.', 'fichier'],
    ['', 'fichier'],
    ['/etc/shadow', '_etc_shadow'],
    ['C:\\Windows\\system32\\cmd.exe', 'C__Windows_system32_cmd.exe'],
    ['..\\..\\boot.ini', '_.._boot.ini'],
    ['\\\\server\\share\\x.pdf', '__server_share_x.pdf'],
    ['a\u0000b\u0007c\r\n.pdf', 'abc.pdf'],
    ['fac\u200Bture\u200D\uFEFF.pdf', 'facture.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['rapport\u2066\u2069\u061C.pdf', 'rapport.pdf'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['aux.pdf', '_aux.pdf'],
    ['Lpt1.tar.gz', '_Lpt1.tar.gz'],
    ['COM9', '_COM9'],
    ['nul .pdf', '_nul.pdf'],
    ['console.pdf', 'console.pdf'],
    ['what?<are>:"these"|*.pdf', 'what__are___these___.pdf'],
    ['  .hidden  ', 'hidden'],
    ['trailing dots...', 'trailing dots'],
    ['tabs\tand   spaces.pdf', 'tabsand spaces.pdf'],
  ];
  it.each(hostile)('%j → %j', (name, safe) => {
    expect(sanitizeFileName(name)).toBe(safe);
  });

  it('never leaves its folder', () => {
    const paths = new ZipPaths(7);
    for (const [name] of hostile) {
      const path = paths.claim(name, 'pieces_justificatives');
      expect(path.startsWith('dossier-7/pieces_justificatives/')).toBe(true);
      const segment = path.slice('dossier-7/pieces_justificatives/'.length);
      expect(segment).not.toMatch(/[/\\]/);
      expect(segment).not.toMatch(/^\.|[. ]$/);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
      expect(segment).not.toMatch(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
    }
  });

  it('shortens 300-character names and keeps the extension, on whole characters', () => {
    const long = `${'a'.repeat(300)}.pdf`;
    const safe = sanitizeFileName(long);
    expect(bytes(safe)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    expect(safe.endsWith('.pdf')).toBe(true);
    const emoji = `${'😀'.repeat(300)}.docx`;
    const cut = sanitizeFileName(emoji);
    expect(bytes(cut)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    expect(cut).toMatch(/^(😀)+\.docx$/u);
    const stamped = timestampedName(long, '2026-01-12T08:14:00Z', 9);
    expect(bytes(stamped)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    expect(stamped.endsWith('-12-01-2026-09-14-9.pdf')).toBe(true);
  });

  it('keeps de-duplicated long names within bounds', () => {
    const paths = new ZipPaths(1);
    const long = `${'é'.repeat(300)}.pdf`;
    const first = paths.claim(long, 'messagerie');
    const second = paths.claim(long, 'messagerie');
    expect(second).not.toBe(first);
    expect(second.endsWith(' (2).pdf')).toBe(true);
    expect(bytes(second.split('/').pop()!)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
  });

  it('does not take a long or strange suffix for an extension', () => {
    expect(splitExtension('notes.verylongsuffixhere')).toEqual(['notes.verylongsuffixhere', '']);
    expect(splitExtension('.bashrc')).toEqual(['.bashrc', '']);
    expect(splitExtension('a.b c')).toEqual(['a.b c', '']);
    expect(splitExtension('scan.PDF')).toEqual(['scan', '.PDF']);
  });
});
