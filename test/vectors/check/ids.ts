/** Checks of keys.json, message-ids.json and gossipsub-message-ids.json against the code. */
import { createHash } from 'node:crypto'
import { generateKeyPairFromSeed, privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromMultihash, peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { expect } from 'vitest'
import { fastMsgId } from '../../../src/node/fast-msg-id.js'
import { computeMessageId, type MessageKind } from '../../../src/reliability/index.js'
import { hex, unhex } from '../build/common.js'
import { gossipIdFns, signedMessage } from '../build/ids.js'

interface KeyCase { seedHex: string, privateKeyProtobufHex: string, publicKeyProtobufHex: string, peerIdMultihashHex: string, peerIdString: string, peerIdCid: string }

export async function checkKey (c: KeyCase): Promise<void> {
  const key = await generateKeyPairFromSeed('Ed25519', unhex(c.seedHex))
  const peerId = peerIdFromPrivateKey(key)
  expect(hex(privateKeyToProtobuf(key))).toBe(c.privateKeyProtobufHex)
  expect(hex(publicKeyToProtobuf(key.publicKey))).toBe(c.publicKeyProtobufHex)
  expect(hex(peerId.toMultihash().bytes)).toBe(c.peerIdMultihashHex)
  expect(c.peerIdMultihashHex).toBe('0024' + c.publicKeyProtobufHex) // identity multihash of the key's protobuf
  expect(peerId.toString()).toBe(c.peerIdString)
  expect(hex(peerIdFromString(c.peerIdString).toMultihash().bytes)).toBe(c.peerIdMultihashHex)
  expect(peerId.toCID().toString()).toBe(c.peerIdCid)
}

interface MessageIdCase { channelId: string, senderId: string, lamport: number, kind: MessageKind, contentHex: string, preimageHex: string, messageId: string }

export async function checkMessageId (c: MessageIdCase): Promise<void> {
  const id = computeMessageId({ channelId: c.channelId, senderId: c.senderId, lamport: c.lamport, kind: c.kind, content: unhex(c.contentHex) })
  expect(id).toBe(c.messageId)
  expect(createHash('sha256').update(unhex(c.preimageHex)).digest().subarray(0, 16).toString('hex')).toBe(c.messageId)
  expect(c.preimageHex.endsWith(c.contentHex)).toBe(true)
}

interface GossipIdCase { peerIdMultihashHex: string, seqnoHex: string, messageIdHex: string, messageIdString: string, fastMsgId: string }

export async function checkGossipId (c: GossipIdCase): Promise<void> {
  const fns = gossipIdFns()
  const from = peerIdFromMultihash(Digest.decode(unhex(c.peerIdMultihashHex)))
  if (from.publicKey === undefined) throw new Error('an Ed25519 peer id inlines its key')
  const id = await fns.msgIdFn(signedMessage(from, from.publicKey, BigInt(`0x${c.seqnoHex}`)))
  expect(hex(id)).toBe(c.messageIdHex)
  expect(c.messageIdHex).toBe(c.peerIdMultihashHex.slice(4) + c.seqnoHex) // the multihash header 00 24 is not part of it
  expect(fns.msgIdToStrFn(id)).toBe(c.messageIdString)
  const raw = { from: unhex(c.peerIdMultihashHex), seqno: unhex(c.seqnoHex) }
  expect(fastMsgId(raw)).toBe(c.fastMsgId)
  expect(fns.fastMsgIdFn(raw)).toBe(c.fastMsgId)
}
