/**
 * Encoded sizes of model-network traffic, computed with the real wire codec:
 * a ChatMessage as `encodeChatMessage` writes it (with a 38-byte Ed25519 peer id
 * multihash in place of the model's short participant names), and repair-protocol
 * frames (PullRequest, PullResponse of SignedRecords with a 64-byte signature),
 * each with its varint length prefix. Gossipsub's own envelope is not included:
 * the model has no gossipsub.
 */

import Long from 'long'
import { encodeChatMessage, hexToBytes, schema } from '../wire/index.js'
import type { PullRequest, ReliableMessage } from '../reliability/index.js'
import type { WireSizer } from './network-types.js'

/** Bytes of an Ed25519 peer id multihash (identity multihash of the 36-byte protobuf key). */
export const PEER_ID_BYTES = 38
/** Bytes of an Ed25519 signature. */
export const SIGNATURE_BYTES = 64
/** Bytes of a gossipsub sequence number. */
export const SEQNO_BYTES = 8

const FAKE_PEER_ID = new Uint8Array(PEER_ID_BYTES).fill(7)
const FAKE_SIGNATURE = new Uint8Array(SIGNATURE_BYTES).fill(9)
const FAKE_SEQNO = new Uint8Array(SEQNO_BYTES).fill(1)

/** Bytes of the unsigned-varint length prefix of a `length`-byte frame. */
export function varintLength (length: number): number {
  let n = 1
  while (length >= 0x80) { length = Math.floor(length / 128); n++ }
  return n
}

/** The ChatMessage bytes of a core message, as the room would publish them. */
export function encodeModelMessage (msg: ReliableMessage): Uint8Array {
  return encodeChatMessage({
    kind: msg.kind,
    messageId: msg.messageId,
    senderId: FAKE_PEER_ID,
    channelId: msg.channelId,
    lamport: msg.lamport,
    causalHistory: msg.causalHistory.map(h => ({ messageId: h.messageId, ...(h.retrievalHint !== undefined ? { retrievalHint: FAKE_PEER_ID } : {}) })),
    bloomFilter: msg.bloomFilter,
    content: msg.content
  })
}

/** A sizer for the model network that encodes each message once and remembers its size. */
export function createWireSizer (channelId: string): WireSizer {
  const sizes = new WeakMap<ReliableMessage, number>()
  const sizeOf = (msg: ReliableMessage): number => {
    let size = sizes.get(msg)
    if (size === undefined) {
      size = encodeModelMessage(msg).byteLength
      sizes.set(msg, size)
    }
    return size
  }
  // A SignedRecord without its data field; each record adds data's tag, length and bytes.
  const recordBase = schema.SignedRecord.encode({ from: FAKE_PEER_ID, seqno: FAKE_SEQNO, topic: channelId, signature: FAKE_SIGNATURE }).finish().byteLength
  return {
    message: sizeOf,
    pullRequest: (request: PullRequest): number => {
      const deep = request.maxAncestors !== undefined && request.have !== undefined
        ? { maxAncestors: request.maxAncestors, haveFilter: request.have, minLamport: Long.fromNumber(request.minLamport ?? 0, true) }
        : {}
      const body = schema.PullRequest.encode({ channelId, messageIds: request.messageIds.map(hexToBytes), ...deep }).finish().byteLength
      return body + varintLength(body)
    },
    pullAnswer: (msgs: ReliableMessage[]): number => {
      let body = 0
      for (const msg of msgs) {
        const data = sizeOf(msg)
        const record = recordBase + 1 + varintLength(data) + data
        body += 1 + varintLength(record) + record
      }
      return body + varintLength(body)
    }
  }
}
