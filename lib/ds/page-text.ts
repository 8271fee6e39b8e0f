import type { DossierNews, DossierState } from '@/lib/ds/model';
import { addDays, parisDate, parisTime } from '@/lib/platform/time';

/**
 * The texts DS prints on its pages (French locale, config/locales at e1338d7), read strictly: page
 * text is untrusted input, so anything that does not look exactly like DS's wording is ignored.
 */

const SPACES = /[\s\u00a0\u202f]+/g;

/** Text content with runs of whitespace (DS's HAML indentation, NBSPs) collapsed, trimmed. */
export function cleanText(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(SPACES, ' ').trim();
}

/** The element's own text, without its child elements: a title without its "Close" badge. */
export function ownText(element: Element): string {
  const own = [...element.childNodes].filter((node) => node.nodeType === node.TEXT_NODE);
  return own
    .map((node) => node.textContent)
    .join('')
    .replace(SPACES, ' ')
    .trim();
}

/** Names and titles are kept this long at most: a hostile 1 MB demandeur name stays a name. */
export const MAX_SHOWN_TEXT = 500;

/** Page text meant to be shown again (a demandeur, a title, an e-mail), cut to `MAX_SHOWN_TEXT`. */
export function shownText(text: string): string {
  return text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT - 1)}…` : text;
}

/** A whole non-negative number; thousands separators (`1 043`, `numbers-delimiter` spans) allowed. */
export function parseCount(text: string): number | undefined {
  const digits = text.replace(SPACES, '');
  if (!/^\d{1,15}$/.test(digits)) return undefined;
  return Number(digits);
}

/** A dossier or démarche number: digits only, not zero. */
export function parseId(text: string | null | undefined): number | undefined {
  if (!text || !/^[1-9]\d{0,14}$/.test(text)) return undefined;
  return Number(text);
}

/** "<libellé> - n°<id>" (DS's `procedure_libelle_with_number`) → "<libellé>". */
export function demarcheTitle(text: string, id: number): string {
  const suffix = ` - n°${id}`;
  return text.endsWith(suffix) ? text.slice(0, -suffix.length).trim() : text;
}

/** `status_badge` texts (lowercase, `dossier_display_state(lower: true)`). */
const STATES: Readonly<Record<string, DossierState>> = {
  'en construction': 'en_construction',
  'en instruction': 'en_instruction',
  accepté: 'accepte',
  refusé: 'refuse',
  'classé sans suite': 'sans_suite',
};

export function parseState(text: string): DossierState | undefined {
  return Object.hasOwn(STATES, text) ? STATES[text] : undefined;
}

/** `tag_notification` texts of the news badges (`fr-badge--new`). */
const NEWS: Readonly<Record<string, DossierNews>> = {
  'Dossier modifié': 'dossier_modifie',
  Message: 'message',
  'Annotation privée': 'annotation_instructeur',
  'Avis externe': 'avis_externe',
};

export function parseNews(text: string): DossierNews | undefined {
  return Object.hasOwn(NEWS, text) ? NEWS[text] : undefined;
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** The instant of a Paris wall-clock reading, or undefined when that day or time does not exist. */
function paris(year: number, month: number, day: number, hour = 0, minute = 0): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return undefined;
  const instant = parisTime(year, month, day, hour, minute);
  const expected = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return parisDate(instant) === expected ? instant : undefined;
}

/** `dd/mm/yyyy` (DS's `%d/%m/%Y`) → midnight Paris time of that day. */
export function parseDsDate(text: string): Date | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  return m ? paris(Number(m[3]), Number(m[2]), Number(m[1])) : undefined;
}

/** `24 janvier 2026 11:05` (DS's default time format `%d %B %Y %R`, Paris time) → that instant. */
export function parseDsDateTime(text: string): Date | undefined {
  const m = /^(\d{1,2}) (\p{Ll}+) (\d{4}) (\d{2}):(\d{2})$/u.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!) + 1;
  return month ? paris(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5])) : undefined;
}

/** `Le 14/01/2026 09:31` (DS's `short_datetime`, `Le %d/%m/%Y %H:%M`, Paris time) → that instant. */
export function parseDsShortDateTime(text: string): Date | undefined {
  const m = /^Le (\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text);
  return m ? paris(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4]), Number(m[5])) : undefined;
}

const BLOCKS: ReadonlySet<string> = new Set([
  'P',
  'DIV',
  'LI',
  'UL',
  'OL',
  'BLOCKQUOTE',
  'H1',
  'H2',
  'H3',
  'H4',
  'PRE',
]);

/**
 * The text of a piece of rich text (a message body) with its paragraphs and line breaks kept: one
 * line per `<br>`, a blank line between blocks; other whitespace (HAML's indentation) collapsed.
 */
export function multilineText(element: Element): string {
  const lines: string[] = [];
  let line = '';
  const breakLine = () => {
    lines.push(line.replace(SPACES, ' ').trim());
    line = '';
  };
  const walk = (node: Node) => {
    if (node.nodeType === node.TEXT_NODE) {
      line += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== node.ELEMENT_NODE) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (tag === 'BR') return breakLine();
    const block = BLOCKS.has(tag);
    if (block) breakLine();
    for (const child of node.childNodes) walk(child);
    if (block) {
      breakLine();
      lines.push('');
    }
  };
  for (const child of element.childNodes) walk(child);
  breakLine();
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The days in DS's "Expire dans N J." / "Suppression dans N J." notification badges: `date − today`,
 * so -1 on the night an expired dossier waits for DS's job to hide it; "X" when DS lacks the date.
 */
export function badgeDays(text: string, kind: 'Expire' | 'Suppression'): number | undefined {
  const m = new RegExp(`^${kind} dans (-?\\d{1,4}) J\\.$`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Midnight Paris time, `days` calendar days after the Paris date of `now`: DS counts a badge's days
 * as `date − today` in Paris, so the badge gives a day, not a time.
 */
export function parisDayAfter(now: Date, days: number): Date {
  const [year, month, day] = parisDate(now).split('-').map(Number) as [number, number, number];
  return addDays(parisTime(year, month, day), days);
}
