/** Checks of decisions.json against the code. */
import { expect } from 'vitest'
import { initialTrustedCommittee } from '../../../src/consensus/index.js'
import { decisionOf, decodeDecisionAnswer, decodeDecisionRequest, encodeDecision, encodeDecisionAnswer, encodeDecisionRequest, type DecisionAnswer, type DecisionRequest } from '../../../src/room/decision-codec.js'
import { finalityDigest } from '../../../src/room/finality.js'
import { checkByPeerId } from '../../../src/room/peer-signature.js'
import { RoomGovernance } from '../../../src/room/room-governance.js'
import { batchOf, type BatchFields } from '../build/decisions.js'
import { hex, unhex } from '../build/common.js'

interface DecisionsCase {
  room?: string
  trusted?: string[]
  committee?: string[]
  batch?: BatchFields
  ephemeralHex?: string
  request?: Record<string, unknown>
  answer?: Record<string, unknown>
  hex?: string
  messages?: Array<{ lamport: number, id: string }>
  after?: number
  lamport?: number
  digest?: string
}

/** Recomputes one case of decisions.json. */
export async function checkDecisions (c: DecisionsCase): Promise<void> {
  if (c.ephemeralHex !== undefined && c.batch !== undefined) {
    const batch = batchOf(c.batch)
    expect(hex(encodeDecision(batch))).toBe(c.ephemeralHex)
    expect(decisionOf(unhex(c.ephemeralHex))).toEqual({ ok: true, batch })
    expect(initialTrustedCommittee(c.trusted ?? [])).toEqual(c.committee)
    // A peer of the room applies it: the ban takes effect.
    const follower = new RoomGovernance({ topic: String(c.room), trustedPeers: c.trusted ?? [], check: checkByPeerId })
    expect(follower.offer(batch).refused).toBeUndefined()
    expect(follower.appliedIndex).toBe(batch.certificate.index)
    return
  }
  if (c.request !== undefined && c.hex !== undefined) {
    const request = (c.request.type === 'proposal' ? { ...c.request, command: unhex(String(c.request.command)) } : c.request) as unknown as DecisionRequest
    expect(hex(encodeDecisionRequest(request))).toBe(c.hex)
    expect(decodeDecisionRequest(unhex(c.hex))).toEqual(request)
    return
  }
  if (c.answer !== undefined && c.hex !== undefined) {
    const answer = (c.answer.batch === undefined ? c.answer : { ...c.answer, batch: batchOf(c.answer.batch as BatchFields) }) as unknown as DecisionAnswer
    expect(hex(encodeDecisionAnswer(answer))).toBe(c.hex)
    expect(decodeDecisionAnswer(unhex(c.hex))).toEqual(answer)
    return
  }
  expect(finalityDigest(c.messages ?? [], Number(c.lamport), Number(c.after))).toBe(c.digest)
}
