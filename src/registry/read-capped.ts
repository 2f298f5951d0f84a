/**
 * Reads a web stream (a fetch Response body) into one buffer while counting
 * bytes, and stops reading and cancels the stream as soon as it passes the cap.
 */

/** The bytes of `body`, or `onTooLarge()` once more than `maxBytes` arrived. */
export async function readCapped (body: ReadableStream<Uint8Array> | null, maxBytes: number, onTooLarge: () => never): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => {})
        onTooLarge()
      }
      chunks.push(value)
    }
  } finally {
    reader.releaseLock()
  }
  return Buffer.concat(chunks, total)
}
