/**
 * The shipped example_registry.yaml parses into the rooms it documents, and
 * PeerPrint's `queues` key works as an alias of `rooms`.
 */

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { peerIdFromString } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { parseRegistry } from '../../../src/registry/index.js'

const EXAMPLE = fileURLToPath(new URL('../../../example_registry.yaml', import.meta.url))

describe('example_registry.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8')
  const { registry, warnings } = parseRegistry(text, { source: 'example_registry.yaml' })

  it('parses without warnings', () => {
    expect(warnings).toEqual([])
    expect(registry.created).toBe(1795263189)
    expect(registry.url).toBe('https://example.org/p2pchat')
  })

  it('lists lobby, printers and dev with their rendezvous', () => {
    expect(registry.rooms.map(r => [r.name, r.rendezvous])).toEqual([
      ['lobby', 'p2pchat/lobby'],
      ['printers', 'p2pchat/printers'],
      ['dev', 'p2pchat/dev']
    ])
    expect(registry.rooms[0].desc).toBe('General chat; say hello here')
    expect(registry.rooms[0].url).toBe('https://example.org/p2pchat#rooms')
    expect(registry.rooms[1].url).toBeUndefined()
  })

  it('has trusted peers that are valid Ed25519 peer ids', () => {
    expect(registry.rooms.map(r => r.trustedPeers.length)).toEqual([2, 1, 3])
    expect(registry.rooms[1].trustedPeers).toEqual(['12D3KooWBaL4Qg66CjjTzwAzNW8UnD2ah3sqQRobfQitLHDayRsu'])
    for (const id of registry.rooms.flatMap(r => r.trustedPeers)) {
      expect(peerIdFromString(id).type).toBe('Ed25519')
    }
  })

  it('accepts PeerPrint\'s `queues` as an alias of `rooms`', () => {
    const aliased = parseRegistry(text.replace(/^rooms:/m, 'queues:'), { source: 'queues.yaml' })
    expect(aliased.registry).toEqual(registry)
    expect(aliased.warnings).toEqual([])
  })

  it('accepts bytes as well as text', () => {
    expect(parseRegistry(readFileSync(EXAMPLE)).registry).toEqual(registry)
  })
})

describe('optional fields', () => {
  it('defaults desc to "" and trustedPeers to [], and leaves url out', () => {
    const { registry } = parseRegistry('created: 0\nrooms:\n  - name: x\n    rendezvous: p2pchat/x\n    url:\n')
    expect(registry).toEqual({ created: 0, rooms: [{ name: 'x', desc: '', rendezvous: 'p2pchat/x', trustedPeers: [] }] })
  })

  it('returns peer ids in canonical base58 form', () => {
    const id = '12D3KooWG4CinpUjT7Cd1bkGwbacfBqd72KUvDoy1CwGpLHkWqxr'
    const asCid = peerIdFromString(id).toCID().toString()
    const { registry } = parseRegistry(`created: 1\nrooms:\n  - name: x\n    rendezvous: r\n    trustedPeers: [${asCid}]\n`)
    expect(registry.rooms[0].trustedPeers).toEqual([id])
  })
})
