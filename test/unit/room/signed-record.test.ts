import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { SignedMessage } from '@libp2p/gossipsub'
import { recordFromGossip, signRecord, verifyRecord } from '../../../src/room/signed-record.js'

const data = new TextEncoder().encode('a chat message')
const seqno = Uint8Array.from([0, 0, 1, 2, 3, 4, 5, 6])

describe('signed records', () => {
  it('an Ed25519 record carries no key (the peer id inlines it) and verifies', async () => {
    const key = await generateKeyPair('Ed25519')
    const record = await signRecord(key, peerIdFromPrivateKey(key), 'p2pchat/x', data, seqno)
    expect(record.key).toBeUndefined()
    expect(await verifyRecord(record)).toMatchObject({ ok: true })
  })

  it('an RSA record carries its key (the peer id only hashes it), and without it is refused', async () => {
    const key = await generateKeyPair('RSA', 1024)
    const peerId = peerIdFromPrivateKey(key)
    const record = await signRecord(key, peerId, 'p2pchat/x', data, seqno)
    expect(record.key?.byteLength).toBeGreaterThan(0)
    expect(await verifyRecord(record)).toMatchObject({ ok: true })
    const { key: _key, ...bare } = record
    expect(await verifyRecord(bare)).toEqual({ ok: false, detail: 'record sender has no inline public key' })

    // A record kept from gossip carries the key too, so others can verify it when they pull it.
    const kept = recordFromGossip({ type: 'signed', from: peerId, data, sequenceNumber: 0x0000010203040506n, topic: 'p2pchat/x', signature: record.signature, key: key.publicKey } as SignedMessage)
    expect(kept.key).toEqual(record.key)
    expect(await verifyRecord(kept)).toMatchObject({ ok: true })
  })
})
