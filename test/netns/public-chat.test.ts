/**
 * `--public` behind home routers, on the simulated internet (test/netns/harness): peers find
 * each other by the rendezvous CID on a simulated Amino DHT (the only way they can: neither
 * knows the other's address), chat over a circuit relay and say so in `/peers`, and when their
 * relay dies they reach each other through another one and the reliability layer repairs what
 * was sent meanwhile.
 *
 * Hole punching: DCUtR runs, but between two js-libp2p peers behind NATs it cannot succeed (the
 * TCP and QUIC transports dial from a different socket than they listen on, so the address a NAT
 * maps for the punch never leads to a listener); BENCHMARKS.md measures and explains it. The
 * connections therefore stay relayed here, and the UI says so.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimInternet } from './harness/sim-internet.js'
import { ChatPeer, startPublicNodes, type PublicNode } from './harness/sim-nodes.js'

/** Repeats `check` every `intervalMs` until it returns a value, at most `tries` times. */
async function poll<T> (check: () => Promise<T | undefined>, what: string, tries = 60, intervalMs = 1000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check()
    if (value !== undefined) return value
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
  throw new Error(`gave up after ${tries} checks waiting for ${what}`)
}

describe('--public behind NATs on a simulated internet', () => {
  let net: SimInternet
  let relays: PublicNode[] = []
  const peers: ChatPeer[] = []

  beforeAll(async () => {
    net = SimInternet.create({ publicHosts: 4, homes: ['cone', 'cone', 'symmetric'] })
    relays = await startPublicNodes(net.publicHosts)
  })

  afterAll(async () => {
    await Promise.all(peers.map(async p => { await p.stop(true) }))
    await Promise.all(relays.map(async r => { await r.proc.stop(true) }))
    net?.destroy()
    expect(net?.remaining() ?? []).toEqual([])
  })

  async function chatPair (homeA: number, homeB: number, topic: string): Promise<[ChatPeer, ChatPeer]> {
    const pair = await Promise.all([
      ChatPeer.start(net.homes[homeA].peerNs, topic, relays),
      ChatPeer.start(net.homes[homeB].peerNs, topic, relays)
    ])
    peers.push(...pair)
    const [a, b] = pair
    await a.waitFor(e => e.type === 'peer-join' && e.peerId === b.peerId, `${b.peerId} joins ${topic}`)
    await b.waitFor(e => e.type === 'peer-join' && e.peerId === a.peerId, `${a.peerId} joins ${topic}`)
    return pair
  }

  async function exchange (a: ChatPeer, b: ChatPeer, text: string): Promise<void> {
    a.proc.type(`${text} (from a)`)
    b.proc.type(`${text} (from b)`)
    await b.waitFor(e => e.type === 'message' && e.text === `${text} (from a)`, `b receives "${text}"`)
    await a.waitFor(e => e.type === 'message' && e.text === `${text} (from b)`, `a receives "${text}"`)
  }

  /** The relays that carry an open connection from `peer` to `remote`, from its `link open|closed` log lines. */
  function relaysCarrying (peer: ChatPeer, remote: string): PublicNode[] {
    const open = new Map<string, number>()
    for (const line of peer.logLines()) {
      const m = / link (open|closed) (\S+) relayed (\S+)/.exec(line)
      if (m === null || m[2] !== remote) continue
      open.set(m[3], (open.get(m[3]) ?? 0) + (m[1] === 'open' ? 1 : -1))
    }
    return [...new Set([...open].filter(([, n]) => n > 0).map(([addr]) => relayOf(addr)))]
  }

  /** The relay node a relayed /peers address goes through. */
  function relayOf (address: string): PublicNode {
    const relay = relays.find(r => address.includes(`/p2p/${r.peerId}/p2p-circuit`))
    if (relay === undefined) throw new Error(`not a relayed address through our relays: ${address}`)
    return relay
  }

  it('two peers behind endpoint-independent NATs find each other on the DHT and chat over a relay; /peers says relayed', async () => {
    const [alice, bob] = await chatPair(0, 1, 'x')
    await exchange(alice, bob, 'hello from behind a router')
    const row = await alice.peerRow(bob.peerId)
    expect(row?.link).toBe('relayed')
    expect(row?.inTopic).toBe(true)
    relayOf(row?.address ?? '')
    // Neither address was ever given to the other: the public DHT's provider records were the only way.
    expect(alice.logLines().some(l => l.includes(`connected to provider ${bob.peerId}`)) ||
      bob.logLines().some(l => l.includes(`connected to provider ${alice.peerId}`))).toBe(true)
  })

  it('a chat larger than the relay\'s data limit (128 KiB per relayed connection) arrives whole: the peers reconnect through a relay when it resets the connection', async () => {
    const [erin, frank] = await chatPair(1, 2, 'w')
    const lines = 160
    const text = (i: number): string => `${String(i).padStart(4, '0')} ${'z'.repeat(995)}`
    for (let i = 0; i < lines; i++) {
      erin.proc.type(text(i))
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    await frank.waitFor(e => e.type === 'message' && e.text === text(lines - 1), 'frank receives the last line', 120_000)
    const got = new Set<string>(frank.events().filter(e => e.type === 'message' && typeof e.text === 'string' && e.text.endsWith('z')).map(e => String(e.text)))
    await poll(async () => {
      for (const e of frank.events()) if (e.type === 'message' && typeof e.text === 'string') got.add(e.text)
      return got.size >= lines ? true : undefined
    }, `all ${lines} lines at frank (has ${got.size})`, 60)
    expect([...got].filter(t => t.endsWith('z')).length).toBe(lines)
    // The relay did reset the connection at least once on the way.
    expect(erin.logLines().some(l => l.includes(`link closed ${frank.peerId} relayed`))).toBe(true)
  })

  it('behind a symmetric NAT the chat runs over the relay, the UI says relayed, and a relay that dies is replaced; the reliability layer repairs what was sent meanwhile', async () => {
    const [carol, dave] = await chatPair(2, 0, 'y')
    await exchange(carol, dave, 'symmetric hello')
    const before = await carol.peerRow(dave.peerId)
    expect(before?.link).toBe('relayed')
    // Kill every relay a carol–dave connection runs through (each dials the other, so there may
    // be two); every peer keeps reservations on two of the four, so one relay at least survives.
    const dead = relaysCarrying(carol, dave.peerId)
    expect(dead.length).toBeGreaterThan(0)
    expect(dead.length).toBeLessThan(relays.length)
    await Promise.all(dead.map(async r => { await r.proc.stop(true) }))
    // Wait for the event, carol's `link closed` for every connection through a dead relay, not
    // for dave's absence from /peers: the redialer may reconnect them through a live relay within
    // a second, so that absence can be shorter than any polling interval.
    const deadIds = new Set(dead.map(r => r.peerId))
    await poll(async () => relaysCarrying(carol, dave.peerId).some(r => deadIds.has(r.peerId)) ? undefined : true,
      'carol to see every connection to dave through a dead relay close', 60)

    // Sent as soon as carol lost her links to dave, typically before a new one exists; whether the
    // redial or the reliability layer carries it over, it must arrive.
    carol.proc.type('sent while the relay was down')
    await dave.waitFor(e => e.type === 'message' && e.text === 'sent while the relay was down', 'dave receives the line sent during the outage', 90_000)
    const after = await carol.peerRow(dave.peerId)
    expect(after?.link).toBe('relayed')
    expect(dead.map(r => r.peerId)).not.toContain(relayOf(after?.address ?? '').peerId)
    await exchange(carol, dave, 'after the relay died')
  })
})
