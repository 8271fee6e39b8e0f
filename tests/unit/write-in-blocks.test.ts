import { describe, expect, it } from 'vitest';
import { streamOf, writeInBlocks } from '@/lib/export/bytes';

/** A file's writable stream that copies what each write gives, as the File System Access API does. */
function recordingFile() {
  const writes: number[][] = [];
  const state = { closed: false, aborted: null as unknown };
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) => {
      writes.push([...chunk]);
    },
    close: () => {
      state.closed = true;
    },
    abort: (reason) => {
      state.aborted = reason;
    },
  });
  return { writable, writes, state };
}

const bytes = (from: number, length: number) => Uint8Array.from({ length }, (_, i) => (from + i) % 256);

describe('writeInBlocks', () => {
  it('writes whole blocks, then the rest, every byte once and in order, and closes the file', async () => {
    const file = recordingFile();
    const chunks = [bytes(0, 3), bytes(3, 1), bytes(4, 2), bytes(6, 3), bytes(9, 2)];
    await writeInBlocks(streamOf(chunks), file.writable, 4);
    expect(file.writes.map((w) => w.length)).toEqual([4, 4, 3]);
    expect(file.writes.flat()).toEqual([...bytes(0, 11)]);
    expect(file.state.closed).toBe(true);
  });

  it('hands a chunk of a block or more on as it is when no block is being filled', async () => {
    const file = recordingFile();
    await writeInBlocks(streamOf([bytes(0, 10), bytes(10, 1)]), file.writable, 4);
    expect(file.writes.map((w) => w.length)).toEqual([10, 1]);
    expect(file.writes.flat()).toEqual([...bytes(0, 11)]);
  });

  it('aborts the file (nothing kept) and cancels the stream when the stream fails', async () => {
    const file = recordingFile();
    const failure = new Error('DS cut the file');
    let sent = false;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) controller.error(failure);
        else controller.enqueue(bytes(0, 2));
        sent = true;
      },
    });
    await expect(writeInBlocks(failing, file.writable, 4)).rejects.toBe(failure);
    expect(file.state).toEqual({ closed: false, aborted: failure });
  });

  it('stops reading and fails with the file’s error when a write is refused (disk full)', async () => {
    const full = new DOMException('no space', 'QuotaExceededError');
    let cancelled: unknown = null;
    const source = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(bytes(0, 4)),
      cancel: (reason) => {
        cancelled = reason;
      },
    });
    const refusing = new WritableStream<Uint8Array>({
      write: () => {
        throw full;
      },
    });
    await expect(writeInBlocks(source, refusing, 4)).rejects.toBe(full);
    expect(cancelled).toBe(full);
  });
});
