/** The chunks of a body as one array (the chunk itself when there is only one). */
export function concatBytes(
  chunks: readonly Uint8Array[],
  size = chunks.reduce((n, c) => n + c.byteLength, 0),
): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength === size) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Writes a stream into `writable` in blocks of `blockBytes`: a ZIP stream is mostly tiny headers
 * between files, and each write into a file of the File System Access API is a trip to the browser
 * process. One block is filled again and again (written once the last write is done), so a
 * gigabyte allocates nothing. Closes `writable` at the end; aborts it (its bytes dropped) and
 * cancels the stream on a failure, like `pipeTo`.
 */
export async function writeInBlocks(
  stream: ReadableStream<Uint8Array>,
  writable: WritableStream<Uint8Array>,
  blockBytes: number,
): Promise<void> {
  const reader = stream.getReader();
  const writer = writable.getWriter();
  const block = new Uint8Array(blockBytes);
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled === 0 && value.byteLength >= blockBytes) {
        await writer.write(value);
        continue;
      }
      for (let offset = 0; offset < value.byteLength; ) {
        const take = Math.min(value.byteLength - offset, blockBytes - filled);
        block.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === blockBytes) {
          await writer.write(block);
          filled = 0;
        }
      }
    }
    if (filled > 0) await writer.write(block.subarray(0, filled));
    await writer.close();
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    await writer.abort(error).catch(() => {});
    throw error;
  }
}

/** Chunks already in memory as a stream, handed on as they are (no copy). */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      else controller.close();
    },
  });
}

/** A body read to its end, or as far as it came before the connection broke. */
export interface ReadBody {
  chunks: Uint8Array[];
  size: number;
  /** The connection dropped before the end. */
  broken: boolean;
}

/** Reads a body chunk by chunk, handing each to `onChunk` as it arrives (to hash it, to note progress). */
export async function readBody(
  body: ReadableStream<Uint8Array>,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<ReadBody> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks, size, broken: false };
      onChunk?.(value);
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    return { chunks, size, broken: true };
  }
}
