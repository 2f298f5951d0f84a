/**
 * Decisions on the topic: a committee's certified batch travels as the `decision` body of an
 * `Ephemeral` (KIND_EPHEMERAL), so peers of earlier versions ignore it as a body they do not know.
 * These helpers tell a decision from a presence record and wrap or unwrap one. Never throw.
 */
import Long from 'long'
import { base58btc } from 'multiformats/bases/base58'
import { convertBatch, decodeCertifiedBatch, encodeCertifiedBatch, type CertifiedBatch } from '../consensus/index.js'
import { decodeStrict, safeUint64, schema, type Uint64Field } from '../wire/index.js'

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

/** A request of `/p2pchat/decisions/1.0.0`. */
export type DecisionRequest =
  | { room: string, type: 'catch-up', after: number }
  | { room: string, type: 'proposal', command: Uint8Array }

/** An answer of `/p2pchat/decisions/1.0.0`: a catch-up's batch, or a proposal's outcome. */
export interface DecisionAnswer { batch?: CertifiedBatch, accepted: boolean, leader?: string, refusal?: string }

/** Longest refusal text kept from an answer. */
const MAX_REFUSAL = 200

/** The DecisionRequest bytes of `request`. */
export function encodeDecisionRequest (request: DecisionRequest): Uint8Array {
  return schema.DecisionRequest.encode(request.type === 'catch-up'
    ? { room: request.room, catchUp: { afterIndex: Long.fromNumber(request.after, true) } }
    : { room: request.room, proposal: { command: request.command } }).finish()
}

/** Decodes a DecisionRequest; undefined when it is not one. Never throws. */
export function decodeDecisionRequest (bytes: Uint8Array): DecisionRequest | undefined {
  try {
    const raw = schema.DecisionRequest.toObject(decodeStrict(schema.DecisionRequest, bytes), { oneofs: true }) as { room?: string, body?: string, catchUp?: { afterIndex?: Uint64Field }, proposal?: { command?: Uint8Array } }
    const room = raw.room ?? ''
    if (raw.body === 'catchUp') {
      const after = safeUint64(raw.catchUp?.afterIndex ?? 0)
      return after === undefined ? undefined : { room, type: 'catch-up', after }
    }
    if (raw.body === 'proposal') return { room, type: 'proposal', command: raw.proposal?.command ?? new Uint8Array(0) }
    return undefined
  } catch {
    return undefined
  }
}

/** The DecisionAnswer bytes of `answer`. */
export function encodeDecisionAnswer (answer: DecisionAnswer): Uint8Array {
  return schema.DecisionAnswer.encode({
    ...(answer.batch === undefined ? {} : { batch: schema.CertifiedBatch.decode(encodeCertifiedBatch(answer.batch)) }),
    accepted: answer.accepted,
    ...(answer.leader === undefined ? {} : { leader: base58btc.baseDecode(answer.leader) }),
    ...(answer.refusal === undefined ? {} : { refusal: answer.refusal })
  }).finish()
}

/** Decodes a DecisionAnswer; undefined when it is not one (or its batch is malformed). Never throws. */
export function decodeDecisionAnswer (bytes: Uint8Array): DecisionAnswer | undefined {
  try {
    const raw = schema.DecisionAnswer.toObject(decodeStrict(schema.DecisionAnswer, bytes)) as { batch?: Parameters<typeof convertBatch>[0], accepted?: boolean, leader?: Uint8Array, refusal?: string }
    const leader = raw.leader !== undefined && raw.leader.byteLength > 0 ? base58btc.baseEncode(raw.leader) : undefined
    return {
      ...(raw.batch === undefined || raw.batch === null ? {} : { batch: convertBatch(raw.batch) }),
      accepted: raw.accepted === true,
      ...(leader === undefined ? {} : { leader }),
      ...(raw.refusal === undefined || raw.refusal === '' ? {} : { refusal: raw.refusal.slice(0, MAX_REFUSAL) })
    }
  } catch {
    return undefined
  }
}
