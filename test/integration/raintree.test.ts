/**
 * RainTree on live sessions over loopback: 12 nodes on RainTree alone all receive every line
 * (gossipsub only tells who is in the room); with 3 nodes that receive but never forward or ACK,
 * RainTree and gossipsub together still deliver every line exactly once; a forged or altered
 * envelope is refused, counted, not ACKed and not forwarded.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import { encodeEnvelope, RAINTREE_PROTOCOL } from '../../src/room/raintree-codec.js'
import { decodeChatMessage, encodeChatMessage } from '../../src/wire/index.js'
import { recordFromGossip, type SignedRecord } from '../../src/room/signed-record.js'
import type { SignedMessage } from '@libp2p/gossipsub'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

type Paths = 'raintree' | 'raintree+gossipsub'

/** `n` sessions in one room, each bootstrapped to the first, all seeing each other in the roster. */
async function cluster (topic: string, n: number, paths: Paths, forward: (i: number) => boolean = () => true): Promise<TestPeer[]> {
  const out: TestPeer[] = []
  for (let i = 0; i < n; i++) {
    const peer = await startPeer({ topic, nick: `n${i}`, ...(i > 0 ? { bootstrap: [out[0].addr] } : {}), room: { paths, raintree: { forward: forward(i), core: { ackTimeoutMs: 300 } } } })
    out.push(peer)
    peers.push(peer)
  }
  await waitFor(() => out.every(p => p.session.who().length === n), `all ${n} in every roster`, 60_000)
  return out
}

describe('RainTree on live sessions', () => {
  it('12 nodes on RainTree alone: every node receives every line, through the tree', async () => {
    const nodes = await cluster('raintree-alone', 12, 'raintree')
    const texts = ['first', 'second', 'third']
    for (const [i, text] of texts.entries()) await nodes[i * 4].session.send(text)
    for (const [i, p] of nodes.entries()) {
      const expected = texts.filter((_, j) => j * 4 !== i)
      await waitFor(() => expected.every(t => p.texts().includes(t)), `node ${i} has every line`, 30_000)
      expect(p.texts().filter(t => texts.includes(t)).sort()).toEqual([...expected].sort())
    }
    // The tree carried them: every node took copies on it, and no line was published on gossipsub.
    expect(nodes.every(p => (p.session.room.raintree?.counters.received ?? 0) > 0)).toBe(true)
  }, 120_000)

  it('with 3 nodes that never forward, both paths together deliver every line exactly once', async () => {
    const silent = new Set([2, 5, 8])
    const nodes = await cluster('raintree-both', 10, 'raintree+gossipsub', i => !silent.has(i))
    const sent: string[] = []
    for (let round = 0; round < 3; round++) {
      for (const [i, p] of nodes.entries()) {
        const text = `line ${round}.${i}`
        sent.push(text)
        await p.session.send(text)
      }
    }
    for (const [i, p] of nodes.entries()) {
      const expected = sent.filter(t => !t.endsWith(`.${i}`))
      await waitFor(() => expected.every(t => p.texts().includes(t)), `node ${i} has all ${expected.length} lines`, 30_000)
      expect(p.texts().filter(t => t.startsWith('line ')).sort()).toEqual([...expected].sort())
    }
  }, 120_000)

  it('a malformed, misdirected or altered envelope is refused and counted, not delivered', async () => {
    const [a, b] = await cluster('raintree-forged', 2, 'raintree+gossipsub')
    // A genuine signed record, as gossipsub brought it to b.
    let record: SignedRecord | undefined
    b.session.node.services.pubsub.addEventListener('message', evt => {
      if (record === undefined && evt.detail.type === 'signed' && evt.detail.topic === b.session.room.names.topic) record = recordFromGossip(evt.detail as SignedMessage)
    })
    await a.session.send('genuine')
    await waitFor(() => b.texts().includes('genuine') && record !== undefined, 'the genuine line at b')
    const genuine = record as SignedRecord
    // Altered: another id and text under the genuine signature (a copy of a message b holds is
    // forwarded with b's own record instead, so the alteration goes nowhere either way).
    const wire = decodeChatMessage(genuine.data)
    if (!wire.ok) throw new Error('the genuine record does not decode')
    const data = encodeChatMessage({ ...wire.value, messageId: 'f'.repeat(32) })
    const stream = await a.session.node.dialProtocol(peerIdFromString(b.session.peerId), RAINTREE_PROTOCOL)
    const lp = lpStream(stream)
    const envelope = (r: SignedRecord): Uint8Array => encodeEnvelope({ record: r, layer: 1, nonce: new Uint8Array(8).fill(7), adjustment: false, redundancy: false })
    await lp.write(envelope({ ...genuine, topic: 'p2pchat/elsewhere' }))
    await lp.write(envelope({ ...genuine, data }))
    await lp.write(new Uint8Array([1, 2, 3]))
    const dropped = (): Record<string, number> => b.session.status().dropped
    await waitFor(() => (dropped()['raintree-wrong-topic'] ?? 0) >= 1 && (dropped()['raintree-refused'] ?? 0) >= 1 && (dropped()['raintree-malformed'] ?? 0) >= 1, 'each refusal counted')
    expect(dropped()['bad-signature']).toBeGreaterThanOrEqual(1)
    expect(b.texts()).toEqual(['genuine'])
    expect(b.session.room.raintree?.counters.refused).toBe(3)
  }, 60_000)
})
