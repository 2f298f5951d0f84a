/**
 * CID recomputation matches `ipfs add`: checked against independently known
 * CIDs (the empty file, "hello world\n"), and verification accepts the right
 * bytes under v0, v1 and raw CIDs and refuses tampered ones.
 */

import { importBytes } from 'ipfs-unixfs-importer'
import { MemoryBlockstore } from 'blockstore-core'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { computeUnixfsCid, registryProblemOf, verifyCid } from '../../../src/registry/index.js'

const HELLO = new TextEncoder().encode('hello world\n')
const EMPTY = new Uint8Array(0)

/** Deterministic bytes spanning several 256 KiB chunks. */
function bigBytes (n: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = 1
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24 }
  return out
}

async function problem (p: Promise<unknown>): Promise<ReturnType<typeof registryProblemOf>> {
  try { await p } catch (err) { return registryProblemOf(err) }
  throw new Error('expected a refusal')
}

describe('computeUnixfsCid', () => {
  it('gives the well-known `ipfs add` CIDv0 of the empty file', async () => {
    expect((await computeUnixfsCid(EMPTY, 0)).toString()).toBe('QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH')
  })

  it('gives the well-known `ipfs add` CIDv0 of "hello world\\n"', async () => {
    expect((await computeUnixfsCid(HELLO, 0)).toString()).toBe('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')
  })

  it('gives the `ipfs add --cid-version 1` CID of a small file: one raw block, sha2-256 of the bytes', async () => {
    const cid = await computeUnixfsCid(HELLO, 1)
    expect(cid.toString()).toBe('bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4')
    expect(cid.equals(CID.createV1(0x55, await sha256.digest(HELLO)))).toBe(true)
  })

  it('agrees with the importer run directly with the kubo v0 profile on a multi-chunk file', async () => {
    const bytes = bigBytes(700_000)
    const direct = await importBytes(bytes, new MemoryBlockstore(), { profile: 'unixfs-v0-2015' })
    const cid = await computeUnixfsCid(bytes, 0)
    expect(cid.toString()).toBe(direct.cid.toString())
    expect(cid.version).toBe(0)
  })

  it('builds a dag-pb root over raw leaves for a multi-chunk CIDv1', async () => {
    const cid = await computeUnixfsCid(bigBytes(700_000), 1)
    expect(cid.version).toBe(1)
    expect(cid.code).toBe(0x70)
  })
})

describe('verifyCid', () => {
  it('accepts the right bytes for v0, v1 and raw CIDs', async () => {
    const bytes = bigBytes(300_000)
    for (const cid of [await computeUnixfsCid(bytes, 0), await computeUnixfsCid(bytes, 1), CID.createV1(0x55, await sha256.digest(bytes))]) {
      await expect(verifyCid(cid, bytes, 'src', 'test')).resolves.toBeUndefined()
    }
  })

  it('accepts a CIDv1 added with --raw-leaves=false', async () => {
    const cid = await computeUnixfsCid(HELLO, 1, { rawLeaves: false })
    expect(cid.code).toBe(0x70)
    await expect(verifyCid(cid, HELLO, 'src', 'test')).resolves.toBeUndefined()
  })

  it('refuses tampered bytes, naming the expected and computed CIDs', async () => {
    const cid = CID.parse('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o')
    const tampered = new TextEncoder().encode('hello world!\n')
    const computed = (await computeUnixfsCid(tampered, 0)).toString()
    const p = await problem(verifyCid(cid, tampered, '/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o', 'the IPFS API at http://127.0.0.1:5001'))
    expect(p?.kind).toBe('cid-mismatch')
    expect(p?.expectedCid).toBe(cid.toString())
    expect(p?.computedCid).toBe(computed)
    expect(p?.message).toBe(`/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o: content from the IPFS API at http://127.0.0.1:5001 does not match its CID: expected QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o, computed ${computed}; refusing it`)
  })

  it('refuses a truncated multi-chunk file', async () => {
    const bytes = bigBytes(600_000)
    const cid = await computeUnixfsCid(bytes, 1)
    expect((await problem(verifyCid(cid, bytes.subarray(0, 500_000), 's', 't')))?.kind).toBe('cid-mismatch')
  })

  it('refuses CIDs it cannot recompute', async () => {
    const { identity } = await import('multiformats/hashes/identity')
    const dagCbor = CID.createV1(0x71, await sha256.digest(HELLO))
    const p = await problem(verifyCid(dagCbor, HELLO, 's', 't'))
    expect(p?.kind).toBe('unsupported-cid')
    expect(p?.message).toBe(`s: cannot verify CID ${dagCbor.toString()}: unsupported codec 0x71 (only dag-pb and raw files can be verified)`)
    // identity-hashed raw CIDs carry the bytes themselves and are verifiable
    await expect(verifyCid(CID.createV1(0x55, identity.digest(HELLO)), HELLO, 's', 't')).resolves.toBeUndefined()
  })
})
