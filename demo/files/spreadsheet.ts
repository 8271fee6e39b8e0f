/**
 * A table as the three spreadsheet formats of DS's exports: CSV (RFC 4180), and minimal but valid
 * XLSX and ODS packages (one sheet of inline strings) written with the demo's ZIP writer.
 */
import { type ZipEntry, zipStream } from './zip';

export type Table = { sheet: string; rows: ReadonlyArray<ReadonlyArray<string>> };

const encoder = new TextEncoder();

export function toCsv(table: Table): Uint8Array {
  const cell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return encoder.encode(`${table.rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`);
}

const xml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function column(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const file = (name: string, text: string, at: Date): ZipEntry => ({
  name,
  modifiedAt: at,
  data: () => [encoder.encode(text)],
});

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export function toXlsx(table: Table, at: Date): AsyncGenerator<Uint8Array> {
  const rows = table.rows
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row.map((v, c) => `<c r="${column(c)}${r + 1}" t="inlineStr"><is><t xml:space="preserve">${xml(v)}</t></is></c>`).join('')}</row>`,
    )
    .join('');
  return zipStream([
    file(
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      at,
    ),
    file(
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      at,
    ),
    file(
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xml(table.sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      at,
    ),
    file(
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      at,
    ),
    file(
      'xl/worksheets/sheet1.xml',
      `${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
      at,
    ),
  ]);
}

export function toOds(table: Table, at: Date): AsyncGenerator<Uint8Array> {
  const rows = table.rows
    .map(
      (row) =>
        `<table:table-row>${row.map((v) => `<table:table-cell office:value-type="string"><text:p>${xml(v)}</text:p></table:table-cell>`).join('')}</table:table-row>`,
    )
    .join('');
  const ns =
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"';
  return zipStream([
    // The mimetype entry must come first and be stored uncompressed (every entry is, here).
    file('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', at),
    file(
      'META-INF/manifest.xml',
      `${XML_HEAD}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
      at,
    ),
    file(
      'content.xml',
      `${XML_HEAD}<office:document-content ${ns}><office:body><office:spreadsheet><table:table table:name="${xml(table.sheet)}">${rows}</table:table></office:spreadsheet></office:body></office:document-content>`,
      at,
    ),
  ]);
}
