/**
 * The committee frame codec under bad input: every refusal is a reason and one line of our
 * own, never a throw; a good frame round-trips.
 */
import { describe, expect, it } from 'vitest'
import { COMMITTEE_LIMITS, decodeCommitteeMessage, encodeCommitteeMessage, type Message } from '../../../src/consensus/index.js'
import { schema } from '../../../src/wire/schema.js'

const A = '12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq'
const B = '12D3KooWRNw2pJC9748Fmq4WNV27HoSTcX3r37132FLkQMrbKAiC'

describe('committee codec', () => {
  it('round-trips an append with a config entry', () => {
    const message: Message = { type: 'append', from: A, to: B, term: 3, prevIndex: 0, prevTerm: 0, commit: 0, entries: [{ index: 1, term: 3, kind: 'config', data: new Uint8Array(), members: [A, B] }] }
    expect(decodeCommitteeMessage(encodeCommitteeMessage('x', message))).toEqual({ ok: true, room: 'x', message })
  })

  it('refuses bad frames with a reason and its own words', () => {
    const head = { room: 'x', from: new Uint8Array([0, 1, 2]), to: new Uint8Array([0, 1, 3]), term: 1 }
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array([0xff, 0xff, 0xff]), 'malformed'],
      [schema.CommitteeMessage.encode({ ...head }).finish(), 'malformed'],
      [schema.CommitteeMessage.encode({ ...head, room: '', vote: {} }).finish(), 'malformed'],
      [schema.CommitteeMessage.encode({ ...head, room: 'r'.repeat(300), vote: {} }).finish(), 'oversized'],
      [schema.CommitteeMessage.encode({ ...head, from: new Uint8Array(200), vote: {} }).finish(), 'oversized'],
      [schema.CommitteeMessage.encode({ ...head, append: { entries: [{ kind: 9 }] } }).finish(), 'malformed'],
      [schema.CommitteeMessage.encode({ ...head, append: { entries: [{ kind: 1, members: [] }] } }).finish(), 'malformed'],
      [schema.CommitteeMessage.encode({ ...head, append: { entries: Array.from({ length: COMMITTEE_LIMITS.maxEntries + 1 }, () => ({})) } }).finish(), 'oversized'],
      [schema.CommitteeMessage.encode({ ...head, snapshot: { index: 1, members: [] } }).finish(), 'malformed'],
      [new Uint8Array(COMMITTEE_LIMITS.maxFrameBytes + 1), 'oversized'],
      // term as an 11-byte varint (over 64 bits)
      [new Uint8Array([0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'malformed']
    ]
    for (const [bytes, reason] of cases) {
      const result = decodeCommitteeMessage(bytes)
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.reason).toBe(reason)
        expect(result.detail).not.toMatch(/\n|protobufjs|index out of range/i)
      }
    }
  })

  it('refuses to encode a member id that is not a peer id, with a coded error', () => {
    expect(() => encodeCommitteeMessage('x', { type: 'vote', from: 'not-base58-0OIl', to: B, term: 1, lastIndex: 0, lastTerm: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })
})
