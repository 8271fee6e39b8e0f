import Papa from 'papaparse';

/**
 * CSV as spreadsheets open it: UTF-8 with a BOM (so Excel reads accents), `;` by default (French
 * Excel), CRLF lines, and formula injection neutralised: a text cell starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it as text instead of
 * running it (OWASP's "CSV injection" advice).
 */

export const BOM = '\uFEFF';
export const DEFAULT_SEPARATOR = ';';

export type CsvCell = string | number | boolean | null | undefined | Date;

export interface CsvOptions {
  /** One character; `;` unless the user chose another. */
  separator?: string;
  /** Prepend the UTF-8 byte order mark (default true). */
  bom?: boolean;
}

const DANGEROUS_START = /^[=+\-@\t\r]/;

/**
 * A cell as text, neutralised. Numbers and booleans are not text a spreadsheet could evaluate
 * (`-3` is minus three), so they stay as they are; dates become ISO strings.
 */
export function neutralizeCell(cell: CsvCell): string | number | boolean {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
  const text = cell instanceof Date ? cell.toISOString() : String(cell);
  return DANGEROUS_START.test(text) ? `'${text}` : text;
}

function checkSeparator(separator: string): void {
  if ([...separator].length !== 1 || /["\r\n]/.test(separator)) {
    throw new RangeError(`Not a CSV separator: ${JSON.stringify(separator)}`);
  }
}

/** A header row then the rows, as CSV text. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  options: CsvOptions = {},
): string {
  const separator = options.separator ?? DEFAULT_SEPARATOR;
  checkSeparator(separator);
  const text = Papa.unparse(
    {
      fields: header.map((h) => neutralizeCell(h) as string),
      data: rows.map((row) => row.map(neutralizeCell)),
    },
    { delimiter: separator, newline: '\r\n', quotes: false, escapeFormulae: false, header: true },
  );
  return `${options.bom === false ? '' : BOM}${text}\r\n`;
}
