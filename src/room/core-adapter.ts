/**
 * Converts between the wire form of a message (bytes ids, multihash sender)
 * and the reliability core's plain form (hex ids, peer id strings).
 */

import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import type { PeerId } from '@libp2p/interface'
import type { ReliableMessage } from '../reliability/index.js'
import type { WireMessage } from '../wire/index.js'

function hintToString (hint: Uint8Array | undefined): string | undefined {
  if (hint === undefined) return undefined
  try {
    return peerIdFromMultihash(Digest.decode(hint)).toString()
  } catch {
    return undefined
  }
}

function hintToBytes (hint: string | undefined): Uint8Array | undefined {
  if (hint === undefined) return undefined
  try {
    return peerIdFromString(hint).toMultihash().bytes
  } catch {
    return undefined
  }
}

/** The core's view of a checked wire message sent by `from`. */
export function toCoreMessage (wire: WireMessage, from: PeerId): ReliableMessage {
  return {
    kind: wire.kind,
    messageId: wire.messageId,
    senderId: from.toString(),
    channelId: wire.channelId,
    lamport: wire.lamport,
    causalHistory: wire.causalHistory.map(h => {
      const retrievalHint = hintToString(h.retrievalHint)
      return retrievalHint === undefined ? { messageId: h.messageId } : { messageId: h.messageId, retrievalHint }
    }),
    // Copies: decoded bytes are views into the received frame, which the kept message would pin.
    bloomFilter: new Uint8Array(wire.bloomFilter),
    content: new Uint8Array(wire.content)
  }
}

/** The wire form of one of our own core messages. */
export function toWireMessage (msg: ReliableMessage, self: PeerId): WireMessage {
  return {
    version: 1,
    kind: msg.kind,
    messageId: msg.messageId,
    senderId: self.toMultihash().bytes,
    channelId: msg.channelId,
    lamport: msg.lamport,
    causalHistory: msg.causalHistory.map(h => {
      const retrievalHint = hintToBytes(h.retrievalHint)
      return retrievalHint === undefined ? { messageId: h.messageId } : { messageId: h.messageId, retrievalHint }
    }),
    bloomFilter: msg.bloomFilter,
    content: msg.content
  }
}
