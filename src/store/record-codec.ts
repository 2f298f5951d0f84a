/**
 * The on-disk form of a delivered content message: a small versioned protobuf
 * (schema below, defined in code: it is a disk format, not a wire format).
 *
 * A message received over gossipsub keeps its signed record, so a pull for it can be
 * answered from disk with the sender's own signature. Its `data` is the exact
 * ChatMessage bytes the sender signed, which already hold every field of the message,
 * so such a record stores only the signed record and the sender's peer id string, and
 * the message is decoded from `data` with the wire codec. A message without a signed
 * record (our own: the driver re-signs it on demand) stores the core fields instead.
 *
 * Decoding checks everything a damaged record could get wrong (version, kind, channel,
 * id hash) and throws `RecordError`; the store turns that into STORE_CORRUPT.
 */
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import protobuf from 'protobufjs'
import { computeMessageId, type HistoryEntry, type ReliableMessage } from '../reliability/index.js'
import { bytesToHex, decodeChatMessage, hexToBytes } from '../wire/index.js'

/** Version of the record format this build writes. */
export const RECORD_VERSION = 1

/** The signed gossipsub record of a message (its topic is the room). */
export interface StoredSignature {
  from: Uint8Array
  /** The ChatMessage bytes as signed by the sender. */
  data: Uint8Array
  seqno: Uint8Array
  signature: Uint8Array
  key?: Uint8Array
}

/** A message read back from the store. */
export interface StoredEntry {
  message: ReliableMessage
  /** The sender's signed record, when one was stored. */
  signed?: StoredSignature
  /** Wall-clock time it was stored (ms). */
  storedAt: number
}

/** A record that cannot be decoded, or does not match its key. */
export class RecordError extends Error {}

const root = protobuf.Root.fromJSON({
  nested: {
    StoredMessage: {
      fields: {
        version: { type: 'uint32', id: 1 },
        senderId: { type: 'string', id: 2 },
        storedAt: { type: 'double', id: 3 },
        signed: { type: 'SignedPart', id: 4 },
        core: { type: 'CoreMessage', id: 5 }
      }
    },
    SignedPart: {
      fields: {
        from: { type: 'bytes', id: 1 },
        data: { type: 'bytes', id: 2 },
        seqno: { type: 'bytes', id: 3 },
        signature: { type: 'bytes', id: 4 },
        key: { type: 'bytes', id: 5 }
      }
    },
    CoreMessage: {
      fields: {
        messageId: { type: 'bytes', id: 1 },
        lamport: { type: 'double', id: 2 },
        causalHistory: { rule: 'repeated', type: 'HistoryEntry', id: 3 },
        bloomFilter: { type: 'bytes', id: 4 },
        content: { type: 'bytes', id: 5 }
      }
    },
    HistoryEntry: {
      fields: {
        messageId: { type: 'bytes', id: 1 },
        retrievalHint: { type: 'string', id: 2 }
      }
    }
  }
})
const StoredMessage = root.lookupType('StoredMessage')

interface RawStored {
  version?: number
  senderId?: string
  storedAt?: number
  signed?: { from?: Uint8Array, data?: Uint8Array, seqno?: Uint8Array, signature?: Uint8Array, key?: Uint8Array }
  core?: {
    messageId?: Uint8Array
    lamport?: number
    causalHistory?: Array<{ messageId?: Uint8Array, retrievalHint?: string }>
    bloomFilter?: Uint8Array
    content?: Uint8Array
  }
}

const EMPTY = new Uint8Array(0)

/** A plain Uint8Array copy (protobufjs hands out Buffer views into the whole record). */
const plain = (bytes: Uint8Array | undefined): Uint8Array => bytes === undefined ? EMPTY : new Uint8Array(bytes)

/** Encodes a delivered content message (with its signed record, if any). */
export function encodeStored (message: ReliableMessage, storedAt: number, signed?: StoredSignature): Uint8Array {
  const record: RawStored = { version: RECORD_VERSION, senderId: message.senderId, storedAt }
  if (signed !== undefined && signed.data.byteLength > 0) {
    record.signed = { from: signed.from, data: signed.data, seqno: signed.seqno, signature: signed.signature }
    if (signed.key !== undefined && signed.key.byteLength > 0) record.signed.key = signed.key
  } else {
    record.core = {
      messageId: hexToBytes(message.messageId),
      lamport: message.lamport,
      causalHistory: message.causalHistory.map((h) => h.retrievalHint === undefined
        ? { messageId: hexToBytes(h.messageId) }
        : { messageId: hexToBytes(h.messageId), retrievalHint: h.retrievalHint }),
      bloomFilter: message.bloomFilter,
      content: message.content
    }
  }
  return StoredMessage.encode(record).finish()
}

