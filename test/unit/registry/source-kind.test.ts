/**
 * What a `--registry` string names: a file, an http(s) URL, or a CID in any
 * of its spellings; garbage is refused with INVALID_FLAG.
 */

import { describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { classifySource, registryProblemOf, resolveLoadOptions } from '../../../src/registry/index.js'

const V0 = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
const V1 = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4'

function kindOf (source: string): string {
  const s = classifySource(source)
  return s.kind === 'cid' ? `cid:${s.cid.toString()}` : s.kind === 'url' ? `url:${s.url}` : `file:${s.path}`
}

function refusal (fn: () => unknown): string {
  try { fn() } catch (err) {
    expect(isP2pchatError(err, 'INVALID_FLAG')).toBe(true)
    expect(registryProblemOf(err)?.kind).toBe('bad-source')
    return (err as Error).message
  }
  throw new Error('expected a refusal')
}

describe('classifySource', () => {
  it.each([
    ['example_registry.yaml', 'file:example_registry.yaml'],
    ['./rooms.yaml', 'file:./rooms.yaml'],
    [`./${V0}`, `file:./${V0}`],
    ['file:///tmp/r.yaml', 'file:/tmp/r.yaml'],
    ['https://example.org/r.yaml', 'url:https://example.org/r.yaml'],
    ['http://127.0.0.1:8080/r.yaml', 'url:http://127.0.0.1:8080/r.yaml'],
    [V0, `cid:${V0}`],
    [V1, `cid:${V1}`],
    [`ipfs://${V0}`, `cid:${V0}`],
    [`/ipfs/${V1}`, `cid:${V1}`],
    [`/ipfs/${V1}/`, `cid:${V1}`]
  ])('%s -> %s', (source, expected) => {
    expect(kindOf(source)).toBe(expected)
  })

  it('refuses empty, unknown schemes, bad CIDs and paths inside CIDs', () => {
    expect(refusal(() => classifySource('  '))).toBe('the registry source is empty: give a file path, an http(s):// URL or an IPFS CID')
    expect(refusal(() => classifySource('ftp://example.org/r.yaml'))).toBe('ftp://example.org/r.yaml: unsupported scheme; give a file path, an http(s):// URL or an IPFS CID')
    expect(refusal(() => classifySource('ipfs://notacid'))).toMatch(/^ipfs:\/\/notacid: not a valid IPFS CID \(.+\)$/)
    expect(refusal(() => classifySource(`/ipfs/${V1}/rooms.yaml`))).toBe(`/ipfs/${V1}/rooms.yaml: paths inside a CID are not supported; give the CID of the registry file itself`)
    // looks like a base32 CIDv1, but the digest is cut short
    expect(refusal(() => classifySource('bafkreifjjcie6lypi6ny7amxnfftagclbux'))).toMatch(/^bafkreifjjcie6lypi6ny7amxnfftagclbux: not a valid IPFS CID \(.+\); write \.\/bafkreifjjcie6lypi6ny7amxnfftagclbux for a file of that name$/)
  })
})

describe('resolveLoadOptions', () => {
  it('keeps defaults for undefined values and strips trailing slashes', () => {
    const opts = resolveLoadOptions({ ipfsApi: undefined, ipfsGateway: 'https://gw.example/', timeoutMs: undefined })
    expect(opts.ipfsApi).toBe('http://127.0.0.1:5001')
    expect(opts.ipfsGateway).toBe('https://gw.example')
    expect(opts.timeoutMs).toBe(10_000)
    expect(opts.maxBytes).toBe(1024 * 1024)
  })

  it('takes kubo\'s multiaddr form of the API address', () => {
    expect(resolveLoadOptions({ ipfsApi: '/ip4/127.0.0.1/tcp/5001' }).ipfsApi).toBe('http://127.0.0.1:5001')
    expect(resolveLoadOptions({ ipfsApi: '/ip6/::1/tcp/5002/http' }).ipfsApi).toBe('http://[::1]:5002')
  })

  it('refuses a non-http API address and a bad timeout', () => {
    expect(refusal(() => resolveLoadOptions({ ipfsApi: 'ftp://127.0.0.1:5001' }))).toBe('the IPFS API address must be an http(s) URL or /ip4/<address>/tcp/<port>, got "ftp://127.0.0.1:5001"')
    expect(refusal(() => resolveLoadOptions({ timeoutMs: 0 }))).toBe('registry timeout must be a positive number of ms, got 0')
  })
})
