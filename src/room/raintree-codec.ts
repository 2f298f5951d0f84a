/**
 * The frames of `/p2pchat/raintree/1.0.0`: a `RainTreeEnvelope` (the sender's signed record of a
 * message, the layer the receiver plays from, a nonce, and whether the copy is an adjustment or a
 * redundancy copy) and the `RainTreeAck` that echoes an envelope's nonce. Decoding never throws:
 * a bad frame comes back as a reason to count.
 */
import { asBytes, decodeStrict, MAX_MESSAGE_BYTES, schema } from '../wire/index.js'
import type { SignedRecord } from './signed-record.js'

/** The RainTree protocol id. */
export const RAINTREE_PROTOCOL = '/p2pchat/raintree/1.0.0'

/** Bytes of an envelope's nonce. */
export const RAINTREE_NONCE_BYTES = 8

/** Largest frame either way: a whole chat message plus its record's signature, key and framing. */
export const MAX_RAINTREE_FRAME_BYTES = MAX_MESSAGE_BYTES + 4_096

/** Highest layer an envelope may carry (round(log3 N) for the largest view is far below). */
export const MAX_RAINTREE_LAYER = 32

const FLAG_ADJUSTMENT = 1
const FLAG_REDUNDANCY = 2

/** One copy of a message on the RainTree path. */
export interface RainTreeEnvelope {
  record: SignedRecord
  layer: number
  nonce: Uint8Array
  adjustment: boolean
  redundancy: boolean
}

/** The bytes of an envelope. */
export function encodeEnvelope (e: RainTreeEnvelope): Uint8Array {
  const flags = (e.adjustment ? FLAG_ADJUSTMENT : 0) | (e.redundancy ? FLAG_REDUNDANCY : 0)
  return schema.RainTreeEnvelope.encode({ record: e.record, layer: e.layer, nonce: e.nonce, flags }).finish()
}

interface RawEnvelope { record?: Partial<SignedRecord>, layer?: number, nonce?: Uint8Array, flags?: number }

/** An envelope from its bytes, or why it is not one. */
export function decodeEnvelope (bytes: Uint8Array): { ok: true, envelope: RainTreeEnvelope } | { ok: false, reason: 'malformed' } {
  let raw: RawEnvelope
  try {
    raw = decodeStrict(schema.RainTreeEnvelope, bytes) as unknown as RawEnvelope
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  const r = raw.record
  const nonce = asBytes(raw.nonce)
  const layer = raw.layer ?? 0
  if (r === undefined || nonce.byteLength !== RAINTREE_NONCE_BYTES || layer > MAX_RAINTREE_LAYER) return { ok: false, reason: 'malformed' }
  const [from, data, seqno, signature, key] = [asBytes(r.from), asBytes(r.data), asBytes(r.seqno), asBytes(r.signature), asBytes(r.key)]
  if (from.byteLength === 0 || seqno.byteLength === 0 || signature.byteLength === 0 || typeof r.topic !== 'string') return { ok: false, reason: 'malformed' }
  const flags = raw.flags ?? 0
  return {
    ok: true,
    envelope: {
      record: { from, data, seqno, topic: r.topic, signature, ...(key.byteLength > 0 ? { key } : {}) },
      layer,
      nonce,
      adjustment: (flags & FLAG_ADJUSTMENT) !== 0,
      redundancy: (flags & FLAG_REDUNDANCY) !== 0
    }
  }
}

/** The bytes of an ACK of the envelope with `nonce`. */
export function encodeAck (nonce: Uint8Array): Uint8Array {
  return schema.RainTreeAck.encode({ nonce }).finish()
}

/** The nonce an ACK echoes, or undefined when the frame is not an ACK. */
export function decodeAck (bytes: Uint8Array): Uint8Array | undefined {
  try {
    const nonce = asBytes((decodeStrict(schema.RainTreeAck, bytes) as { nonce?: Uint8Array }).nonce)
    return nonce.byteLength === RAINTREE_NONCE_BYTES ? nonce : undefined
  } catch {
    return undefined
  }
}
