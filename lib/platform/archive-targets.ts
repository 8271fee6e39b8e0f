import { db } from '@/lib/core/db';
import { writeInBlocks } from '@/lib/export/bytes';
import { downloadAndWait } from './downloads';

/**
 * Where the export page writes a bulk archive's parts.
 *
 * - A folder chosen through the File System Access API (Chrome, Edge): each part is streamed into
 *   its file as it is made, so memory stays flat whatever the size; the browser writes into a
 *   temporary file and gives it its name only when the part is complete, so a closed tab leaves no
 *   half-written part behind. The folder is remembered for « Reprendre ».
 * - The browser's downloads (Firefox, which has no folder picker): each part is made into a Blob
 *   (Firefox keeps large Blobs in temporary files) and saved under its name.
 */

/** Each write into a chosen folder's file is a trip to the browser process: write megabytes at a time. */
const WRITE_BYTES = 4 << 20;

export interface ArchiveTarget {
  /** What the user sees: the folder's name, or « Téléchargements ». */
  label: string;
  /** Writes the stream under `name` (or a free variant of it) and resolves with the name written. */
  writePart(name: string, stream: ReadableStream<Uint8Array>): Promise<string>;
}

type DirectoryPicker = (options: { id?: string; mode: 'readwrite' }) => Promise<FileSystemDirectoryHandle>;

/** True where the browser lets a page choose a folder to write into. */
export const canPickDirectory = () =>
  typeof (globalThis as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker === 'function';

/** The system's folder dialog; rejects with an AbortError when the user closes it. */
export function pickDirectory(): Promise<FileSystemDirectoryHandle> {
  const picker = (globalThis as unknown as { showDirectoryPicker: DirectoryPicker }).showDirectoryPicker;
  return picker({ id: 'archiviste-archives', mode: 'readwrite' });
}

/** True when `name` holds something: an empty file is what a part cut short leaves behind. */
async function holdsData(folder: FileSystemDirectoryHandle, name: string): Promise<boolean> {
  try {
    return (await (await folder.getFileHandle(name)).getFile()).size > 0;
  } catch {
    return false;
  }
}

/**
 * `name.zip`, else `name (2).zip`, … : an archive never overwrites a file with data. An empty file of
 * that name is reused: it is what a part cut short leaves (the browser creates the name at once and
 * writes the bytes only when the part is complete).
 */
async function freeName(folder: FileSystemDirectoryHandle, name: string): Promise<string> {
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; await holdsData(folder, candidate); n++) candidate = `${base} (${n})${ext}`;
  return candidate;
}

export function directoryTarget(folder: FileSystemDirectoryHandle): ArchiveTarget {
  return {
    label: folder.name,
    async writePart(name, stream) {
      const written = await freeName(folder, name);
      const file = await folder.getFileHandle(written, { create: true });
      const writable = await file.createWritable();
      try {
        // Closes the file (it gets its bytes) at the end, and aborts it (they are dropped) on error.
        await writeInBlocks(stream, writable, WRITE_BYTES);
      } catch (error) {
        // Leave no empty file behind the part that failed or was stopped.
        await folder.removeEntry(written).catch(() => {});
        throw error;
      }
      return written;
    },
  };
}

export function downloadsTarget(label: string): ArchiveTarget {
  return {
    label,
    async writePart(name, stream) {
      const blob = await new Response(stream).blob();
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/zip' }));
      try {
        return await downloadAndWait(url, name);
      } finally {
        URL.revokeObjectURL(url);
      }
    },
  };
}

/** The folder of an archive, kept for « Reprendre » (the export page owns this table). */
export async function rememberDirectory(job: number, handle: FileSystemDirectoryHandle): Promise<void> {
  await db.archiveTargets.put({ job, handle });
}

/**
 * The folder chosen earlier for this archive, if the user lets the page write there again (asked on
 * their click: browsers only grant it then).
 */
export async function rememberedDirectory(job: number): Promise<FileSystemDirectoryHandle | null> {
  const row = await db.archiveTargets.get(job);
  if (!row) return null;
  const handle = row.handle as FileSystemDirectoryHandle & {
    requestPermission?: (options: { mode: 'readwrite' }) => Promise<PermissionState>;
  };
  const granted = (await handle.requestPermission?.({ mode: 'readwrite' })) ?? 'denied';
  return granted === 'granted' ? handle : null;
}
