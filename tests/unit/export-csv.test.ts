import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BOM, neutralizeCell, toCsv } from '@/lib/export/csv';

describe('CSV', () => {
  it('starts with a BOM, separates with ; and ends lines with CRLF', () => {
    const text = toCsv(['Numéro', 'Demandeur'], [[1, 'Élodie Martin']]);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text).toBe(`${BOM}Numéro;Demandeur\r\n1;Élodie Martin\r\n`);
  });

  it('takes another separator, and quotes what needs it', () => {
    const text = toCsv(['a', 'b'], [['x,y', 'say "hi"\nbye']], { separator: ',', bom: false });
    expect(text).toBe('a,b\r\n"x,y","say ""hi""\nbye"\r\n');
    expect(() => toCsv(['a'], [], { separator: '"' })).toThrow(RangeError);
    expect(() => toCsv(['a'], [], { separator: ';;' })).toThrow(RangeError);
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+33 6 12 34 56 78', `'+33 6 12 34 56 78`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j', (cell, expected) => {
    expect(neutralizeCell(cell)).toBe(expected);
  });

  it('keeps numbers and booleans as values, and empties null', () => {
    expect(neutralizeCell(-3)).toBe(-3);
    expect(neutralizeCell(true)).toBe(true);
    expect(neutralizeCell(null)).toBe('');
    expect(neutralizeCell(undefined)).toBe('');
    expect(neutralizeCell(new Date('2026-01-15T09:00:00Z'))).toBe('2026-01-15T09:00:00.000Z');
  });

  it('neutralises every cell, headers included, and parses back', () => {
    const text = toCsv(['N', '=Nom', 'Note'], [[1, '=1+1', '-x']]);
    const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true });
    expect(parsed.data).toEqual([
      ['N', "'=Nom", 'Note'],
      ['1', "'=1+1", "'-x"],
    ]);
  });
});
