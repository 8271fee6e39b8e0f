/**
 * A minimal, valid PDF 1.4 writer: A4 pages of Helvetica text lines, wrapped and paginated. It can
 * pad a document to an exact byte size with an unreferenced binary stream object, which is how the
 * demo makes large attachments that are still real PDFs, streamed without being held in memory.
 */

export interface PdfLine {
  text: string;
  size?: number;
  bold?: boolean;
  /** Extra space above the line, in points. */
  gap?: number;
}

/** A file whose bytes are produced on demand, in order. */
export interface ByteSource {
  readonly size: number;
  chunks(): Iterable<Uint8Array>;
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 56;
const DEFAULT_SIZE = 10;

/** Unicode → WinAnsiEncoding (Latin-1 plus the typographic characters French text uses). */
const WIN_ANSI_EXTRAS: Record<string, number> = {
  '€': 0x80,
  '…': 0x85,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  œ: 0x9c,
  Œ: 0x8c,
  '\u202f': 0xa0,
};

function winAnsiHex(text: string): string {
  let hex = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const byte = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : (WIN_ANSI_EXTRAS[char] ?? 0x3f);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Splits a line so it fits the text width (Helvetica averages about half an em per character). */
function wrap(line: PdfLine): PdfLine[] {
  const size = line.size ?? DEFAULT_SIZE;
  const maxChars = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * 0.5));
  if (line.text.length <= maxChars) return [line];
  const out: PdfLine[] = [];
  let current = '';
  for (const word of line.text.split(' ')) {
    if (current && current.length + 1 + word.length > maxChars) {
      out.push({ ...line, text: current, gap: out.length === 0 ? line.gap : 0 });
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  out.push({ ...line, text: current, gap: out.length === 0 ? line.gap : 0 });
  return out;
}

function paginate(lines: readonly PdfLine[]): string[] {
  const pages: string[] = [];
  let ops: string[] = [];
  let y = PAGE_HEIGHT - MARGIN;
  for (const line of lines.flatMap(wrap)) {
    const size = line.size ?? DEFAULT_SIZE;
    const advance = size * 1.4 + (line.gap ?? 0);
    if (y - advance < MARGIN && ops.length > 0) {
      pages.push(ops.join('\n'));
      ops = [];
      y = PAGE_HEIGHT - MARGIN;
    }
    y -= advance;
    ops.push(`BT /${line.bold ? 'F2' : 'F1'} ${size} Tf ${MARGIN} ${y.toFixed(1)} Td <${winAnsiHex(line.text)}> Tj ET`);
  }
  pages.push(ops.join('\n'));
  return pages;
}

const encoder = new TextEncoder();
const pad10 = (n: number) => String(n).padStart(10, '0');

/**
 * Builds a PDF of `lines`. With `padTo`, a filler stream brings the file to exactly that many bytes
 * (when the text alone is smaller); `filler(length)` yields those bytes.
 */
export function pdfDocument(
  lines: readonly PdfLine[],
  options: { title: string; padTo?: number; filler?: (length: number) => Iterable<Uint8Array> } = { title: '' },
): ByteSource {
  const pages = paginate(lines);
  const fontCount = 2;
  const firstPage = 3 + fontCount; // 1 catalog, 2 pages, 3-4 fonts, 5 info
  const info = firstPage;
  const pageObject = (i: number) => info + 1 + 2 * i;
  const bodies: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Count ${pages.length} /Kids [${pages.map((_, i) => `${pageObject(i)} 0 R`).join(' ')}] >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Title <feff${[...options.title].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}> /Producer (Archiviste demo) >>`,
  ];
  pages.forEach((content, i) => {
    bodies.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageObject(i) + 1} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    );
  });

  let head = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  // The header's binary comment is 4 bytes of UTF-8 pairs; measure bytes, not characters.
  let position = encoder.encode(head).length;
  const headParts: string[] = [head];
  bodies.forEach((body, i) => {
    const object = `${i + 1} 0 obj\n${body}\nendobj\n`;
    offsets.push(position);
    headParts.push(object);
    position += object.length;
  });
  head = headParts.join('');

  const trailerFor = (paddingObject: { offset: number; length: number } | null, xrefAt: number) => {
    const entries = paddingObject ? [...offsets, paddingObject.offset] : offsets;
    return (
      `xref\n0 ${entries.length + 1}\n0000000000 65535 f \n${entries.map((o) => `${pad10(o)} 00000 n \n`).join('')}` +
      `trailer\n<< /Size ${entries.length + 1} /Root 1 0 R /Info ${info} 0 R >>\nstartxref\n${pad10(xrefAt)}\n%%EOF\n`
    );
  };

  const plainTail = trailerFor(null, position);
  const plainSize = position + plainTail.length;
  const number = bodies.length + 1;
  // Fixed-width numbers keep every length known before the filler length is chosen.
  const paddingOpen = (length: number) => `${number} 0 obj\n<< /Length ${pad10(length)} >>\nstream\n`;
  const paddingClose = '\nendstream\nendobj\n';
  const overhead =
    paddingOpen(0).length + paddingClose.length + (trailerFor({ offset: 0, length: 0 }, 0).length - plainTail.length);
  const fillerLength = options.padTo !== undefined && options.filler ? options.padTo - plainSize - overhead : -1;

  if (fillerLength < 0) {
    const bytes = encoder.encode(head + plainTail);
    return { size: bytes.length, chunks: () => [bytes] };
  }
  const open = encoder.encode(head + paddingOpen(fillerLength));
  const tail = encoder.encode(
    paddingClose +
      trailerFor({ offset: position, length: fillerLength }, open.length + fillerLength + paddingClose.length),
  );
  const filler = options.filler!;
  return {
    size: open.length + fillerLength + tail.length,
    *chunks() {
      yield open;
      yield* filler(fillerLength);
      yield tail;
    },
  };
}
