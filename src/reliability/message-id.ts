/**
 * Message ids: the first 16 bytes of SHA-256 over
 * utf8("p2pchat/msgid/v1") ‖ utf8(channelId) ‖ 0x00 ‖ utf8(senderId) ‖ 0x00 ‖
 * uint64be(lamport) ‖ uint8(kind) ‖ content, as lowercase hex.
 * A sender's Lamport value strictly increases per message, so equal texts get distinct ids.
 */
import { createHash } from 'node:crypto'
import type { MessageId, MessageKind } from './types.js'

const DOMAIN = Buffer.from('p2pchat/msgid/v1', 'utf8')
const ID_PATTERN = /^[0-9a-f]{32}$/

/** The byte that encodes each kind in the id preimage (and on the wire). */
export const KIND_CODES: Readonly<Record<MessageKind, number>> = Object.freeze({ content: 1, sync: 2, ephemeral: 3 })

/** Fields the id is computed from. */
export interface MessageIdInput {
  channelId: string
  senderId: string
  lamport: number
  kind: MessageKind
  content: Uint8Array
}

/** Computes the id of a message (lamport must be a non-negative safe integer). */
export function computeMessageId (input: MessageIdInput): MessageId {
  const channelLength = Buffer.byteLength(input.channelId, 'utf8')
  const senderLength = Buffer.byteLength(input.senderId, 'utf8')
  const headerLength = DOMAIN.length + channelLength + 1 + senderLength + 1 + 8 + 1
  const header = Buffer.allocUnsafe(headerLength)
  let offset = DOMAIN.copy(header, 0)
  offset += header.write(input.channelId, offset, 'utf8')
  header[offset++] = 0
  offset += header.write(input.senderId, offset, 'utf8')
  header[offset++] = 0
  header.writeBigUInt64BE(BigInt(input.lamport), offset)
  offset += 8
  header[offset] = KIND_CODES[input.kind]
  return createHash('sha256').update(header).update(input.content).digest().subarray(0, 16).toString('hex')
}

/** True when `value` is a syntactically valid message id (32 lowercase hex characters). */
export function isMessageId (value: unknown): value is MessageId {
  return typeof value === 'string' && value.length === 32 && ID_PATTERN.test(value)
}
