import { wallClock } from '@/lib/platform/time';

/**
 * DS's per-dossier ZIP layout (`telecharger_pjs`, API-AND-RULES §4) and safe ZIP paths.
 *
 *   dossier-<n>/export-<n>-<dd-mm-YYYY-HH-MM>-<n%10000>.pdf      the dossier PDF
 *   dossier-<n>/pieces_justificatives/<base>-<stamp>[-<id%10000>]<ext>   champ files, attestation
 *   dossier-<n>/messagerie/…    message attachments
 *   dossier-<n>/avis/…          avis attachments
 *   dossier-<n>/dossier/…       the motivation justificatif
 *
 * File names come from dossiers, i.e. from anyone who can file one: every name is sanitised into a
 * single harmless path segment (no `..`, no separator, no control or invisible character, no
 * Windows reserved name, bounded length) and made unique in its folder before it reaches the ZIP.
 */

export type LayoutFolder = 'pieces_justificatives' | 'messagerie' | 'avis' | 'dossier';

/** Longest path segment, in UTF-8 bytes: file systems cap names at 255 bytes; keep a margin. */
export const MAX_SEGMENT_BYTES = 180;
/** Longer "extensions" are not extensions (e.g. `a.verylongsuffixwithoutmeaning`). */
const MAX_EXTENSION_CHARS = 12;
const FALLBACK_NAME = 'fichier';

/** `dd-mm-YYYY-HH-MM` in Paris time, as DS stamps the names in its ZIPs. */
export function fileNameStamp(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${String(instant)}`);
  const p = wallClock(date);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.day)}-${two(p.month)}-${p.year}-${two(p.hour)}-${two(p.minute)}`;
}

function checkDossierNumber(n: number): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`Not a dossier number: ${n}`);
}

/** `dossier-<n>/`, the ZIP's root folder. */
export function dossierFolder(dossier: number): string {
  checkDossierNumber(dossier);
  return `dossier-${dossier}/`;
}

/** The name of the ZIP itself, as DS names its `telecharger_pjs` download. */
export function dossierZipName(dossier: number): string {
  checkDossierNumber(dossier);
  return `dossier-${dossier}.zip`;
}

/** `export-<n>-<dd-mm-YYYY-HH-MM>-<n%10000>.pdf`, stamped with the dossier's last modification. */
export function dossierPdfName(dossier: number, updatedAt: Date | string): string {
  checkDossierNumber(dossier);
  return `export-${dossier}-${fileNameStamp(updatedAt)}-${dossier % 10000}.pdf`;
}

/**
 * Characters that must never reach a name: controls (C0, C1, DEL) and format characters (zero-width
 * spaces and joiners, bidi overrides and isolates such as U+202E, soft hyphen, BOM), plus line and
 * paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/** Separators and what Windows refuses in names. */
