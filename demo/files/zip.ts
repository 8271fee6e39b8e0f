/**
 * A streaming, store-only ZIP writer (no compression), as DS's zipline streams `dossier-<id>.zip`:
 * each entry's local header is written before its bytes are known (general purpose bit 3, sizes and
 * CRC-32 in a data descriptor after the data), so archives of gigabytes stream in constant memory.
 * UTF-8 names (bit 11); CRC-32 by Node's native zlib. No Zip64: one entry and the whole archive must stay under 4 GiB.
 */
import { crc32 } from 'node:zlib';
import { parisWallTime } from '../time';

export interface ZipEntry {
  /** Path inside the archive, with `/` separators. */
  name: string;
  modifiedAt: Date;
  data(): Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

const LIMIT = 0xffff_ffff;
const FLAGS = 0x0808; // bit 3: data descriptor; bit 11: UTF-8 names

/** MS-DOS date and time of the entry, in Paris wall time like DS's servers. */
function dosDateTime(date: Date): { time: number; date: number } {
  const w = parisWallTime(date);
  return {
    time: (w.hour << 11) | (w.minute << 5) | Math.floor(w.second / 2),
    date: ((Math.max(w.year, 1980) - 1980) << 9) | (w.month << 5) | w.day,
  };
}

function localHeader(name: Uint8Array, stamp: { time: number; date: number }): Uint8Array {
  const header = new DataView(new ArrayBuffer(30));
  header.setUint32(0, 0x04034b50, true);
  header.setUint16(4, 20, true); // version needed: 2.0
  header.setUint16(6, FLAGS, true);
  header.setUint16(8, 0, true); // stored
  header.setUint16(10, stamp.time, true);
  header.setUint16(12, stamp.date, true);
  // CRC and sizes (14-25) stay zero: they follow in the data descriptor.
  header.setUint16(26, name.length, true);
  header.setUint16(28, 0, true);
  return concat(new Uint8Array(header.buffer), name);
}

function dataDescriptor(crc: number, size: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(16));
  view.setUint32(0, 0x08074b50, true);
  view.setUint32(4, crc, true);
  view.setUint32(8, size, true);
  view.setUint32(12, size, true);
  return new Uint8Array(view.buffer);
}

interface Written {
  name: Uint8Array;
  stamp: { time: number; date: number };
  crc: number;
  size: number;
  offset: number;
}

function centralDirectory(entries: readonly Written[], offset: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const entry of entries) {
    const view = new DataView(new ArrayBuffer(46));
    view.setUint32(0, 0x02014b50, true);
    view.setUint16(4, 0x031e, true); // made by: Unix, 3.0
    view.setUint16(6, 20, true);
    view.setUint16(8, FLAGS, true);
    view.setUint16(10, 0, true);
    view.setUint16(12, entry.stamp.time, true);
    view.setUint16(14, entry.stamp.date, true);
    view.setUint32(16, entry.crc, true);
    view.setUint32(20, entry.size, true);
    view.setUint32(24, entry.size, true);
    view.setUint16(28, entry.name.length, true);
    view.setUint32(38, (0o100644 << 16) >>> 0, true); // external attributes: a regular rw-r--r-- file
    view.setUint32(42, entry.offset, true);
    parts.push(new Uint8Array(view.buffer), entry.name);
    length += 46 + entry.name.length;
  }
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, length, true);
  end.setUint32(16, offset, true);
  parts.push(new Uint8Array(end.buffer));
  return concat(...parts);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const encoder = new TextEncoder();

/** Streams the archive of `entries` (a sync or async iterable, consumed once, in order). */
export async function* zipStream(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>): AsyncGenerator<Uint8Array> {
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = encoder.encode(entry.name);
    const stamp = dosDateTime(entry.modifiedAt);
    const header = localHeader(name, stamp);
    const start = offset;
    yield header;
    offset += header.length;
    let crc = 0;
    let size = 0;
    for await (const chunk of entry.data()) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
    offset += size;
    if (size > LIMIT || offset > LIMIT) throw new Error(`ZIP too large without Zip64 (${entry.name})`);
    const descriptor = dataDescriptor(crc, size);
    yield descriptor;
    offset += descriptor.length;
    written.push({ name, stamp, crc, size, offset: start });
  }
  yield centralDirectory(written, offset);
}
