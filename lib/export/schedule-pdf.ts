import { jsPDF } from 'jspdf';
import { autoTable, type CellInput } from 'jspdf-autotable';

/**
 * The « échéancier des suppressions » of a dossier list: a heading block, the 13-week chart of
 * deletions (drawn with jsPDF rectangles, like the popup's) and the table of dossiers (autotable,
 * header repeated on every page), « Page n / N » in every footer. A4 portrait.
 *
 * Every text comes from the caller, already translated. Dossier values are untrusted: jsPDF draws
 * them as plain text, cut at {@link MAX_CELL} characters, and anything the standard fonts cannot
 * encode (WinAnsi) is replaced by `?`, bidi and zero-width marks removed. This module pulls jsPDF in:
 * `import()` it only when an export starts.
 */

export interface ScheduleRow {
  number: number;
  demandeur: string;
  state: string;
  deletionDate: string;
  daysLeft: string;
  source: string;
  archive: string;
}

export interface ScheduleWeek {
  /** « 04/12 – 10/12 ». */
  label: string;
  total: number;
  /** Of which not saved (or changed since). */
  unsaved: number;
}

export interface SchedulePdfTexts {
  /** « Échéancier des suppressions ». */
  heading: string;
  /** « Établi le 29/11/2026 à 16:10 ». */
  generated: string;
  /** Number, demandeur, state, deletion date, days left, source, archive state. */
  columns: [string, string, string, string, string, string, string];
  /** The chart's caption. */
  chart: string;
  legendUnsaved: string;
  legendSaved: string;
  /** « Page 2 / 7 ». */
  page: (n: number, of: number) => string;
  /** Shown in the table when the tab holds no dossier. */
  empty: string;
}

export interface SchedulePdfInput {
  /** The démarche's title. */
  title: string;
  demarche: number;
  /** The tab, e.g. « au total ». */
  tab: string;
  /** The instructeur's filters on DS, worded: « Filtres : État du dossier : En construction », « Filtres : aucun ». */
  filters: string;
  generatedAt: Date;
  rows: readonly ScheduleRow[];
  weeks: readonly ScheduleWeek[];
  texts: SchedulePdfTexts;
}

/** A cell longer than this is cut, with an ellipsis. */
export const MAX_CELL = 300;

const RED: [number, number, number] = [0xe1, 0x00, 0x0f];
const BLUE: [number, number, number] = [0x00, 0x00, 0x91];
const GREY: [number, number, number] = [0x66, 0x66, 0x66];
const TEXT: [number, number, number] = [0x16, 0x16, 0x16];

const MARGIN = 15;
const FOOTER = 10;
const CHART_HEIGHT = 38;
const LABEL_SIZE = 6.5;

/** The characters of cp1252 between 0x80 and 0x9F, which the standard fonts draw. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Spaces that are not in WinAnsi (thin, narrow no-break — Intl's French grouping —, em, …). */
const SPACES = /[\u2000-\u200a\u202f\u205f\u3000\u2028\u2029]/u;
/** Hyphens and minus signs that are not in WinAnsi. */
const HYPHENS = /[\u2010\u2011\u2012\u2212\u2043]/u;
/** Invisible marks: zero-width, bidi embeddings, overrides and isolates, soft hyphen, BOM. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;

/**
 * Text the PDF's standard fonts can draw: NFC, invisible and bidi marks removed, control characters
 * and line breaks as spaces, exotic spaces and hyphens as their ASCII form, anything else outside
 * WinAnsi (emoji, Hebrew, Arabic, CJK…) as `?` — one per character, not per UTF-16 unit.
 */
export function pdfSafeText(value: string): string {
  let out = '';
  for (const char of value.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0;
    if (INVISIBLE.test(char) || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0000 && code <= 0xe007f)) continue;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) out += ' ';
    else if (code < 0x100 || WIN_ANSI_EXTRA.has(char)) out += char;
    else if (SPACES.test(char)) out += ' ';
    else if (HYPHENS.test(char)) out += '-';
    else if (code === 0x2032) out += "'";
    else out += '?';
  }
  return out;
}

