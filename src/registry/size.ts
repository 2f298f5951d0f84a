/**
 * The size cap: a human-readable byte count and the "too large" error.
 */

import { failRegistry } from './problem.js'

/** `1 MiB`, `512 KiB`, `300 bytes`. */
export function formatBytes (n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}

/**
 * Throws the `too-large` error. `size` is the full size when known (a file's
 * length, a Content-Length), else undefined (we stopped reading at the cap).
 */
export function failTooLarge (source: string, maxBytes: number, size?: number): never {
  const actual = size === undefined ? '' : ` (${size} bytes)`
  failRegistry('too-large', source, `${source}: registry is larger than the limit of ${formatBytes(maxBytes)}${actual}; refusing it`)
}
