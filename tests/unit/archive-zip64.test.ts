// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { DossierEntries, ExportResult } from '@/lib/export/build-zip';
import { ARCHIVE_INVENTORY, buildArchivePart } from '@/lib/export/bulk/archive-part';

/**
 * An archive past 4 GB: client-zip writes Zip64 records, and the archive's own bookkeeping (sizes,
 * inventory) holds. The data is one 4.1 GB file of zeros, streamed and counted, never held.
 */
const GB = 2 ** 30;
const CHUNK = new Uint8Array(8 * 2 ** 20);
const SIZE = Math.floor(4.1 * GB);

function bigDossier(number: number): DossierEntries {
  const path = `dossier-${number}/pieces_justificatives/scan.bin`;
  async function* zeros() {
    for (let sent = 0; sent < SIZE; sent += CHUNK.byteLength)
      yield CHUNK.subarray(0, Math.min(CHUNK.byteLength, SIZE - sent));
  }
  const result: ExportResult = {
    dossier: number,
    zipName: `dossier-${number}.zip`,
    exportedAt: '2026-01-15T09:00:00.000Z',
    files: [{ path, size: SIZE, md5: 'x', source: 'API', status: 'vérifié' }],
    missing: [],
    inventory: [{ path, size: SIZE, md5: 'x', source: 'API', status: 'vérifié' }],
    complete: true,
    summary: 'complet',
    bytes: SIZE,
    planRefreshes: 0,
    fileRequests: 1,
  };
  async function* entries() {
    yield { name: path, lastModified: new Date(result.exportedAt), input: zeros() as unknown as Uint8Array };
  }
  return { name: result.zipName, entries: entries(), result: Promise.resolve(result) };
}

describe('an archive part past 4 GB', () => {
  it('ends with Zip64 records and keeps its inventory', async () => {
    const part = buildArchivePart({
      dossiers: [1],
      source: { prepare: async (n) => bigDossier(n), explain: String, lookahead: 1 },
      exportedAt: new Date('2026-01-15T09:00:00Z'),
    });
    let total = 0;
    let tail = new Uint8Array(0);
    const reader = part.stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // Keep the last 64 kB: the central directory, its Zip64 records and the inventory.
      const joined = new Uint8Array(tail.byteLength + value.byteLength);
      joined.set(tail);
      joined.set(value, tail.byteLength);
      tail = joined.subarray(Math.max(0, joined.byteLength - 65_536));
    }
    expect(total).toBeGreaterThan(SIZE);
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    const signatures = new Set<number>();
    for (let i = 0; i + 4 <= tail.byteLength; i++) signatures.add(view.getUint32(i, true));
    // Zip64 end of central directory record and its locator.
    expect(signatures.has(0x06064b50)).toBe(true);
    expect(signatures.has(0x07064b50)).toBe(true);
    expect(new TextDecoder().decode(tail)).toContain(ARCHIVE_INVENTORY);
    const result = await part.result;
    expect(result.bytes).toBe(SIZE);
    expect(result.written.map((r) => r.dossier)).toEqual([1]);
  }, 180_000);
});