/** {@link pdfSafeText}, spaces collapsed, cut at `max` characters with an ellipsis. */
export function pdfCell(value: string, max = MAX_CELL): string {
  const text = pdfSafeText(value).replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function drawHeading(doc: jsPDF, input: SchedulePdfInput, width: number): number {
  let y = MARGIN + 2;
  doc.setTextColor(...TEXT);
  doc.setFont('helvetica', 'bold');
  doc.setFontSize(16);
  for (const line of doc.splitTextToSize(pdfCell(input.texts.heading), width) as string[]) {
    doc.text(line, MARGIN, y + 4);
    y += 7;
  }
  doc.setFontSize(12);
  const title = pdfCell(`${input.demarche} — ${input.title}`);
  for (const line of doc.splitTextToSize(title, width) as string[]) {
    doc.text(line, MARGIN, y + 4);
    y += 5.5;
  }
  doc.setFont('helvetica', 'normal');
  doc.setFontSize(10);
  for (const part of [input.tab, input.filters]) {
    for (const line of doc.splitTextToSize(pdfCell(part), width) as string[]) {
      doc.text(line, MARGIN, y + 4);
      y += 4.5;
    }
  }
  doc.setTextColor(...GREY);
  doc.text(pdfCell(input.texts.generated), MARGIN, y + 4);
  doc.setTextColor(...TEXT);
  return y + 10;
}

function drawChart(doc: jsPDF, input: SchedulePdfInput, top: number, width: number): number {
  const weeks = input.weeks;
  doc.setFont('helvetica', 'bold');
  doc.setFontSize(11);
  doc.text(pdfCell(input.texts.chart), MARGIN, top + 4);
  const area = top + 8;
  const countSpace = 4;
  const base = area + countSpace + CHART_HEIGHT;
  const slot = width / Math.max(1, weeks.length);
  const bar = Math.min(9, slot * 0.6);
  const max = Math.max(1, ...weeks.map((week) => Math.max(0, week.total)));
  const scale = (count: number) => (Math.max(0, count) / max) * CHART_HEIGHT;
  doc.setFont('helvetica', 'normal');
  let labelBottom = base;
  weeks.forEach((week, index) => {
    const x = MARGIN + index * slot + (slot - bar) / 2;
    const unsaved = Math.min(Math.max(0, week.unsaved), Math.max(0, week.total));
    const unsavedHeight = scale(unsaved);
    const savedHeight = scale(week.total - unsaved);
    if (unsavedHeight > 0) {
      doc.setFillColor(...RED);
      doc.rect(x, base - unsavedHeight, bar, unsavedHeight, 'F');
    }
    if (savedHeight > 0) {
      doc.setFillColor(...BLUE);
      doc.rect(x, base - unsavedHeight - savedHeight, bar, savedHeight, 'F');
    }
    if (week.total > 0) {
      doc.setFontSize(7);
      doc.text(String(week.total), x + bar / 2, base - unsavedHeight - savedHeight - 1, { align: 'center' });
    }
    doc.setFontSize(LABEL_SIZE);
    const lines = (doc.splitTextToSize(pdfCell(week.label, 40), slot - 0.5) as string[]).slice(0, 3);
    lines.forEach((line, n) => {
      doc.text(line, x + bar / 2, base + 3 + n * 2.6, { align: 'center' });
    });
    labelBottom = Math.max(labelBottom, base + 3 + lines.length * 2.6);
  });
  doc.setDrawColor(...GREY);
  doc.setLineWidth(0.2);
  doc.line(MARGIN, base, MARGIN + width, base);
  // Legend.
  let y = labelBottom + 3;
  let x = MARGIN;
  doc.setFontSize(8);
  for (const [color, label] of [
    [RED, input.texts.legendUnsaved],
    [BLUE, input.texts.legendSaved],
  ] as const) {
    const text = pdfCell(label, 80);
    doc.setFillColor(...color);
    doc.rect(x, y - 2.5, 3, 3, 'F');
    doc.text(text, x + 4.5, y);
    x += 4.5 + doc.getTextWidth(text) + 8;
  }
  y += 6;
  return y;
}

export function buildSchedulePdf(input: SchedulePdfInput): Uint8Array {
  const doc = new jsPDF({ orientation: 'portrait', unit: 'mm', format: 'a4', compress: true });
  doc.setCreationDate(input.generatedAt);
  doc.setProperties({
    title: pdfCell(`${input.texts.heading} — ${input.demarche} ${input.title}`),
    creator: 'Archiviste',
  });
  const pageWidth = doc.internal.pageSize.getWidth();
  const pageHeight = doc.internal.pageSize.getHeight();
  const width = pageWidth - 2 * MARGIN;

  let y = drawHeading(doc, input, width);
  if (input.weeks.length > 0) y = drawChart(doc, input, y, width);

  const head = [input.texts.columns.map((column) => pdfCell(column, 60))];
  const body: CellInput[][] =
    input.rows.length > 0
      ? input.rows.map((row) => [
          String(row.number),
          pdfCell(row.demandeur),
          pdfCell(row.state),
          pdfCell(row.deletionDate),
          pdfCell(row.daysLeft),
          pdfCell(row.source),
          pdfCell(row.archive),
        ])
      : [[{ content: pdfCell(input.texts.empty), colSpan: 7, styles: { halign: 'center', fontStyle: 'italic' } }]];

  autoTable(doc, {
    head,
    body,
    startY: y,
    margin: { top: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN },
    theme: 'grid',
    showHead: 'everyPage',
    rowPageBreak: 'auto',
    styles: {
      font: 'helvetica',
      fontSize: 8,
      cellPadding: 1.5,
      overflow: 'linebreak',
      valign: 'top',
      textColor: TEXT,
      lineColor: [0xdd, 0xdd, 0xdd],
      lineWidth: 0.1,
    },
    headStyles: { fillColor: BLUE, textColor: [0xff, 0xff, 0xff], fontStyle: 'bold' },
    alternateRowStyles: { fillColor: [0xf6, 0xf6, 0xf6] },
    columnStyles: {
      0: { cellWidth: 15 },
      1: { cellWidth: 'auto' },
      2: { cellWidth: 23 },
      3: { cellWidth: 22 },
      4: { cellWidth: 16, halign: 'right' },
      5: { cellWidth: 22 },
      6: { cellWidth: 37 },
    },
  });

  const pages = doc.getNumberOfPages();
  doc.setFont('helvetica', 'normal');
  doc.setFontSize(8);
  doc.setTextColor(...GREY);
  for (let n = 1; n <= pages; n += 1) {
    doc.setPage(n);
    doc.text(pdfCell(input.texts.page(n, pages), 80), pageWidth / 2, pageHeight - MARGIN / 2 - 1, {
      align: 'center',
    });
  }
  return new Uint8Array(doc.output('arraybuffer'));
}
