import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeMessageId, DROP_REASONS, type DropReason, type ReliableMessage } from '../../../src/reliability/index.js'
import { bytes, channel, CHANNEL, forge, ofType } from './helpers.js'

const NOW = 1_700_000_000_000

function expectDrop (msg: ReliableMessage, reason: DropReason, options = {}): void {
  const bob = channel('bob', options)
  bob.tick(NOW)
  expect(bob.receive(msg, NOW)).toEqual({ status: 'dropped', reason })
  const status = bob.status()
  expect(status.dropped[reason]).toBe(1)
  expect(status).toMatchObject({ delivered: 0, buffered: 0, missing: 0, lamport: 0 })
  expect(ofType(bob.drainEvents(), 'in:dropped').map((e) => e.reason)).toEqual([reason])
}

describe('adversarial inputs are dropped with a counted reason, never thrown', () => {
  it('wrong channel', () => expectDrop(forge({ channelId: 'other-room', lamport: NOW }), 'wrong-channel'))

  it('bad id: mismatching or not an id at all', () => {
    const good = forge({ lamport: NOW })
    expectDrop({ ...good, content: bytes('tampered') }, 'bad-id')
    expectDrop({ ...good, messageId: 'not-an-id' }, 'bad-id')
    expectDrop({ ...good, messageId: good.messageId.toUpperCase() }, 'bad-id')
  })

  it('absurd Lamport values: ahead of the skew bound, near 2^64, non-integer, negative', () => {
    expectDrop(forge({ lamport: NOW + 5 * 60_000 + 1 }), 'clock-skew')
    const huge = { ...forge({ lamport: 1 }), lamport: 2 ** 64 - 1 }
    expectDrop(huge, 'clock-skew')
    expectDrop({ ...forge({ lamport: 1 }), lamport: Number.MAX_SAFE_INTEGER + 2 }, 'clock-skew')
    expectDrop({ ...forge({ lamport: 1 }), lamport: 1.5 }, 'malformed')
    expectDrop({ ...forge({ lamport: 1 }), lamport: -1 }, 'malformed')
    expectDrop({ ...forge({ lamport: 1 }), lamport: Number.NaN }, 'malformed')
  })

  it('oversized: history, content, bloom filter', () => {
    const ids = Array.from({ length: 51 }, (_, i) => i.toString(16).padStart(32, '0'))
    expectDrop(forge({ lamport: NOW, history: ids }), 'oversized')
    expectDrop(forge({ lamport: NOW, content: new Uint8Array(64 * 1024 + 1) }), 'oversized')
    expectDrop(forge({ lamport: NOW, bloomFilter: new Uint8Array(1025) }), 'oversized')
    expectDrop(forge({ lamport: NOW, history: ids.slice(0, 5) }), 'oversized', { maxHistoryEntries: 4, historyLength: 4 })
  })

  it('malformed: sync with content, unknown kind, bad history entries, wrong types', () => {
    const sync = forge({ kind: 'sync', lamport: NOW })
    const withContent = { ...sync, content: bytes('smuggled') }
    expectDrop({ ...withContent, messageId: computeMessageId(withContent) }, 'malformed')
    expectDrop({ ...forge({ lamport: NOW }), kind: 'presence' } as unknown as ReliableMessage, 'malformed')
    expectDrop(forge({ lamport: NOW, history: ['xyz'] }), 'malformed')
    const self = forge({ lamport: NOW })
    expectDrop({ ...self, causalHistory: [{ messageId: self.messageId }] }, 'malformed')
    expectDrop({ ...forge({ lamport: NOW }), content: 'text' } as unknown as ReliableMessage, 'malformed')
    expectDrop({ ...forge({ lamport: NOW }), causalHistory: null } as unknown as ReliableMessage, 'malformed')
    expectDrop({ ...forge({ lamport: NOW }), senderId: '' }, 'malformed')
    expectDrop(null as unknown as ReliableMessage, 'malformed')
  })

  it('replay: a seen id, or a message older than the dedup memory, is a duplicate', () => {
    const bob = channel('bob', { seenIdCapacity: 10 })
    const old = forge({ senderId: 'alice', lamport: NOW - 3_600_000, content: 'old' })
    bob.receive(old, NOW)
    expect(bob.receive(old, NOW + 1)).toEqual({ status: 'dropped', reason: 'duplicate' })
    for (let i = 0; i < 20; i++) bob.receive(forge({ senderId: 'alice', lamport: NOW + 1_000 * i, content: `${i}` }), NOW + 1_000 * i)
    // the store still holds it: exact dedup
    expect(bob.receive(old, NOW + 30_000)).toEqual({ status: 'dropped', reason: 'duplicate' })
    // an unknown message older than the dedup horizon is a replay too
    const ancient = forge({ senderId: 'alice', lamport: NOW - 3_600_000, content: 'never seen' })
    expect(bob.receive(ancient, NOW + 30_000)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(bob.status().dropped.duplicate).toBe(3)
  })

  it('a forged id never poisons dedup of the real message', () => {
    const bob = channel('bob')
    const real = forge({ senderId: 'alice', lamport: NOW })
    expect(bob.receive({ ...real, content: bytes('forged') }, NOW).status).toBe('dropped')
    expect(bob.receive(real, NOW)).toEqual({ status: 'delivered' })
  })
})

/** Arbitrary, often broken, message-shaped objects. */
const idArb = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{32}$/),
  fc.string({ maxLength: 40 }),
  fc.constant('0'.repeat(32))
)
const rawArb = fc.record({
  kind: fc.oneof(fc.constantFrom('content', 'sync', 'ephemeral'), fc.string(), fc.anything()),
  messageId: fc.oneof(idArb, fc.anything()),
  senderId: fc.oneof(fc.constantFrom('alice', 'bob', 'carol', ''), fc.string(), fc.anything()),
  channelId: fc.oneof(fc.constant(CHANNEL), fc.string(), fc.anything()),
  lamport: fc.oneof(
    fc.integer({ min: 0, max: NOW + 600_000 }),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 64, -1, Number.NaN, Number.POSITIVE_INFINITY),
    fc.anything()
  ),
  causalHistory: fc.oneof(
    fc.array(fc.oneof(
      fc.record({ messageId: idArb }),
      fc.record({ messageId: idArb, retrievalHint: fc.oneof(fc.string(), fc.anything()) }),
      fc.anything()
    ), { maxLength: 60 }),
    fc.anything()
  ),
  bloomFilter: fc.oneof(fc.uint8Array({ maxLength: 1100 }), fc.anything()),
  content: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.anything())
}) as fc.Arbitrary<unknown> as fc.Arbitrary<ReliableMessage>

