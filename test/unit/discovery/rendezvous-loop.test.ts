import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { Rendezvous, type RendezvousOptions } from '../../../src/discovery/rendezvous.js'
import { isP2pchatError } from '../../../src/errors.js'
import { createRandom } from '../../../src/shared/index.js'
import { waitFor } from '../../support/wait.js'

const newPeer = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

/** Just enough of a libp2p node for the rendezvous loop: a provider list, connections and dials. */
class FakeNode {
  readonly connections = new Map<string, PeerId>()
  readonly dials: string[] = []
  /** Dials to these peers fail. */
  readonly unreachable = new Set<string>()
  /** While set, dials wait for it. */
  gate?: Promise<void>
  providers: PeerId[] = []

  constructor (readonly peerId: PeerId) {}

  readonly contentRouting = {
    provide: async (): Promise<void> => {},
    findProviders: (): AsyncIterable<{ id: PeerId, multiaddrs: [] }> => {
      const list = [this.peerId, ...this.providers]
      return (async function * () { for (const id of list) yield { id, multiaddrs: [] } })()
    }
  }

  readonly peerStore = { merge: async (): Promise<void> => {} }

  getConnections (peer?: PeerId): Array<{ remotePeer: PeerId }> {
    if (peer !== undefined) return this.connections.has(peer.toString()) ? [{ remotePeer: peer }] : []
    return [...this.connections.values()].map(remotePeer => ({ remotePeer }))
  }

  async dial (peer: PeerId): Promise<void> {
    this.dials.push(peer.toString())
    await this.gate
    if (this.unreachable.has(peer.toString())) throw new Error('unreachable')
    this.connections.set(peer.toString(), peer)
  }

  /** An inbound connection (from a peer that dialed us). */
  inbound (peer: PeerId): void {
    this.connections.set(peer.toString(), peer)
  }

  addEventListener (): void {}
  removeEventListener (): void {}
}

let loops: Rendezvous[] = []
afterEach(() => { for (const l of loops) l.stop(); loops = [] })

async function setup (providerCount: number, options: Partial<RendezvousOptions> = {}): Promise<{ node: FakeNode, loop: Rendezvous, providers: string[] }> {
  const node = new FakeNode(await newPeer())
  node.providers = await Promise.all(Array.from({ length: providerCount }, newPeer))
  const loop = new Rendezvous(node as unknown as Libp2p, 'p2pchat/test', {
    findBackoff: { initialMs: 5, factor: 1, maxMs: 5, jitter: 0 },
    roomPeerCount: () => node.connections.size,
    random: createRandom(1),
    ...options
  })
  loops.push(loop)
  return { node, loop, providers: node.providers.map(p => p.toString()) }
}

describe('Rendezvous dialing', () => {
  it('a large room: dials the target number of providers, at random, and no more on later searches', async () => {
    const { node, loop, providers } = await setup(40, { targetRoomPeers: 5 })
    await loop.start()
    await waitFor(() => loop.stats.finds >= 5, 'five searches')
    expect(node.dials).toHaveLength(5)
    expect(new Set(node.dials).size).toBe(5)
    expect(node.connections.size).toBe(5)
    expect([...loop.stats.dialedFromProviders].sort()).toEqual([...node.dials].sort())
    expect(loop.stats.providersSeen.size).toBe(40)
    expect(loop.stats.providersSeen.has(node.peerId.toString())).toBe(false)
    expect(loop.stats.skippedAtTarget).toBeGreaterThanOrEqual(35)
    // Not the first five in DHT order.
    expect(node.dials).not.toEqual(providers.slice(0, 5))
  })

  it('the same seed chooses the same providers', async () => {
    const a = await setup(30, { targetRoomPeers: 4, random: createRandom(9) })
    const b = await setup(0, { targetRoomPeers: 4, random: createRandom(9) })
    b.node.providers = a.node.providers
    await a.loop.start()
    await b.loop.start()
    await waitFor(() => a.node.dials.length === 4 && b.node.dials.length === 4, 'four dials each')
    expect(b.node.dials).toEqual(a.node.dials)
  })

  it('a small room (no more providers than the target) becomes a full mesh', async () => {
    const { node, loop, providers } = await setup(6, { targetRoomPeers: 8 })
    await loop.start()
    await waitFor(() => node.connections.size === 6, 'all six providers connected')
    expect([...loop.stats.dialedFromProviders].sort()).toEqual([...providers].sort())
    expect(loop.stats.skippedAtTarget).toBe(0)
  })

  it('inbound room peers count toward the target', async () => {
    const { node, loop } = await setup(20, { targetRoomPeers: 5 })
    for (const p of node.providers.slice(0, 3)) node.inbound(p)
    await loop.start()
    await waitFor(() => loop.stats.finds >= 3, 'three searches')
    expect(node.dials).toHaveLength(2)
    expect(node.connections.size).toBe(5)
  })

  it('a failed dial is not counted, and a later search dials another provider to reach the target', async () => {
    const { node, loop } = await setup(20, { targetRoomPeers: 3, random: () => 0 })
    node.unreachable.add(node.providers[0].toString())
    await loop.start()
    await waitFor(() => node.connections.size === 3, 'three connections')
    expect(loop.stats.dialedFromProviders.has(node.providers[0].toString())).toBe(false)
    expect(loop.stats.dialedFromProviders.size).toBe(3)
    expect(node.dials[0]).toBe(node.providers[0].toString())
  })

  it('dials in flight count as peers: searches while they connect dial nothing more', async () => {
    const { node, loop } = await setup(20, { targetRoomPeers: 4 })
    let release = (): void => {}
    node.gate = new Promise<void>(resolve => { release = resolve })
    await loop.start()
    await waitFor(() => loop.stats.finds >= 4, 'four searches while the dials hang')
    expect(node.dials).toHaveLength(4)
    expect(loop.stats.dialedFromProviders.size).toBe(0)
    release()
    await waitFor(() => loop.stats.dialedFromProviders.size === 4, 'four dials done')
    const finds = loop.stats.finds
    await waitFor(() => loop.stats.finds >= finds + 2, 'two more searches')
    expect(node.dials).toHaveLength(4)
  })

  it('dials again when room peers leave', async () => {
    const { node, loop } = await setup(20, { targetRoomPeers: 4 })
    await loop.start()
    await waitFor(() => node.connections.size === 4, 'four connections')
    const first = [...node.connections.keys()]
    node.connections.delete(first[0])
    node.connections.delete(first[1])
    await waitFor(() => node.connections.size === 4, 'back to four connections')
    expect(node.dials.length).toBeGreaterThanOrEqual(6)
  })

  it('refuses a target below 1', async () => {
    const node = new FakeNode(await newPeer())
    for (const bad of [0, -1, Number.NaN]) {
      let err: unknown
      try { new Rendezvous(node as unknown as Libp2p, 'x', { targetRoomPeers: bad }) } catch (e) { err = e }
      expect(isP2pchatError(err, 'INVALID_OPTION')).toBe(true)
    }
    expect(() => new Rendezvous(node as unknown as Libp2p, 'x', { targetRoomPeers: Infinity })).not.toThrow()
  })
})
