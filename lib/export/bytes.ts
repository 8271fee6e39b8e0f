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
