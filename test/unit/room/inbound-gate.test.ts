import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { RoomDriver, toWireMessage } from '../../../src/room/index.js'
import { DropCounter } from '../../../src/room/drop-counter.js'
import { InboundGate } from '../../../src/room/inbound-gate.js'
import { signRecord, type SignedRecord } from '../../../src/room/signed-record.js'
import { encodeChatMessage } from '../../../src/wire/index.js'

const topic = 'p2pchat/gate'
const aliceKey = await generateKeyPair('Ed25519')
const alice = peerIdFromPrivateKey(aliceKey)
const bob = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

/** A signed record of one line alice sent at `now`. */
async function aliceRecord (text: string, now: number): Promise<SignedRecord> {
  const sender = new RoomDriver(alice.toString(), topic, { nick: 'alice', announcePresence: false })
  const msg = sender.send(text, false, now)
  const seqno = new Uint8Array(8)
  new DataView(seqno.buffer).setBigUint64(0, BigInt(msg.lamport), false)
  return await signRecord(aliceKey, alice, topic, encodeChatMessage(toWireMessage(msg, alice)), seqno)
}

function gateOf (now: number): { gate: InboundGate, drops: DropCounter, driver: RoomDriver } {
  const driver = new RoomDriver(bob.toString(), topic, { nick: 'bob', announcePresence: false })
  const drops = new DropCounter()
  return { gate: new InboundGate(topic, driver, drops, () => now, () => {}), drops, driver }
}

describe('the inbound gate', () => {
  it('verifies a record that arrives twice at once only once; the second copy is a duplicate', async () => {
    const record = await aliceRecord('hello', 1000)
    const { gate, drops } = gateOf(1000)
    const [first, second] = await Promise.all([gate.verify(record), gate.verify({ ...record })])
    expect([first, second].filter(c => c !== undefined)).toHaveLength(1)
    expect(gate.verifications).toBe(1)
    expect(drops.get('duplicate')).toBe(1)
  })

  it('a copy the core already has costs no verification', async () => {
    const record = await aliceRecord('hello', 1000)
    const { gate, drops, driver } = gateOf(1000)
    const copy = await gate.verify(record)
    expect(copy).toBeDefined()
    driver.receive(copy!.msg, 1000)
    expect(await gate.verify(record)).toBeUndefined()
    expect(gate.verifications).toBe(1)
    expect(drops.get('duplicate')).toBe(1)
  })

  it('a forged copy verified first does not make the honest one a duplicate', async () => {
    const record = await aliceRecord('hello', 1000)
    const forged = { ...record, signature: new Uint8Array(record.signature.byteLength) }
    const { gate, drops } = gateOf(1000)
    const [bad, good] = await Promise.all([gate.verify(forged), gate.verify(record)])
    expect(bad).toBeUndefined()
    expect(good?.msg.senderId).toBe(alice.toString())
    expect(gate.verifications).toBe(2)
    expect(drops.get('bad-signature')).toBe(1)
    expect(drops.get('duplicate')).toBe(0)
  })

  it('refuses a record of another room, or signed by someone other than its sender, before verifying', async () => {
    const record = await aliceRecord('hello', 1000)
    const { gate, drops } = gateOf(1000)
    expect(await gate.verify({ ...record, topic: 'p2pchat/elsewhere' })).toBeUndefined()
    expect(await gate.verify({ ...record, from: bob.toMultihash().bytes })).toBeUndefined()
    expect(gate.verifications).toBe(0)
    expect(drops.toJSON()).toEqual({ 'wrong-channel': 1, 'forged-sender': 1 })
  })
})