const FORBIDDEN = /[/\\<>:"|?*]/g;
/** CON, PRN, AUX, NUL, COM0-9, LPT0-9 (with superscript digits too): reserved on Windows, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Splits `name.ext` into base and extension (dot included); a leading dot is not an extension. */
export function splitExtension(name: string): [base: string, ext: string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return [name, ''];
  const ext = name.slice(dot);
  if (ext.length > MAX_EXTENSION_CHARS + 1 || !/^\.[\p{L}\p{N}][\p{L}\p{N}_-]*$/u.test(ext)) return [name, ''];
  return [name.slice(0, dot), ext];
}

const utf8 = new TextEncoder();
const byteLength = (text: string) => utf8.encode(text).length;

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, on a whole code point (never half a surrogate pair). */
function cutToBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = byteLength(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

/** Trims what Windows and shells mishandle at the ends: spaces and dots. */
const trimEnds = (text: string) => text.replace(/^[\s.]+|[\s.]+$/gu, '');

/**
 * An untrusted file name as one safe path segment: NFC, invisible characters dropped, separators
 * and Windows-forbidden characters replaced by `_`, no leading/trailing dot or space (so never `.`
 * or `..`), reserved device names prefixed, and at most {@link MAX_SEGMENT_BYTES} bytes with the
 * extension kept. Never empty.
 */
export function sanitizeFileName(name: string, maxBytes: number = MAX_SEGMENT_BYTES): string {
  const cleaned = trimEnds(
    String(name ?? '')
      .normalize('NFC')
      .replace(INVISIBLE, '')
      .replace(FORBIDDEN, '_')
      .replace(/\s+/gu, ' '),
  );
  const [base, ext] = splitExtension(cleaned || FALLBACK_NAME);
  return fitName(base, '', ext, maxBytes);
}

/**
 * `base + suffix + ext` within `maxBytes`: the base is shortened first, then, if ever needed, the
 * extension dropped. The base is re-checked for Windows reserved names and empty results.
 */
export function fitName(base: string, suffix: string, ext: string, maxBytes: number = MAX_SEGMENT_BYTES): string {
  let safeBase = trimEnds(base) || FALLBACK_NAME;
  // `aux.pdf`, `CON`, `com1.tar`: the device name is what precedes the first dot.
  const stem = safeBase.split('.')[0]!.trim();
  if (WINDOWS_RESERVED.test(stem)) safeBase = `_${safeBase}`;
  let tail = `${suffix}${ext}`;
  if (byteLength(tail) >= maxBytes - 8) tail = cutToBytes(suffix, Math.max(0, maxBytes - 8));
  const room = maxBytes - byteLength(tail);
  const cut = trimEnds(cutToBytes(safeBase, room)) || FALLBACK_NAME.slice(0, Math.max(1, room));
  return `${cut}${tail}`;
}

/**
 * DS's timestamped name: `<base>-<dd-mm-YYYY-HH-MM>[-<id%10000>]<ext>`. The API gives no attachment
 * id, so in API mode the `-<id%10000>` part is left out (DS uses it only to tell names apart; the
 * {@link ZipPaths} registry does that here).
 */
export function timestampedName(filename: string, createdAt: Date | string, attachmentId?: number): string {
  const [base, ext] = splitExtension(sanitizeFileName(filename));
  const id = attachmentId === undefined ? '' : `-${Math.abs(Math.trunc(attachmentId)) % 10000}`;
  return fitName(base, `-${fileNameStamp(createdAt)}${id}`, ext);
}

/**
 * The paths of one ZIP: every claimed path is unique (compared case-insensitively and in NFC, as
 * Windows and macOS file systems do) and stays inside the dossier folder. A second `a.pdf` becomes
 * `a (2).pdf`.
 */
export class ZipPaths {
  readonly root: string;
  readonly #taken = new Set<string>();

  constructor(dossier: number) {
    this.root = dossierFolder(dossier);
  }

  /**
   * A unique path for `name` (sanitised here, whatever it holds) in `folder` (one of DS's, or the
   * dossier's root when omitted).
   */
  claim(name: string, folder?: LayoutFolder): string {
    const dir = folder ? `${this.root}${folder}/` : this.root;
    const [base, ext] = splitExtension(sanitizeFileName(name));
    for (let n = 1; ; n++) {
      const candidate = `${dir}${fitName(base, n === 1 ? '' : ` (${n})`, ext)}`;
      const key = candidate.normalize('NFC').toLowerCase();
      if (!this.#taken.has(key)) {
        this.#taken.add(key);
        return candidate;
      }
    }
  }

  /** Whether a path was claimed already. */
  has(path: string): boolean {
    return this.#taken.has(path.normalize('NFC').toLowerCase());
  }
}

/** Names Archiviste adds at the dossier's root, beside DS's own files. */
export const ARCHIVISTE_FILES = {
  dossierJson: 'dossier.json',
  transcript: 'messagerie.txt',
  inventory: 'inventaire.csv',
} as const;
