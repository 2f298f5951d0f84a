import { afterEach, describe, expect, it } from 'vitest'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'
import type { RoomOptions } from '../../src/room/room.js'
import { createRandom } from '../../src/shared/index.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

/** Starts `n` peers in one room, all bootstrapped from the first, and waits until each sees the others. */
async function room (topic: string, n: number, roomOptions: (i: number) => Partial<RoomOptions> = () => ({})): Promise<TestPeer[]> {
  const out: TestPeer[] = []
  for (let i = 0; i < n; i++) {
    const peer = await startPeer({ topic, nick: `p${i}`, bootstrap: i === 0 ? [] : [out[0].addr], room: roomOptions(i) })
    out.push(peer)
    peers.push(peer)
  }
  await waitFor(() => out.every(p => p.session.topicPeerCount() === n - 1), `${n} peers in the room`, 15_000)
  return out
}

const ids = (p: TestPeer): string[] => p.session.history(1000).map(l => l.id)
const deliveredIds = (p: TestPeer): string[] => p.lines.map(l => l.id)

function expectExactlyOnceAndSameOrder (group: TestPeer[], total: number): void {
  const reference = ids(group[0])
  expect(reference).toHaveLength(total)
  for (const p of group) {
    expect(new Set(deliveredIds(p)).size, `${p.session.nick} delivered each message once`).toBe(deliveredIds(p).length)
    expect(deliveredIds(p)).toHaveLength(total)
    expect(ids(p), `${p.session.nick} has the same canonical order`).toEqual(reference)
  }
}

describe('reliability on live libp2p nodes', () => {
  it.each([8, 1])('a node cut off while the others talk has every message in canonical order after it reconnects (%i pull slots; the rest queue)', async (slots) => {
    const group = await room(`partition-${slots}`, 4, () => ({ maxPullsInFlight: slots }))
    const [a, b, c, cut] = group
    await a.session.send('before the cut')
    await waitFor(() => group.every(p => deliveredIds(p).length === 1), 'first line everywhere')

    const others = [a, b, c].map(p => p.session.peerId)
    await cut.session.isolateFrom(others)
    for (const p of [a, b, c]) await p.session.isolateFrom([cut.session.peerId])
    await waitFor(() => cut.session.node.getConnections().length === 0, 'the cut node disconnected')

    for (let i = 0; i < 5; i++) {
      for (const p of [a, b, c]) await p.session.send(`${p.session.nick} during the cut ${i}`)
    }
    await waitFor(() => [a, b, c].every(p => deliveredIds(p).length === 16), 'the connected three have all 16')
    expect(deliveredIds(cut)).toHaveLength(1)

    for (const p of group) p.session.heal()
    await waitFor(() => deliveredIds(cut).length === 16, 'the cut node catching up after the heal', 20_000)
    expectExactlyOnceAndSameOrder(group, 16)
  })

  it('a node that joins late receives the recent history', async () => {
    const group = await room('late', 2)
    for (let i = 0; i < 10; i++) {
      for (const p of group) await p.session.send(`${p.session.nick} says ${i}`)
    }
    await waitFor(() => group.every(p => deliveredIds(p).length === 20), 'the first two have all 20')

    const late = await startPeer({ topic: 'late', nick: 'late', bootstrap: [group[0].addr] })
    peers.push(late)
    await waitFor(() => deliveredIds(late).length === 20, 'the late joiner receiving the recent history', 15_000)
    expectExactlyOnceAndSameOrder([...group, late], 20)
  })

  it('20% message-level drop between gossipsub and the core still ends in 100% delivery', async () => {
    const group = await room('lossy', 4, i => {
      const random = createRandom(1000 + i)
      return { inboundFaults: () => ({ drop: random() < 0.2 }) }
    })
    for (let i = 0; i < 10; i++) {
      for (const p of group) await p.session.send(`${p.session.nick} lossy ${i}`)
    }
    await waitFor(() => group.every(p => deliveredIds(p).length === 40), 'all 40 messages on all 4 nodes', 30_000)
    expectExactlyOnceAndSameOrder(group, 40)
    const injected = group.reduce((n, p) => n + (p.session.status().dropped['injected-loss'] ?? 0), 0)
    expect(injected, 'loss was really injected').toBeGreaterThan(10)
  })

  it('duplicated and reordered copies between gossipsub and the core: still exactly once, in one order', async () => {
    const group = await room('shuffled', 3, i => {
      const random = createRandom(2000 + i)
      return { inboundFaults: () => ({ duplicate: random() < 0.5, delayMs: random() < 0.5 ? random() * 200 : 0 }) }
    })
    for (let i = 0; i < 10; i++) {
      for (const p of group) await p.session.send(`${p.session.nick} shuffled ${i}`)
    }
    await waitFor(() => group.every(p => deliveredIds(p).length === 30), 'all 30 messages on all 3 nodes', 30_000)
    expectExactlyOnceAndSameOrder(group, 30)
    const duplicates = group.reduce((n, p) => n + p.session.room.driver.channel.status().dropped.duplicate, 0)
    expect(duplicates, 'the core dropped the injected copies').toBeGreaterThan(10)
  })
})
