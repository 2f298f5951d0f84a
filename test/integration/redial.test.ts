import { afterEach, describe, expect, it } from 'vitest'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

/** Two peers in one room with the DHT rendezvous off: only the redialer can bring a lost link back. */
async function pair (topic: string): Promise<[TestPeer, TestPeer]> {
  const a = await startPeer({ topic, nick: 'a', room: { rendezvous: false, presence: { basePeriodMs: 1000 } } })
  const b = await startPeer({ topic, nick: 'b', bootstrap: [a.addr], room: { rendezvous: false, presence: { basePeriodMs: 1000 } } })
  peers.push(a, b)
  await waitFor(() => a.session.topicPeerCount() === 1 && b.session.topicPeerCount() === 1, 'both in the room')
  return [a, b]
}

describe('redialing lost room peers', () => {
  it('a cut that heals reconnects by itself, and the lines sent meanwhile arrive', async () => {
    const [a, b] = await pair('redial-heal')
    await a.session.isolateFrom([b.session.peerId])
    await b.session.isolateFrom([a.session.peerId])
    await waitFor(() => a.session.topicPeerCount() === 0 && b.session.topicPeerCount() === 0, 'the link cut')
    await waitFor(() => (a.session.room.redialer?.size ?? 0) === 1, 'a redialing b (refused while cut)')
    await a.session.send('during the cut')
    a.session.heal()
    b.session.heal()
    await waitFor(() => a.session.topicPeerCount() === 1 && b.session.topicPeerCount() === 1, 'the link back', 10_000)
    await waitFor(() => b.texts().includes('during the cut'), 'the line sent during the cut', 10_000)
    await waitFor(() => a.session.room.redialer?.size === 0 && b.session.room.redialer?.size === 0, 'nothing left to redial')
  })

  it('a peer that quits cleanly is not redialed', async () => {
    const [a, b] = await pair('redial-quit')
    await waitFor(() => a.session.who().length >= 2, 'b in a\'s roster', 20_000)
    await b.session.stop()
    await waitFor(() => a.session.topicPeerCount() === 0, 'b gone')
    expect(a.session.room.redialer?.size).toBe(0)
  })
})
