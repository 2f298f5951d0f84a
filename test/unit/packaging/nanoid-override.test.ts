/**
 * package.json overrides the nanoid@6 that @libp2p/circuit-relay-v2 pulls in (engines: Node
 * ^22 || ^24 || >= 26) with nanoid@5 (Node ^18 || >= 20), so `npm install` on Node 20 is quiet.
 * The relay client calls it in one place, for reservation ids: `nanoid()`.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// By path, not require.resolve: the relay exports only an `import` condition, which
// require.resolve on Node 20.11 (before require(esm), 20.19) cannot resolve.
const relayRoot = fileURLToPath(new URL('../../../node_modules/@libp2p/circuit-relay-v2', import.meta.url))
const nanoidDir = join(relayRoot, 'node_modules', 'nanoid')

describe('nanoid as the circuit relay client uses it', () => {
  it('is the overridden major, whose engines include Node 20', () => {
    const pkg = JSON.parse(readFileSync(join(nanoidDir, 'package.json'), 'utf8')) as { version: string, engines: { node: string } }
    expect(pkg.version).toMatch(/^5\./)
    expect(pkg.engines.node).toBe('^18 || >=20')
  })

  it('makes distinct 21-character url-safe ids', async () => {
    const { nanoid } = await import(pathToFileURL(join(nanoidDir, 'index.js')).href) as { nanoid: () => string }
    const ids = new Set(Array.from({ length: 100 }, () => nanoid()))
    expect(ids.size).toBe(100)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{21}$/)
  })
})
