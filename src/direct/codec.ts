/**
 * Encode and decode the frames of `/p2pchat/dm/1.0.0`: signed direct messages in a batch, and the
 * acknowledgement. Decoding never throws: bad input comes back as a reason and a line. Signing and
 * checking signatures are the host's (it holds the keys); the bytes to sign are here.
 */
import Long from 'long'
import { createHash } from 'node:crypto'
import { base58btc } from 'multiformats/bases/base58'
import { bytesToHex, decodeStrict, MESSAGE_ID_BYTES, safeUint64, schema, type Uint64Field } from '../wire/index.js'
import { DIRECT_LIMITS, DIRECT_SIGNING_DOMAIN } from './constants.js'
import type { DirectMessage } from './types.js'

/** A message with the bytes its sender signed and the signature. */
export interface SignedDirect { message: DirectMessage, bytes: Uint8Array, signature: Uint8Array }

/** Why a frame or message was refused. */
export type DirectRefusal = 'malformed' | 'oversized'

const u64 = (n: number): Long => Long.fromNumber(n, true)

/** The DirectMessage bytes of `m` (without its id, which is their hash). */
export function encodeDirectMessage (m: Omit<DirectMessage, 'id'>): Uint8Array {
  return schema.DirectMessage.encode({ from: base58btc.baseDecode(m.from), to: base58btc.baseDecode(m.to), epoch: u64(m.epoch), seq: u64(m.seq), sentAt: u64(m.sentAt), nick: m.nick, text: m.text, action: m.action }).finish()
}

/** What the sender signs: the domain, then the message bytes. */
export function directSigningBytes (messageBytes: Uint8Array): Uint8Array {
  const domain = new TextEncoder().encode(DIRECT_SIGNING_DOMAIN)
  const out = new Uint8Array(domain.byteLength + messageBytes.byteLength)
  out.set(domain, 0)
  out.set(messageBytes, domain.byteLength)
  return out
}

/** A message's id: SHA-256 over its bytes, truncated to 16 bytes, hex. */
export function directMessageId (messageBytes: Uint8Array): string {
  return bytesToHex(createHash('sha256').update(messageBytes).digest().subarray(0, MESSAGE_ID_BYTES))
}

interface RawDirect { from?: Uint8Array, to?: Uint8Array, epoch?: Uint64Field, seq?: Uint64Field, sentAt?: Uint64Field, nick?: string, text?: string, action?: boolean }

class Refused extends Error {
  constructor (readonly reason: DirectRefusal, detail: string) { super(detail) }
}

function peer (bytes: Uint8Array | undefined, what: string): string {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) throw new Refused('malformed', `missing ${what}`)
  if (bytes.byteLength > DIRECT_LIMITS.maxPeerIdBytes) throw new Refused('oversized', `${what} longer than ${DIRECT_LIMITS.maxPeerIdBytes} bytes`)
  return base58btc.baseEncode(bytes)
}

function integer (value: Uint64Field | undefined, what: string, min: number): number {
  const n = safeUint64(value ?? 0)
  if (n === undefined || n < min) throw new Refused('malformed', `${what} is not an integer of at least ${min} below 2^53`)
  return n
}

/** Decodes and checks one DirectMessage's bytes. */
export function decodeDirectMessage (bytes: Uint8Array): { ok: true, message: DirectMessage } | { ok: false, reason: DirectRefusal, detail: string } {
  try {
    const raw = schema.DirectMessage.toObject(decodeStrict(schema.DirectMessage, bytes)) as RawDirect
    const text = raw.text ?? ''
    const nick = raw.nick ?? ''
    if (text.length === 0) throw new Refused('malformed', 'a direct message with no text')
    if (text.length > DIRECT_LIMITS.maxTextLength) throw new Refused('oversized', `text longer than ${DIRECT_LIMITS.maxTextLength} characters`)
    if (nick.length > DIRECT_LIMITS.maxNickLength) throw new Refused('oversized', `nick longer than ${DIRECT_LIMITS.maxNickLength} characters`)
    return {
      ok: true,
      message: {
        id: directMessageId(bytes),
        from: peer(raw.from, 'from'),
        to: peer(raw.to, 'to'),
        epoch: integer(raw.epoch, 'epoch', 1),
        seq: integer(raw.seq, 'seq', 1),
        sentAt: integer(raw.sentAt, 'sent_at', 0),
        nick,
        text,
        action: raw.action === true
      }
    }
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.reason, detail: err.message }
    return { ok: false, reason: 'malformed', detail: 'not a direct message (protobuf did not decode)' }
  }
}

