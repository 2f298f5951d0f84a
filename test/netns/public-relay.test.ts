/**
 * A p2pchat peer with a public address on the simulated internet, started with
 * `--public --relay`: AutoNAT confirms its address and it turns into a public-DHT server, peers
 * behind NATs reach it directly, and it is the relay that carries their chat with each other
 * (the plain bootstrap node here serves no relay).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimInternet } from './harness/sim-internet.js'
import { ChatPeer, startPublicNodes, type PublicNode } from './harness/sim-nodes.js'

describe('--public --relay on a public address', () => {
  let net: SimInternet
  let bootstrap: PublicNode[] = []
  const peers: ChatPeer[] = []

  beforeAll(async () => {
    net = SimInternet.create({ publicHosts: 2, homes: ['cone', 'symmetric'] })
    bootstrap = await startPublicNodes(net.publicHosts.slice(0, 1), { relay: false })
  })

  afterAll(async () => {
    await Promise.all(peers.map(async p => { await p.stop(true) }))
    await Promise.all(bootstrap.map(async r => { await r.proc.stop(true) }))
    net?.destroy()
    expect(net?.remaining() ?? []).toEqual([])
  })

  it('is confirmed reachable, serves the public DHT, and relays for two NATed peers', async () => {
    const pat = await ChatPeer.start(net.publicHosts[1].ns, 'z', bootstrap, ['--relay'])
    peers.push(pat)
    await pat.proc.waitForLine(() => pat.logLines().some(l => l.includes('public DHT mode: server')), 'pat to become a public DHT server')

    const [alice, bob] = await Promise.all([
      ChatPeer.start(net.homes[0].peerNs, 'z', bootstrap),
      ChatPeer.start(net.homes[1].peerNs, 'z', bootstrap)
    ])
    peers.push(alice, bob)
    await alice.waitFor(e => e.type === 'peer-join' && e.peerId === bob.peerId, 'bob joins alice\'s room', 90_000)
    alice.proc.type('via the chat relay')
    await bob.waitFor(e => e.type === 'message' && e.text === 'via the chat relay', 'bob receives alice\'s line')

    const toBob = await alice.peerRow(bob.peerId)
    expect(toBob?.link).toBe('relayed')
    expect(toBob?.address).toContain(`/p2p/${pat.peerId}/p2p-circuit`)
    const toPat = await alice.peerRow(pat.peerId)
    expect(toPat?.link).toBe('direct')
    expect(alice.logLines().some(l => l.includes('public DHT mode: server'))).toBe(false)
  })
})