function hintToString (hint: Uint8Array | undefined): string | undefined {
  if (hint === undefined || hint.byteLength === 0) return undefined
  try {
    return peerIdFromMultihash(Digest.decode(hint)).toString()
  } catch {
    return undefined
  }
}

function fromSigned (data: Uint8Array, senderId: string): ReliableMessage {
  const decoded = decodeChatMessage(data)
  if (!decoded.ok) throw new RecordError(`undecodable signed message: ${decoded.detail}`)
  const wire = decoded.value
  return {
    kind: wire.kind,
    messageId: wire.messageId,
    senderId,
    channelId: wire.channelId,
    lamport: wire.lamport,
    causalHistory: wire.causalHistory.map((h): HistoryEntry => {
      const retrievalHint = hintToString(h.retrievalHint)
      return retrievalHint === undefined ? { messageId: h.messageId } : { messageId: h.messageId, retrievalHint }
    }),
    bloomFilter: plain(wire.bloomFilter),
    content: plain(wire.content)
  }
}

function fromCore (core: NonNullable<RawStored['core']>, senderId: string, room: string): ReliableMessage {
  if (core.messageId?.byteLength !== 16) throw new RecordError('bad message id')
  return {
    kind: 'content',
    messageId: bytesToHex(core.messageId),
    senderId,
    channelId: room,
    lamport: core.lamport ?? 0,
    causalHistory: (core.causalHistory ?? []).map((h): HistoryEntry => {
      if (h.messageId?.byteLength !== 16) throw new RecordError('bad causal history entry')
      const messageId = bytesToHex(h.messageId)
      return h.retrievalHint === undefined || h.retrievalHint === '' ? { messageId } : { messageId, retrievalHint: h.retrievalHint }
    }),
    bloomFilter: plain(core.bloomFilter),
    content: plain(core.content)
  }
}

/**
 * Decodes a record stored under `room` for message `expectedId`; throws `RecordError`
 * when it is damaged or does not belong there.
 */
export function decodeStored (bytes: Uint8Array, room: string, expectedId: string): StoredEntry {
  let raw: RawStored
  try {
    raw = StoredMessage.decode(bytes) as unknown as RawStored
  } catch (err) {
    throw new RecordError(`undecodable record: ${(err as Error).message}`)
  }
  const version = raw.version ?? 0
  if (version !== RECORD_VERSION) throw new RecordError(`unknown record version ${version}`)
  const senderId = raw.senderId ?? ''
  if (senderId === '') throw new RecordError('record without a sender')
  const signed = raw.signed
  let message: ReliableMessage
  if (signed?.data !== undefined && signed.data.byteLength > 0) message = fromSigned(signed.data, senderId)
  else if (raw.core !== undefined && raw.core !== null) message = fromCore(raw.core, senderId, room)
  else throw new RecordError('record without a message')
  if (message.kind !== 'content') throw new RecordError(`stored message of kind ${message.kind}`)
  if (message.channelId !== room) throw new RecordError('message of another room')
  if (message.messageId !== expectedId) throw new RecordError(`record of ${message.messageId} stored as ${expectedId}`)
  if (!Number.isSafeInteger(message.lamport) || message.lamport < 0) throw new RecordError('bad lamport')
  if (computeMessageId(message) !== message.messageId) throw new RecordError(`message ${expectedId} does not match its id`)
  const entry: StoredEntry = { message, storedAt: raw.storedAt ?? 0 }
  if (signed?.data !== undefined && signed.data.byteLength > 0) {
    entry.signed = { from: plain(signed.from), data: plain(signed.data), seqno: plain(signed.seqno), signature: plain(signed.signature) }
    if (signed.key !== undefined && signed.key.byteLength > 0) entry.signed.key = plain(signed.key)
  }
  return entry
}
