/**
 * The direct-message codec: a batch round-trips, ids are the hash of the signed bytes, and bad
 * input is refused with a reason in our own words, never a throw.
 */
import { describe, expect, it } from 'vitest'
import { decodeDirectAck, decodeDirectBatch, decodeDirectMessage, directMessageId, encodeDirectAck, encodeDirectBatch, encodeDirectMessage, DIRECT_LIMITS } from '../../../src/direct/index.js'

const A = '12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq'
const B = '12D3KooWRNw2pJC9748Fmq4WNV27HoSTcX3r37132FLkQMrbKAiC'
const body = { from: A, to: B, epoch: 5, seq: 1, sentAt: 1_767_225_600_000, nick: 'alice', text: 'hi', action: false }

describe('the direct-message codec', () => {
  it('round-trips a batch and an acknowledgement', () => {
    const bytes = encodeDirectMessage(body)
    const decoded = decodeDirectBatch(encodeDirectBatch([{ bytes, signature: new Uint8Array(64).fill(7) }]))
    expect(decoded).toEqual({ ok: true, messages: [{ message: { ...body, id: directMessageId(bytes) }, bytes: Uint8Array.from(bytes), signature: new Uint8Array(64).fill(7) }] })
    expect(decodeDirectAck(encodeDirectAck({ epoch: 5, seq: 9 }))).toEqual({ epoch: 5, seq: 9 })
    expect(decodeDirectAck(encodeDirectAck({ epoch: 0, seq: 0, refusal: 'slow down' }))).toEqual({ epoch: 0, seq: 0, refusal: 'slow down' })
  })

  it('refuses bad input with a reason', () => {
    expect(decodeDirectMessage(encodeDirectMessage({ ...body, text: '' }))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeDirectMessage(encodeDirectMessage({ ...body, text: 'x'.repeat(DIRECT_LIMITS.maxTextLength + 1) }))).toMatchObject({ ok: false, reason: 'oversized' })
    expect(decodeDirectMessage(encodeDirectMessage({ ...body, seq: 0 }))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeDirectMessage(Uint8Array.of(0xff, 0xff))).toEqual({ ok: false, reason: 'malformed', detail: 'not a direct message (protobuf did not decode)' })
    expect(decodeDirectBatch(encodeDirectBatch([]))).toMatchObject({ ok: false, reason: 'malformed' })
    const bytes = encodeDirectMessage(body)
    expect(decodeDirectBatch(encodeDirectBatch([{ bytes, signature: new Uint8Array(0) }]))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeDirectBatch(encodeDirectBatch(Array.from({ length: DIRECT_LIMITS.maxBatch + 1 }, () => ({ bytes, signature: Uint8Array.of(1) }))))).toMatchObject({ ok: false, reason: 'oversized' })
    expect(decodeDirectAck(Uint8Array.of(0xff))).toBeUndefined()
  })
})
