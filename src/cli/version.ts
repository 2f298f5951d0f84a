/**
 * The package's version, read from package.json (found from the sources and
 * from dist/ alike), for `p2pchat --version`.
 */

import { readFileSync } from 'node:fs'
import { packageFile } from '../sim/package-path.js'

/** The `version` field of this package's package.json. */
export function packageVersion (): string {
  const parsed = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: unknown }
  return typeof parsed.version === 'string' ? parsed.version : 'unknown'
}