/** The DirectBatch bytes of signed messages. */
export function encodeDirectBatch (messages: ReadonlyArray<{ bytes: Uint8Array, signature: Uint8Array }>): Uint8Array {
  return schema.DirectBatch.encode({ messages: messages.map(m => ({ message: m.bytes, signature: m.signature })) }).finish()
}

/** Decodes a DirectBatch: each message decoded and checked (signatures are the caller's to verify). */
export function decodeDirectBatch (bytes: Uint8Array): { ok: true, messages: SignedDirect[] } | { ok: false, reason: DirectRefusal, detail: string } {
  if (bytes.byteLength > DIRECT_LIMITS.maxBatchBytes) return { ok: false, reason: 'oversized', detail: `a batch over ${DIRECT_LIMITS.maxBatchBytes} bytes` }
  let raw: { messages?: Array<{ message?: Uint8Array, signature?: Uint8Array }> }
  try {
    raw = schema.DirectBatch.toObject(decodeStrict(schema.DirectBatch, bytes)) as typeof raw
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not a direct batch (protobuf did not decode)' }
  }
  const list = raw.messages ?? []
  if (list.length === 0) return { ok: false, reason: 'malformed', detail: 'an empty batch' }
  if (list.length > DIRECT_LIMITS.maxBatch) return { ok: false, reason: 'oversized', detail: `a batch of more than ${DIRECT_LIMITS.maxBatch} messages` }
  const out: SignedDirect[] = []
  for (const m of list) {
    const signature = m.signature ?? new Uint8Array(0)
    if (signature.byteLength === 0 || signature.byteLength > DIRECT_LIMITS.maxSignatureBytes) return { ok: false, reason: 'malformed', detail: 'a message without a valid signature field' }
    const bytes = Uint8Array.from(m.message ?? [])
    const decoded = decodeDirectMessage(bytes)
    if (!decoded.ok) return decoded
    out.push({ message: decoded.message, bytes, signature: Uint8Array.from(signature) })
  }
  return { ok: true, messages: out }
}

/** An acknowledgement: the recipient's view of one stream, or a refusal. */
export interface DirectAck { epoch: number, seq: number, refusal?: string }

/** The DirectAck bytes. */
export function encodeDirectAck (ack: DirectAck): Uint8Array {
  return schema.DirectAck.encode({ epoch: u64(ack.epoch), seq: u64(ack.seq), ...(ack.refusal === undefined ? {} : { refusal: ack.refusal }) }).finish()
}

/** Decodes a DirectAck; undefined when it is not one. */
export function decodeDirectAck (bytes: Uint8Array): DirectAck | undefined {
  try {
    const raw = schema.DirectAck.toObject(decodeStrict(schema.DirectAck, bytes)) as { epoch?: Uint64Field, seq?: Uint64Field, refusal?: string }
    const epoch = safeUint64(raw.epoch ?? 0)
    const seq = safeUint64(raw.seq ?? 0)
    if (epoch === undefined || seq === undefined) return undefined
    return { epoch, seq, ...(raw.refusal === undefined || raw.refusal === '' ? {} : { refusal: raw.refusal.slice(0, 200) }) }
  } catch {
    return undefined
  }
}
