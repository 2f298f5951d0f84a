import { describe, expect, it } from 'vitest'
import { chooseProvidersToDial, DEFAULT_TARGET_ROOM_PEERS, DEFAULT_RENDEZVOUS_OPTIONS, type DialChoiceInput } from '../../../src/discovery/rendezvous.js'
import { createRandom } from '../../../src/shared/index.js'

const ids = (n: number, prefix = 'p'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

function choose (over: Partial<DialChoiceInput>): string[] {
  return chooseProvidersToDial({ providers: [], connected: new Set(), dialing: new Set(), roomPeers: 0, target: 8, random: createRandom(1), ...over })
}

describe('chooseProvidersToDial', () => {
  it('defaults to a target of 8 room peers', () => {
    expect(DEFAULT_TARGET_ROOM_PEERS).toBe(8)
    expect(DEFAULT_RENDEZVOUS_OPTIONS.targetRoomPeers).toBe(8)
    expect(DEFAULT_RENDEZVOUS_OPTIONS.random).toBe(Math.random)
  })

  it('dials every provider while the room is smaller than the target (a small room stays a full mesh)', () => {
    const providers = ids(5)
    expect(choose({ providers, target: 8 }).sort()).toEqual(providers)
    expect(choose({ providers, target: 6 }).sort()).toEqual(providers)
    expect(choose({ providers: ids(30), target: Infinity })).toHaveLength(30)
  })

  it('dials only the shortfall to the target', () => {
    expect(choose({ providers: ids(99), target: 8 })).toHaveLength(8)
    expect(choose({ providers: ids(99), target: 8, roomPeers: 5 })).toHaveLength(3)
    expect(choose({ providers: ids(99), target: 8, roomPeers: 8 })).toEqual([])
    expect(choose({ providers: ids(99), target: 8, roomPeers: 40 })).toEqual([])
    expect(choose({ providers: [], target: 8 })).toEqual([])
  })

  it('never picks a provider we are connected to or dialing, nor a duplicate', () => {
    const providers = ['a', 'b', 'c', 'd', 'a', 'e', 'c']
    const chosen = choose({ providers, connected: new Set(['b']), dialing: new Set(['d']), target: 100 })
    expect(chosen.sort()).toEqual(['a', 'c', 'e'])
  })

  it('counts connected providers when the room has not counted them yet (their subscription is on its way)', () => {
    const providers = ids(20)
    const connected = new Set(ids(6))
    // The room counts 2 topic peers, but 6 found providers are connected: we have 6, so 2 more.
    expect(choose({ providers, connected, roomPeers: 2, target: 8 })).toHaveLength(2)
    // The room counts more (inbound peers that are not in this search's results): the larger wins.
    expect(choose({ providers, connected, roomPeers: 7, target: 8 })).toHaveLength(1)
  })

  it('counts dials in flight as peers, so a later search does not dial past the target while they connect', () => {
    const providers = ids(20)
    expect(choose({ providers, dialing: new Set(ids(8)), target: 8 })).toEqual([])
    expect(choose({ providers, dialing: new Set(['x', 'y', 'z']), roomPeers: 3, target: 8 })).toHaveLength(2)
    // A dial that already connected is counted once, as a connected provider.
    expect(choose({ providers, connected: new Set(['p0']), dialing: new Set(['p0']), roomPeers: 0, target: 3 })).toHaveLength(2)
  })

  it('picks at random, not in the order the DHT lists them', () => {
    const providers = ids(10)
    // random() = 0 always takes the first remaining candidate: DHT order.
    expect(choose({ providers, target: 3, random: () => 0 })).toEqual(['p0', 'p1', 'p2'])
    // random() close to 1 always takes the last remaining candidate (a Fisher-Yates swap).
    expect(choose({ providers, target: 3, random: () => 0.9999 })).toEqual(['p9', 'p0', 'p1'])
    // Out-of-contract random() = 1 still stays in range.
    expect(choose({ providers, target: 3, random: () => 1 })).toEqual(['p9', 'p0', 'p1'])
    // A scripted sequence: 0.5 of 10 → index 5; 0.5 of the 9 left after the swap → index 1 + 4 = 5 (now p0)...
    const script = [0.5, 0.5, 0]
    expect(choose({ providers, target: 3, random: () => script.shift() ?? 0 })).toEqual(['p5', 'p0', 'p2'])
  })

  it('is deterministic for a seeded random source and differs between seeds', () => {
    const providers = ids(50)
    const a = choose({ providers, random: createRandom(42) })
    expect(choose({ providers, random: createRandom(42) })).toEqual(a)
    expect(choose({ providers, random: createRandom(43) })).not.toEqual(a)
    expect(new Set(a).size).toBe(8)
  })

  it('chooses every candidate about equally often', () => {
    const providers = ids(10)
    const random = createRandom(7)
    const counts = new Map<string, number>()
    const trials = 20_000
    for (let t = 0; t < trials; t++) {
      for (const p of choose({ providers, target: 3, random })) counts.set(p, (counts.get(p) ?? 0) + 1)
    }
    for (const p of providers) expect(Math.abs((counts.get(p) ?? 0) / trials - 0.3)).toBeLessThan(0.015)
  })

  it('does not modify its inputs', () => {
    const providers = Object.freeze(ids(12))
    const connected = new Set(['p1'])
    const dialing = new Set(['p2'])
    choose({ providers, connected, dialing, target: 5 })
    expect(providers).toEqual(ids(12))
    expect([...connected]).toEqual(['p1'])
    expect([...dialing]).toEqual(['p2'])
  })
})
