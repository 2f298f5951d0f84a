/**
 * Reads a registry file with the size cap: refused up front when the file is
 * larger, and never more than `maxBytes + 1` bytes read (the file may grow).
 */

import { open } from 'node:fs/promises'
import { failRegistry, registryProblemOf } from './problem.js'
import { failTooLarge } from './size.js'

function failIo (path: string, err: unknown): never {
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'ENOENT') failRegistry('not-found', path, `${path}: no such registry file`, { cause: err })
  if (code === 'EACCES' || code === 'EPERM') failRegistry('io', path, `${path}: permission denied`, { cause: err })
  if (code === 'EISDIR') failRegistry('io', path, `${path}: is a directory, not a registry file`, { cause: err })
  failRegistry('io', path, `${path}: cannot read: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}

/** The bytes of the file at `path`, at most `maxBytes`; throws a registry error otherwise. */
export async function fetchFile (path: string, maxBytes: number): Promise<Uint8Array> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    failIo(path, err)
  }
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) failRegistry('io', path, `${path}: is a directory, not a registry file`)
    if (stat.size > maxBytes) failTooLarge(path, maxBytes, stat.size)
    const buffer = Buffer.alloc(maxBytes + 1)
    let total = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null)
      if (bytesRead === 0) break
      total += bytesRead
      if (total > maxBytes) failTooLarge(path, maxBytes)
    }
    return buffer.subarray(0, total)
  } catch (err) {
    if (registryProblemOf(err) !== undefined) throw err
    return failIo(path, err)
  } finally {
    await handle.close().catch(() => {})
  }
}
