import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { computeMessageId, isMessageId, KIND_CODES } from '../../../src/reliability/index.js'
import { bytes, channel } from './helpers.js'

describe('computeMessageId', () => {
  it('is the first 16 bytes of SHA-256 over the documented preimage', () => {
    const input = { channelId: 'room', senderId: '12D3KooWabc', lamport: 1_700_000_000_123, kind: 'content' as const, content: bytes('hi') }
    const lamport = Buffer.alloc(8)
    lamport.writeBigUInt64BE(BigInt(input.lamport))
    const preimage = Buffer.concat([
      Buffer.from('p2pchat/msgid/v1'), Buffer.from('room'), Buffer.from([0]), Buffer.from('12D3KooWabc'), Buffer.from([0]),
      lamport, Buffer.from([1]), Buffer.from('hi')
    ])
    const expected = createHash('sha256').update(preimage).digest().subarray(0, 16).toString('hex')
    expect(computeMessageId(input)).toBe(expected)
    expect(isMessageId(expected)).toBe(true)
  })

  it('separates every field: channel, sender, lamport, kind, content', () => {
    const base = { channelId: 'room', senderId: 'alice', lamport: 5, kind: 'content' as const, content: bytes('x') }
    const ids = new Set([
      computeMessageId(base),
      computeMessageId({ ...base, channelId: 'room2' }),
      computeMessageId({ ...base, senderId: 'bob' }),
      computeMessageId({ ...base, lamport: 6 }),
      computeMessageId({ ...base, kind: 'ephemeral' }),
      computeMessageId({ ...base, content: bytes('y') }),
      // the 0x00 separators stop "ab"+"c" colliding with "a"+"bc"
      computeMessageId({ ...base, channelId: 'roo', senderId: 'malice' })
    ])
    expect(ids.size).toBe(7)
    expect(KIND_CODES).toEqual({ content: 1, sync: 2, ephemeral: 3 })
  })

  it('gives the same text sent twice, or by two peers, different ids', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const a1 = alice.send(bytes('same'), 1000)
    const a2 = alice.send(bytes('same'), 1000)
    const b1 = bob.send(bytes('same'), 1000)
    expect(new Set([a1.messageId, a2.messageId, b1.messageId]).size).toBe(3)
  })

  it('recognises only 32 lowercase hex characters as an id', () => {
    expect(isMessageId('0'.repeat(32))).toBe(true)
    expect(isMessageId('A'.repeat(32))).toBe(false)
    expect(isMessageId('0'.repeat(31))).toBe(false)
    expect(isMessageId(42)).toBe(false)
  })
})
