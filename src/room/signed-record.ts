/**
 * Signed records: a gossipsub message exactly as its sender signed it (the
 * pubsub spec's `from, data, seqno, topic, signature, key`). Pull answers carry
 * these, so whoever answers a pull cannot forge another peer's message: the
 * receiver checks the signature the same way gossipsub does, over
 * "libp2p-pubsub:" + the protobuf encoding of `{from, data, seqno, topic}`.
 */

import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { RPC } from '@libp2p/gossipsub/message'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import type { SignedMessage } from '@libp2p/gossipsub'
import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface'

const SIGN_PREFIX = new TextEncoder().encode('libp2p-pubsub:')

/** The fields of a signed pubsub message. */
export interface SignedRecord {
  from: Uint8Array
  data: Uint8Array
  seqno: Uint8Array
  topic: string
  signature: Uint8Array
  key?: Uint8Array
}

function signedBytes (record: Pick<SignedRecord, 'from' | 'data' | 'seqno' | 'topic'>): Uint8Array {
  const body = RPC.Message.encode({ from: record.from, data: record.data, seqno: record.seqno, topic: record.topic })
  const out = new Uint8Array(SIGN_PREFIX.byteLength + body.byteLength)
  out.set(SIGN_PREFIX, 0)
  out.set(body, SIGN_PREFIX.byteLength)
  return out
}

/** True when the peer id is an identity multihash of its public key (Ed25519, secp256k1), false for a hash of it (RSA). */
function inlinesKey (peerId: PeerId): boolean {
  return peerId.toMultihash().code === 0x00
}

/** The record of a message gossipsub delivered to us (already verified by gossipsub). */
export function recordFromGossip (msg: SignedMessage): SignedRecord {
  const seqno = new Uint8Array(8)
  new DataView(seqno.buffer).setBigUint64(0, BigInt.asUintN(64, msg.sequenceNumber), false)
  // Copies: the decoded fields are views into gossipsub's receive buffer, which a kept record would pin.
  const record: SignedRecord = { from: msg.from.toMultihash().bytes, data: new Uint8Array(msg.data), seqno, topic: msg.topic, signature: new Uint8Array(msg.signature) }
  // A sender whose peer id does not inline its key (RSA, `Qm…`): the record must carry it.
  if (!inlinesKey(msg.from)) record.key = publicKeyToProtobuf(msg.key)
  return record
}

/** Signs our own payload into a record (for answering pulls of our own messages). */
export async function signRecord (privateKey: PrivateKey, peerId: PeerId, topic: string, data: Uint8Array, seqno: Uint8Array): Promise<SignedRecord> {
  const record = { from: peerId.toMultihash().bytes, data, seqno, topic }
  const signature = await privateKey.sign(signedBytes(record))
  // `key` only where the peer id does not inline the public key (RSA).
  return { ...record, signature, ...(inlinesKey(peerId) ? {} : { key: publicKeyToProtobuf(privateKey.publicKey) }) }
}

/** The result of verifying a record: the signer, or why it is refused. */
export type VerifyResult = { ok: true, from: PeerId } | { ok: false, detail: string }

/** Verifies a record's signature against its `from`. Never throws. */
export async function verifyRecord (record: SignedRecord): Promise<VerifyResult> {
  let from: PeerId
  try {
    from = peerIdFromMultihash(Digest.decode(record.from))
  } catch {
    return { ok: false, detail: 'record with an invalid sender id' }
  }
  let key: PublicKey | undefined
  try {
    key = record.key !== undefined && record.key.byteLength > 0 ? publicKeyFromProtobuf(record.key) : from.publicKey
  } catch {
    return { ok: false, detail: 'record with an invalid public key' }
  }
  if (key === undefined) return { ok: false, detail: 'record sender has no inline public key' }
  if (!from.equals(key.toMultihash().bytes)) return { ok: false, detail: 'record key does not match its sender' }
  if (record.seqno.byteLength !== 8) return { ok: false, detail: 'record with an invalid seqno' }
  try {
    if (await key.verify(signedBytes(record), record.signature)) return { ok: true, from }
  } catch {}
  return { ok: false, detail: 'record with an invalid signature' }
}

/** Encodes a public key for a record's `key` field (needed only for keys not inlined in the peer id). */
export function recordKey (key: PublicKey): Uint8Array {
  return publicKeyToProtobuf(key)
}