/** Valid messages, some with a mutation that should get them dropped. */
const mutatedArb = fc.record({
  kind: fc.constantFrom('content' as const, 'sync' as const, 'ephemeral' as const),
  sender: fc.constantFrom('alice', 'carol', 'dave', 'bob'),
  lamport: fc.integer({ min: 0, max: NOW + 10 * 60_000 }),
  history: fc.array(fc.stringMatching(/^[0-9a-f]{32}$/), { maxLength: 12 }),
  text: fc.string({ maxLength: 20 }),
  mutate: fc.constantFrom('none', 'id', 'channel', 'content', 'history', 'lamport')
}).map(({ kind, sender, lamport, history, text, mutate }) => {
  const msg = forge({ kind, senderId: sender, lamport, history, content: kind === 'sync' ? new Uint8Array(0) : text })
  switch (mutate) {
    case 'id': return { ...msg, messageId: computeMessageId({ ...msg, lamport: msg.lamport + 1 }) }
    case 'channel': return { ...msg, channelId: 'elsewhere' }
    case 'content': return { ...msg, content: bytes(`${text}!`) }
    case 'history': return { ...msg, causalHistory: [...msg.causalHistory, { messageId: msg.messageId }] }
    case 'lamport': return { ...msg, lamport: lamport + 0.5 }
    default: return msg
  }
})

describe('fuzz: receive() survives anything and its counters add up', () => {
  it('random and mutated messages', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(rawArb, mutatedArb, mutatedArb), { minLength: 1, maxLength: 80 }),
      fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 80 }),
      (messages, offsets) => {
        const bob = channel('bob', { jitter: 0.25 })
        const tally: Record<string, number> = { delivered: 0, buffered: 0, accepted: 0, dropped: 0 }
        const reasons = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>
        let now = NOW
        messages.forEach((msg, i) => {
          now += offsets[i % offsets.length]
          const result = bob.receive(msg, now, i % 3 === 0 ? 'relay' : undefined)
          tally[result.status]++
          if (result.status === 'dropped') reasons[result.reason]++
          if (i % 5 === 0) {
            bob.tick(now)
            bob.drainOutgoing()
            bob.drainPulls()
            bob.answerPull(messages.map((m) => (m as { messageId?: unknown }).messageId as string))
          }
          if (i % 7 === 0) bob.send(bytes(`mine ${i}`), now)
        })
        bob.tick(now + 10 * 60_000)
        const status = bob.status()
        expect(tally.delivered + tally.buffered + tally.accepted + tally.dropped).toBe(messages.length)
        expect(status.dropped).toEqual(reasons)
        expect(status.buffered).toBe(0) // everything waiting was released by the deadlines
        expect(status.missing).toBe(0)
        const history = bob.history()
        for (let i = 1; i < history.length; i++) {
          const a = history[i - 1]
          const b = history[i]
          expect(a.lamport < b.lamport || (a.lamport === b.lamport && a.messageId < b.messageId)).toBe(true)
        }
        for (const e of ofType(bob.drainEvents(), 'in:delivered')) expect(e.message.channelId).toBe(CHANNEL)
      }
    ), { seed: 4242, numRuns: 300 })
  })
})
