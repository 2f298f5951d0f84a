/**
 * Direct messages between live sessions on loopback: exactly once and in order, ✓ when the
 * recipient's client has them; a message to a peer that is offline waits and goes out when it
 * comes; a batch that speaks for someone else, or is not signed by its sender, is refused and
 * counted; a flood is rate-limited without losing anything.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { PrivateKey } from '@libp2p/interface'
import { decodeDirectAck, directSigningBytes, encodeDirectBatch, encodeDirectMessage } from '../../src/direct/index.js'
import type { DirectLine } from '../../src/direct/index.js'
import { DIRECT_PROTOCOL } from '../../src/session/direct-service.js'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

interface Dm extends TestPeer { dms: DirectLine[], states: Array<{ id: string, state: string }> }

async function start (options: Parameters<typeof startPeer>[0] = {}): Promise<Dm> {
  const peer = await startPeer({ topic: 'dm-test', ...options })
  const dm: Dm = { ...peer, dms: [], states: [] }
  peer.session.addEventListener('dm', evt => { dm.dms.push(evt.detail) })
  peer.session.addEventListener('dm:state', evt => { dm.states.push(evt.detail) })
  peers.push(peer)
  return dm
}

describe('direct messages on live sessions', () => {
  it('arrive exactly once and in order, and turn ✓ when the recipient has them', async () => {
    const alice = await start({ nick: 'alice' })
    const bob = await start({ nick: 'bob', bootstrap: [alice.addr] })
    await waitFor(() => alice.session.node.getConnections().length > 0, 'connected')
    const sent = Array.from({ length: 30 }, (_, i) => alice.session.sendDirect(bob.session.peerId, `dm ${i}`))
    expect(sent.every(l => l.own && l.state === 'pending')).toBe(true)
    await waitFor(() => bob.dms.length === 30, 'all 30 at bob')
    expect(bob.dms.map(d => d.text)).toEqual(sent.map(l => l.text))
    expect(bob.dms.every(d => d.from === alice.session.peerId && d.nick === 'alice' && !d.own)).toBe(true)
    await waitFor(() => alice.states.filter(s => s.state === 'delivered').length === 30, 'all 30 delivered (✓)')
    expect(alice.session.directHistory(bob.session.peerId, 100).every(l => l.state === 'delivered')).toBe(true)
    expect(bob.session.conversations()).toMatchObject([{ peer: alice.session.peerId, nick: 'alice', pending: 0 }])
    // A reply goes the other way.
    bob.session.sendDirect(alice.session.peerId, 'hi alice', true)
    await waitFor(() => alice.dms.some(d => d.text === 'hi alice' && d.action && !d.own), 'the reply at alice')
  })

  it('a message to a peer that is offline waits, and goes out when it comes', async () => {
    const alice = await start({ nick: 'alice' })
    const carolKey: PrivateKey = await generateKeyPair('Ed25519')
    const carolId = peerIdFromPrivateKey(carolKey).toString()
    const line = alice.session.sendDirect(carolId, 'are you there?')
    expect(alice.session.conversations()).toMatchObject([{ peer: carolId, pending: 1 }])
    const carol = await start({ nick: 'carol', privateKey: carolKey, bootstrap: [alice.addr] })
    await waitFor(() => carol.dms.some(d => d.id === line.id), 'the waiting message at carol', 20_000)
    await waitFor(() => alice.states.some(s => s.id === line.id && s.state === 'delivered'), 'delivered (✓) at alice')
    expect(carol.dms.filter(d => d.id === line.id)).toHaveLength(1)
  })

  it('refuses a batch that speaks for someone else or is not signed by its sender, and counts it', async () => {
    const alice = await start({ nick: 'alice' })
    const bob = await start({ nick: 'bob', bootstrap: [alice.addr] })
    await waitFor(() => alice.session.node.getConnections(bob.session.node.peerId).length > 0, 'connected')
    const mallory = await generateKeyPair('Ed25519')
    const forge = async (signer: PrivateKey, from: string): Promise<string | undefined> => {
      const bytes = encodeDirectMessage({ from, to: bob.session.peerId, epoch: 1, seq: 1, sentAt: Date.now(), nick: 'x', text: 'forged', action: false })
      const stream = await alice.session.node.dialProtocol(bob.session.node.peerId, DIRECT_PROTOCOL)
      const lp = lpStream(stream)
      await lp.write(encodeDirectBatch([{ bytes, signature: await signer.sign(directSigningBytes(bytes)) }]))
      const ack = decodeDirectAck((await lp.read()).subarray())
      await stream.close()
      return ack?.refusal
    }
    // Alice's connection, but the message says it is from mallory (signed by mallory).
    expect(await forge(mallory, peerIdFromPrivateKey(mallory).toString())).toMatch(/do not check out/)
    expect(bob.session.status().dropped['direct-forged']).toBe(1)
    // From alice, but signed by mallory's key.
    expect(await forge(mallory, alice.session.peerId)).toMatch(/do not check out/)
    expect(bob.session.status().dropped['direct-bad-signature']).toBe(1)
    expect(bob.dms).toHaveLength(0)
  })

  it('a flood is rate-limited and still arrives whole, in order', async () => {
    const alice = await start({ nick: 'alice' })
    const bob = await start({ nick: 'bob', bootstrap: [alice.addr] })
    await waitFor(() => alice.session.node.getConnections().length > 0, 'connected')
    // 40 against a burst of 30, then 5 a second: the last 10 are taken in later attempts.
    for (let i = 0; i < 40; i++) alice.session.sendDirect(bob.session.peerId, `flood ${i}`)
    await waitFor(() => bob.dms.length === 40, 'all 40 at bob', 30_000)
    expect(bob.dms.map(d => d.text)).toEqual(Array.from({ length: 40 }, (_, i) => `flood ${i}`))
    expect(bob.session.status().dropped['direct-rate-limited'] ?? 0).toBeGreaterThan(0)
  }, 40_000)
})
