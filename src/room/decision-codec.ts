/**
 * Decisions on the topic: a committee's certified batch travels as the `decision` body of an
 * `Ephemeral` (KIND_EPHEMERAL), so peers of earlier versions ignore it as a body they do not know.
 * These helpers tell a decision from a presence record and wrap or unwrap one. Never throw.
 */
import { decodeCertifiedBatch, encodeCertifiedBatch, type CertifiedBatch } from '../consensus/index.js'
import { decodeStrict, schema } from '../wire/index.js'

/** Protobuf tag of Ephemeral field 7 (`decision`, length-delimited): (7 << 3) | 2. */
const DECISION_TAG = 0x3a

/** The Ephemeral bytes carrying `batch`. */
export function encodeDecision (batch: CertifiedBatch): Uint8Array {
  return schema.Ephemeral.encode({ decision: encodeCertifiedBatch(batch) }).finish()
}

/**
 * The batch inside an Ephemeral's bytes: `undefined` when it is not a decision (presence and
 * census records), else the checked batch or why it was refused.
 */
export function decisionOf (ephemeral: Uint8Array): { ok: true, batch: CertifiedBatch } | { ok: false, detail: string } | undefined {
  // A decision's Ephemeral holds the `decision` field alone, so its first byte is that field's tag;
  // presence and census records never start with it, and cost no second decode.
  if (ephemeral.byteLength === 0 || ephemeral[0] !== DECISION_TAG) return undefined
  let raw: { body?: string, decision?: Uint8Array }
  try {
    raw = schema.Ephemeral.toObject(decodeStrict(schema.Ephemeral, ephemeral), { oneofs: true }) as { body?: string, decision?: Uint8Array }
  } catch {
    return undefined
  }
  if (raw.body !== 'decision' || raw.decision === undefined) return undefined
  const decoded = decodeCertifiedBatch(raw.decision)
  return decoded.ok ? { ok: true, batch: decoded.batch } : { ok: false, detail: decoded.detail }
}
