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
 * Gathers a stream's small chunks into pieces of at least `minBytes`: a ZIP stream is mostly tiny
 * headers between files, and each write into a file of the File System Access API is a trip to
 * the browser process.
 */
export function coalesced(minBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let pending: Uint8Array[] = [];
  let size = 0;
  const flush = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (size === 0) return;
    controller.enqueue(concatBytes(pending, size));
    pending = [];
    size = 0;
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending.push(chunk);
      size += chunk.byteLength;
      if (size >= minBytes) flush(controller);
    },
    flush,
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
