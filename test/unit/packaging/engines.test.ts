/**
 * Every package in package-lock.json must declare a Node range (`engines.node`) that includes
 * p2pchat's own floor (package.json `engines.node`, Node 20.11), or npm prints EBADENGINE when
 * it installs it there. The one known exception is listed below with its reason; a new
 * offender, or a change to a listed one, fails this test.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import semver from 'semver'

const root = new URL('../../../', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string, engines?: { node?: string } | string[] }>
}

/**
 * Packages whose engines exclude the floor but which run there, by name and exact range.
 * @noble/* 2.x (cryptography for @libp2p/crypto and the Noise handshake, through semver ranges
 * ^2) are ESM-only and declare Node >= 20.19 because that is where a CommonJS program can
 * require() an ES module; p2pchat and libp2p import them as ES modules, which Node 20.11 loads.
 * Every 2.x release declares the same, and 1.x has another API (see README, "Supported Node
 * versions"), so npm warns about these three on Node 20.11-20.18 and on nothing else.
 */
const RUN_BELOW_THEIR_RANGE: Record<string, string> = {
  '@noble/ciphers': '>= 20.19.0',
  '@noble/curves': '>= 20.19.0',
  '@noble/hashes': '>= 20.19.0'
}

/** Lockfile entries whose Node range excludes `version`, as "name@version (range)". */
function excluding (version: string): Array<{ name: string, range: string, entry: string }> {
  const found: Array<{ name: string, range: string, entry: string }> = []
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '') continue
    // Old manifests may give engines as an array of strings; npm ignores that form.
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
    if (range === undefined) continue
    if (semver.satisfies(version, range, { includePrerelease: true })) continue
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    found.push({ name, range, entry: `${name}@${entry.version ?? '?'} (${range})` })
  }
  return found
}

describe('engines of the installed packages', () => {
  const floor = semver.minVersion(manifest.engines.node)?.version ?? ''

  it('the floor is Node 20.11', () => {
    expect(floor).toBe('20.11.0')
  })

  it('no package excludes the floor, but the listed ones with their listed range', () => {
    const offenders = excluding(floor)
    const unlisted = offenders.filter(o => RUN_BELOW_THEIR_RANGE[o.name] !== o.range).map(o => o.entry)
    expect(unlisted).toEqual([])
  })

  it('each listed exception is still installed and still excludes the floor (else drop it)', () => {
    const names = excluding(floor).map(o => o.name).sort()
    expect(names).toEqual(Object.keys(RUN_BELOW_THEIR_RANGE).sort())
  })

  it('nothing excludes Node 24, the other version CI runs', () => {
    expect(excluding('24.0.0').map(o => o.entry)).toEqual([])
  })
})
