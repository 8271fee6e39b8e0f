// @vitest-environment node
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import {
  buildSchedulePdf,
  MAX_CELL,
  pdfCell,
  pdfSafeText,
  type SchedulePdfInput,
  type ScheduleRow,
} from '@/lib/export/schedule-pdf';

const standardFontDataUrl = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

const HOSTILE = (() => {
  const head = '<script>alert(1)</script> \u202Eevil\u202C \u200B\u200D\u2066x\u2069 😀 שלום ';
  return head + 'A'.repeat(1000 - head.length);
})();

function texts(): SchedulePdfInput['texts'] {
  return {
    heading: 'Échéancier des suppressions',
    generated: 'Établi le 29/11/2026 à 16:10',
    columns: ['N°', 'Demandeur', 'État', 'Suppression', 'Jours', 'Source', 'Sauvegarde'],
    chart: 'Suppressions par semaine',
    legendUnsaved: 'Non sauvegardés',
    legendSaved: 'Sauvegardés',
    page: (n, of) => `Page ${n} / ${of}`,
    empty: 'Aucun dossier dans cet onglet.',
  };
}

function input(rows: ScheduleRow[]): SchedulePdfInput {
  return {
    title: 'Subvention « Jeunes pousses » 2026',
    demarche: 4321,
    tab: 'au total',
    filters: 'Filtres : État du dossier : En instruction · N° dossier : 200007',
    generatedAt: new Date('2026-11-29T15:10:00Z'),
    rows,
    weeks: Array.from({ length: 13 }, (_, index) => ({
      label: `${String(index + 1).padStart(2, '0')}/12 – ${String(index + 7).padStart(2, '0')}/12`,
      total: index * 3,
      unsaved: index,
    })),
    texts: texts(),
  };
}

function rows(count: number): ScheduleRow[] {
  return Array.from({ length: count }, (_, index) => ({
    number: 200_000 + index * 7,
    demandeur: index === 5 ? HOSTILE : `Demandeur ${index} – Société d’études`,
    state: index % 2 ? 'En instruction' : 'En construction',
    deletionDate: '04/12/2026',
    daysLeft: String(index % 90),
    source: index % 3 ? 'API' : 'estimation',
    archive: index % 4 ? 'Non sauvegardé' : 'Sauvegardé le 01/11/2026',
  }));
}

interface ReadPage {
  items: string[];
  text: string;
  fills: string[];
}

async function readPdf(data: Uint8Array): Promise<ReadPage[]> {
  const pdf = await getDocument({ data: data.slice(), standardFontDataUrl, isEvalSupported: false }).promise;
  const pages: ReadPage[] = [];
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const items = content.items.flatMap((item) => ('str' in item ? [item.str] : []));
    const operators = await page.getOperatorList();
    const fills = operators.fnArray.flatMap((fn, index) =>
      fn === OPS.setFillRGBColor ? [String(operators.argsArray[index]?.[0]).toLowerCase()] : [],
    );
    pages.push({ items, text: items.join('\n'), fills });
  }
  await pdf.destroy();
  return pages;
}

/** What the standard fonts encode: Latin-1 and cp1252's 0x80–0x9F. */
const WIN_ANSI = /^[\n\u0020-\u007e\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/u;

describe('pdfSafeText', () => {
  it.each([
    ['Société d’études « ok » … 12 €', 'Société d’études « ok » … 12 €'],
    ['e\u0301te\u0301', 'été'],
    ['1\u202F000\u00A0€', '1 000\u00A0€'],
    ['a\u200Bb\u200Dc\uFEFFd', 'abcd'],
    ['\u202Eabc\u202C \u2067x\u2069', 'abc x'],
    ['😀 👩‍👩‍👧', '? ???'],
    ['שלום', '????'],
    ['line\nbreak\ttab', 'line break tab'],
    ['a\u2011b\u2212c', 'a-b-c'],
  ])('%j → %j', (value, expected) => {
    expect(pdfSafeText(value)).toBe(expected);
  });

  it('cuts a cell with an ellipsis', () => {
    const cell = pdfCell('x'.repeat(1000));
    expect(Array.from(cell)).toHaveLength(MAX_CELL);
    expect(cell.endsWith('…')).toBe(true);
    expect(pdfCell('  a \n b  ')).toBe('a b');
  });
});

describe('buildSchedulePdf', () => {
  it('writes a multi-page échéancier with every dossier, the chart and page numbers', async () => {
    const list = rows(250);
    const data = buildSchedulePdf(input(list));
    expect(new TextDecoder().decode(data.slice(0, 5))).toBe('%PDF-');

    const pages = await readPdf(data);
    const count = pages.length;
    expect(count).toBeGreaterThan(3);
    const first = pages[0] as ReadPage;
    expect(first.text).toContain('Échéancier des suppressions');
    expect(first.text).toContain('4321 — Subvention « Jeunes pousses » 2026');
    // The tab, then the instructeur's filters on DS, under the title.
    const tab = first.items.indexOf('au total');
    expect(tab).toBeGreaterThan(first.items.indexOf('4321 — Subvention « Jeunes pousses » 2026'));
    expect(first.items[tab + 1]).toBe('Filtres : État du dossier : En instruction · N° dossier : 200007');
    expect(first.text).toContain('Établi le 29/11/2026 à 16:10');
    expect(first.text).toContain('Suppressions par semaine');
    expect(first.text).toContain('Non sauvegardés');
    // Chart: the stacked bars in DSFR red #e1000f and blue #000091 (jsPDF writes 3 decimals: ±1).
    expect(first.fills.some((fill) => /^#e[01]000f$/.test(fill))).toBe(true);
    expect(first.fills.some((fill) => /^#00009[01]$/.test(fill))).toBe(true);

    pages.forEach((page, index) => {
      expect(page.items.map((item) => item.trim())).toContain(`Page ${index + 1} / ${count}`);
      // The header row is repeated on every page.
      expect(page.items).toContain('Demandeur');
      expect(page.text).toMatch(WIN_ANSI);
    });
    expect(first.text).toContain(`Page 1 / ${count}`);
    expect(pages.at(-1)?.text).toContain(`Page ${count} / ${count}`);

    const items = new Set(pages.flatMap((page) => page.items.map((item) => item.trim())));
    for (const row of list) expect(items.has(String(row.number)), String(row.number)).toBe(true);
  }, 30_000);

  it('draws a hostile demandeur as plain, capped, readable text', async () => {
    const pages = await readPdf(buildSchedulePdf(input(rows(12))));
    const text = pages.map((page) => page.text).join('\n');
    expect(pages).toHaveLength(1);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('evil');
    expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u);
    expect(text).toMatch(WIN_ANSI);
    expect(text).toContain('…');
    const letters = (text.match(/A{5,}/g) ?? []).join('').length;
    expect(letters).toBeGreaterThan(100);
    expect(letters).toBeLessThan(MAX_CELL);
    // The rows after it are still there.
    const items = pages[0]?.items.map((item) => item.trim()) ?? [];
    expect(items).toContain(String(200_000 + 6 * 7));
    expect(items).toContain(String(200_000 + 11 * 7));
  });

  it('says so when the tab is empty', async () => {
    const pages = await readPdf(buildSchedulePdf({ ...input([]), filters: 'Filtres : aucun' }));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.text).toContain('Aucun dossier dans cet onglet.');
    expect(pages[0]?.text).toContain('Filtres : aucun');
    expect(pages[0]?.text).toContain('Page 1 / 1');
  });
});
