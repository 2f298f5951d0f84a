/**
 * Encode and decode `ChatMessage` (the gossipsub payload) with every size and
 * field check a receiver needs before the bytes reach the reliability core.
 * Decoding never throws: bad input comes back as a reason to count.
 */

import Long from 'long'
import { schema, WIRE_VERSION } from './schema.js'
import {
  MAX_BLOOM_BYTES, MAX_CAUSAL_HISTORY, MAX_CHANNEL_ID_LENGTH, MAX_MESSAGE_BYTES,
  MAX_PEER_ID_BYTES, MESSAGE_ID_BYTES
} from './limits.js'
import { bytesToHex, hexToBytes } from './hex.js'
import { decodeStrict } from './strict-decode.js'

/** The three kinds of ChatMessage. */
export type WireKind = 'content' | 'sync' | 'ephemeral'

/** A decoded, checked ChatMessage. Ids are lowercase hex strings. */
export interface WireMessage {
  version: number
  kind: WireKind
  messageId: string
  /** Sender peer id as multihash bytes; the caller compares it with the signed gossipsub `from`. */
  senderId: Uint8Array
  channelId: string
  lamport: number
  causalHistory: Array<{ messageId: string, retrievalHint?: Uint8Array }>
  bloomFilter: Uint8Array
  content: Uint8Array
}

/** Why a payload was refused at the wire level. */
export type WireDropReason = 'oversized' | 'malformed' | 'unsupported-version' | 'unsupported-kind' | 'bad-field' | 'clock-skew'

/** The outcome of decoding: a message, or a reason and a one-line detail. */
export type DecodeResult<T> = { ok: true, value: T } | { ok: false, reason: WireDropReason, detail: string }

const KIND_TO_WIRE: Record<WireKind, number> = { content: 1, sync: 2, ephemeral: 3 }
const WIRE_TO_KIND: Record<number, WireKind> = { 1: 'content', 2: 'sync', 3: 'ephemeral' }

interface RawChatMessage {
  version?: number
  kind?: number
  messageId?: Uint8Array
  senderId?: Uint8Array
  channelId?: string
  lamport?: number | Long
  causalHistory?: Array<{ messageId?: Uint8Array, retrievalHint?: Uint8Array }>
  bloomFilter?: Uint8Array
  content?: Uint8Array
}

/** Encodes a message for the wire. The caller provides well-formed fields. */
export function encodeChatMessage (msg: Omit<WireMessage, 'version'> & { version?: number }): Uint8Array {
  return schema.ChatMessage.encode({
    version: msg.version ?? WIRE_VERSION,
    kind: KIND_TO_WIRE[msg.kind],
    messageId: hexToBytes(msg.messageId),
    senderId: msg.senderId,
    channelId: msg.channelId,
    lamport: Long.fromNumber(msg.lamport, true),
    causalHistory: msg.causalHistory.map(h => ({ messageId: hexToBytes(h.messageId), retrievalHint: h.retrievalHint })),
    bloomFilter: msg.bloomFilter,
    content: msg.content
  }).finish()
}

/**
 * protobufjs decodes an absent proto3 `bytes` field as its default, a plain empty
 * Array, not a Uint8Array; normalise so every bytes field downstream is a Uint8Array.
 */
export function asBytes (value: Uint8Array | number[] | undefined): Uint8Array {
  if (value instanceof Uint8Array) return value
  return value === undefined || value.length === 0 ? new Uint8Array(0) : Uint8Array.from(value)
}

/** Converts a protobuf uint64 to a safe integer (absent = 0), or undefined when it is not one. */
export function uint64ToSafeInteger (value: number | Long | undefined): number | undefined {
  if (value === undefined) return 0
  const n = typeof value === 'number' ? value : (value.high >>> 0) > 0x1fffff ? Number.POSITIVE_INFINITY : value.toNumber()
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}

/** Decodes and checks a ChatMessage. Never throws. */
export function decodeChatMessage (bytes: Uint8Array): DecodeResult<WireMessage> {
  if (bytes.byteLength > MAX_MESSAGE_BYTES) {
    return { ok: false, reason: 'oversized', detail: `message of ${bytes.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}` }
  }
  let raw: RawChatMessage
  try {
    raw = decodeStrict(schema.ChatMessage, bytes) as unknown as RawChatMessage
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: `undecodable message: ${(err as Error).message}` }
  }
  const version = raw.version ?? 0
  if (version < 1) return { ok: false, reason: 'unsupported-version', detail: `unsupported wire version ${version}` }
  const kind = WIRE_TO_KIND[raw.kind ?? 0]
  // 0 is no kind at all; a kind above 3 may be a later version's addition: not understood, not an offence.
  if (kind === undefined) {
    const n = raw.kind ?? 0
    return n === 0 ? { ok: false, reason: 'malformed', detail: 'message kind missing' } : { ok: false, reason: 'unsupported-kind', detail: `unknown message kind ${n}` }
  }
  if (raw.messageId?.byteLength !== MESSAGE_ID_BYTES) {
    return { ok: false, reason: 'bad-field', detail: `message id must be ${MESSAGE_ID_BYTES} bytes` }
  }
  const senderId = asBytes(raw.senderId)
  if (senderId.byteLength === 0 || senderId.byteLength > MAX_PEER_ID_BYTES) {
    return { ok: false, reason: 'bad-field', detail: 'missing or oversized sender id' }
  }
  const channelId = raw.channelId ?? ''
  if (channelId.length === 0 || channelId.length > MAX_CHANNEL_ID_LENGTH) {
    return { ok: false, reason: 'bad-field', detail: 'missing or oversized channel id' }
  }
  const lamport = uint64ToSafeInteger(raw.lamport)
  if (lamport === undefined) return { ok: false, reason: 'clock-skew', detail: 'lamport timestamp is not a safe integer' }
  const history = raw.causalHistory ?? []
  if (history.length > MAX_CAUSAL_HISTORY) {
    return { ok: false, reason: 'oversized', detail: `causal history of ${history.length} entries exceeds ${MAX_CAUSAL_HISTORY}` }
  }
  const causalHistory: WireMessage['causalHistory'] = []
  for (const entry of history) {
    if (entry.messageId?.byteLength !== MESSAGE_ID_BYTES) {
      return { ok: false, reason: 'bad-field', detail: 'causal history entry with a bad message id' }
    }
    const hint = entry.retrievalHint === undefined ? undefined : asBytes(entry.retrievalHint)
    if (hint !== undefined && hint.byteLength > MAX_PEER_ID_BYTES) {
      return { ok: false, reason: 'oversized', detail: 'oversized retrieval hint' }
    }
    causalHistory.push(hint !== undefined && hint.byteLength > 0
      ? { messageId: bytesToHex(entry.messageId), retrievalHint: hint }
      : { messageId: bytesToHex(entry.messageId) })
  }
  const bloomFilter = asBytes(raw.bloomFilter)
  if (bloomFilter.byteLength > MAX_BLOOM_BYTES) {
    return { ok: false, reason: 'oversized', detail: `bloom filter of ${bloomFilter.byteLength} bytes exceeds ${MAX_BLOOM_BYTES}` }
  }
  const content = asBytes(raw.content)
  if (kind === 'sync' && content.byteLength > 0) {
    return { ok: false, reason: 'malformed', detail: 'sync message with content' }
  }
  return {
    ok: true,
    value: { version, kind, messageId: bytesToHex(raw.messageId), senderId, channelId, lamport, causalHistory, bloomFilter, content }
  }
}
