import { afterEach, describe, expect, it } from 'vitest'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

describe('DHT rendezvous on loopback', () => {
  it('six nodes, two topics, one bootstrap peer each: a-nodes find each other by findProviders and never see b', async () => {
    // A line of bootstraps, alternating topics: a0 <- b0 <- a1 <- b1 <- a2 <- b2.
    // No a-node is given another a-node as its bootstrap peer.
    const topics = ['a', 'b', 'a', 'b', 'a', 'b']
    for (const [i, topic] of topics.entries()) {
      peers.push(await startPeer({ topic, nick: `${topic}${i}`, bootstrap: i === 0 ? [] : [peers[i - 1].addr] }))
    }
    const aNodes = peers.filter((_, i) => topics[i] === 'a')
    const bNodes = peers.filter((_, i) => topics[i] === 'b')

    const connected = (x: TestPeer, y: TestPeer): boolean =>
      x.session.node.getConnections(y.session.node.peerId).length > 0
    await waitFor(() => aNodes.every(x => aNodes.every(y => x === y || connected(x, y))), 'a-nodes fully connected', 15_000)
    await waitFor(() => aNodes.every(x => x.session.topicPeerCount() === 2), 'a-nodes seeing 2 topic peers', 15_000)
    await waitFor(() => bNodes.every(x => x.session.topicPeerCount() === 2), 'b-nodes seeing 2 topic peers', 15_000)

    // Each pair of a-nodes met because one of them found the other with findProviders
    // (no a-node was given another a-node as bootstrap), and no b-node ever provided
    // topic a's rendezvous CID.
    const seen = (x: TestPeer): Set<string> => x.session.room.rendezvous?.stats.providersSeen ?? new Set()
    await waitFor(() => aNodes.every(x => aNodes.every(y => x === y || seen(x).has(y.session.peerId) || seen(y).has(x.session.peerId))),
      'every a-pair met through findProviders', 15_000)
    for (const x of aNodes) {
      for (const y of aNodes) {
        if (x === y) continue
        expect(seen(x).has(y.session.peerId) || seen(y).has(x.session.peerId), `${x.session.nick} <-> ${y.session.nick} via findProviders`).toBe(true)
      }
      for (const b of bNodes) expect(seen(x).has(b.session.peerId)).toBe(false)
    }

    for (const p of peers) await p.session.send(`hello from ${p.session.nick}`)
    await waitFor(() => aNodes.every(x => x.texts().length === 2), 'each a-node receiving the two other a lines')
    await waitFor(() => bNodes.every(x => x.texts().length === 2), 'each b-node receiving the two other b lines')

    for (const x of aNodes) {
      const expected = aNodes.filter(y => y !== x).map(y => `hello from ${y.session.nick}`).sort()
      expect([...x.texts()].sort()).toEqual(expected)
      expect(x.texts().some(t => t.includes('from b'))).toBe(false)
    }
    for (const x of bNodes) expect(x.texts().some(t => t.includes('from a'))).toBe(false)
  })

  it('a line sent before any subscriber exists is delivered once a peer joins', async () => {
    const first = await startPeer({ topic: 'early', nick: 'first' })
    peers.push(first)
    await first.session.send('typed while alone')
    expect(first.session.room.driver.pendingCount()).toBe(1)

    const second = await startPeer({ topic: 'early', nick: 'second', bootstrap: [first.addr] })
    peers.push(second)
    await waitFor(() => second.texts().includes('typed while alone'), 'the early line at the late peer')
    expect(second.texts().filter(t => t === 'typed while alone')).toHaveLength(1)
    await waitFor(() => first.session.room.driver.pendingCount() === 0, 'the early line marked sent')
  })
})
