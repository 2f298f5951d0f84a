/**
 * Finds a file of this package (e.g. `bin/p2pchat.js`) by walking up from this
 * module, so it works from the TypeScript sources and from `dist/`.
 */

import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The absolute path of `relative` in the package root, or throws. */
export function packageFile (relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, relative)
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new Error(`cannot find ${relative} above ${fileURLToPath(import.meta.url)}`)
}
