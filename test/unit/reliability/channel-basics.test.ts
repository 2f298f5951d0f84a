import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { DEFAULT_CHANNEL_OPTIONS, ReliableChannel, RELIABILITY_LIMITS } from '../../../src/reliability/index.js'
import { bytes, channel, deliveredIds, forge, ofType, text } from './helpers.js'

describe('ReliableChannel basics', () => {
  it('send: delivers locally at once, queues for broadcast, emits out:sent', () => {
    const alice = channel('alice')
    const msg = alice.send(bytes('hello'), 1000)
    expect(msg).toMatchObject({ kind: 'content', senderId: 'alice', channelId: 'room', lamport: 1000, causalHistory: [] })
    expect(alice.drainOutgoing()).toEqual([msg])
    const events = alice.drainEvents()
    expect(ofType(events, 'out:sent')).toEqual([{ type: 'out:sent', id: msg.messageId }])
    expect(deliveredIds(events)).toEqual([msg.messageId])
    expect(alice.history()).toEqual([msg])
    expect(alice.status()).toMatchObject({ delivered: 1, unacknowledged: 1 })
  })

  it('carries the last N delivered ids (own and others) as causal history, oldest first', () => {
    const alice = channel('alice', { historyLength: 3 })
    const bob = channel('bob')
    const b1 = bob.send(bytes('b1'), 10)
    alice.receive(b1, 11)
    const sent = [b1.messageId]
    for (let i = 0; i < 4; i++) sent.push(alice.send(bytes(`a${i}`), 20 + i).messageId)
    const last = alice.send(bytes('last'), 30)
    expect(last.causalHistory.map((h) => h.messageId)).toEqual(sent.slice(-3))
    expect(last.bloomFilter.length).toBe(513)
  })

  it('duplicate detection (chat2-reliable): exact, never redelivers, own echoes are dropped as own', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const msg = alice.send(bytes('once'), 1000)
    expect(bob.receive(msg, 1001)).toEqual({ status: 'delivered' })
    expect(bob.receive(msg, 1002)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(bob.receive({ ...msg }, 1003)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(deliveredIds(bob.drainEvents())).toEqual([msg.messageId])
    expect(alice.receive(msg, 1004)).toEqual({ status: 'dropped', reason: 'own' })
    expect(alice.status().unacknowledged).toBe(1) // an echo is not an ack
    expect(ofType(alice.drainEvents(), 'in:dropped')).toEqual([]) // neither is reported as an error
    expect(bob.status().dropped.duplicate).toBe(2)
  })

  it('ephemeral: delivered once, no history, no bloom, no ack tracking, not stored', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    alice.send(bytes('content'), 1)
    const eph = alice.sendEphemeral(bytes('typing'), 2)
    expect(eph).toMatchObject({ kind: 'ephemeral', causalHistory: [], bloomFilter: new Uint8Array(0) })
    expect(alice.status().unacknowledged).toBe(1)
    expect(bob.receive(eph, 3)).toEqual({ status: 'delivered' })
    expect(bob.receive(eph, 4)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(bob.history()).toEqual([])
    expect(bob.answerPull([eph.messageId])).toEqual([])
    expect(bob.status()).toMatchObject({ ephemeralDelivered: 1, delivered: 0 })
    expect(bob.send(bytes('x'), 5).causalHistory).toEqual([])
  })

  it('history() is canonical (lamport, then id) and honours limit', () => {
    const bob = channel('bob')
    const msgs = [forge({ senderId: 'a', lamport: 30 }), forge({ senderId: 'b', lamport: 10 }), forge({ senderId: 'c', lamport: 20 })]
    for (const m of msgs) bob.receive(m, 100)
    expect(bob.history().map((m) => m.lamport)).toEqual([10, 20, 30])
    expect(bob.history(2).map((m) => m.lamport)).toEqual([20, 30])
    expect(bob.history(0)).toEqual([])
  })

  it('answerPull returns held messages, capped by count and bytes (always at least one)', () => {
    const bob = channel('bob', { answerMaxMessages: 3, answerMaxBytes: 10 })
    const msgs = Array.from({ length: 5 }, (_, i) => forge({ senderId: 'a', lamport: i + 1, content: 'abcd' }))
    for (const m of msgs) bob.receive(m, 100)
    const ids = msgs.map((m) => m.messageId)
    expect(bob.answerPull(ids).map(text)).toEqual(['abcd', 'abcd']) // 8 bytes; a third would be 12
    expect(channel('c', { answerMaxBytes: 1 }).answerPull(ids)).toEqual([])
    const big = channel('d', { answerMaxBytes: 1 })
    big.receive(msgs[0], 100)
    expect(big.answerPull(ids)).toHaveLength(1)
    expect(bob.answerPull(['f'.repeat(32)])).toEqual([])
    expect(bob.status().pullsServed).toBe(2)
  })

  it('bounds the store (history() keeps the canonically last storeMaxMessages)', () => {
    const bob = channel('bob', { storeMaxMessages: 100 })
    for (let i = 0; i < 1000; i++) bob.receive(forge({ senderId: `s${i % 7}`, lamport: 1000 - i }), 2000)
    const kept = bob.history()
    expect(kept).toHaveLength(100)
    expect(kept[0].lamport).toBe(901)
    expect(kept[99].lamport).toBe(1000)
  })

  it('throws P2pchatError only for programmer errors', () => {
    expect(() => new ReliableChannel('a', 'r', { historyLength: 0 })).toThrow(P2pchatError)
    expect(() => new ReliableChannel('a', 'r', { jitter: 1 })).toThrow(/jitter/)
    expect(() => new ReliableChannel('a', 'r', { bloomBits: 100_000 })).toThrow(P2pchatError)
    const a = channel('a', { maxContentBytes: 4 })
    try {
      a.send(bytes('too long'), 1)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(P2pchatError)
      expect((err as P2pchatError).code).toBe('CONTENT_TOO_LARGE')
    }
  })

  it('exposes documented defaults and limits', () => {
    expect(DEFAULT_CHANNEL_OPTIONS).toMatchObject({
      historyLength: 10, maxHistoryEntries: 50, maxContentBytes: 65536, bufferCapacity: 2000,
      lostAfterMs: 30_000, resendBaseMs: 1000, resendMaxMs: 30_000, maxResendAttempts: 5,
      syncIntervalMs: 30_000, bloomBits: 4096, bloomHashes: 7, bloomCapacity: 100, maxPullIds: 50, catchUpLimit: 100
    })
    expect(RELIABILITY_LIMITS.maxLamport).toBe(Number.MAX_SAFE_INTEGER)
    expect(Object.isFrozen(DEFAULT_CHANNEL_OPTIONS)).toBe(true)
  })

  it('reports when tick next has work (nextDeadline)', () => {
    const alice = channel('alice')
    expect(alice.nextDeadline()).toBe(Infinity)
    alice.send(bytes('x'), 0)
    expect(alice.nextDeadline()).toBe(1_000) // first resend
    alice.tick(1_000)
    expect(alice.nextDeadline()).toBe(2_000) // the quiet-tail push looks again (held back while resends run)
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(forge({ lamport: 5, history: ['c'.repeat(32)] }), 100)
    expect(bob.nextDeadline()).toBe(350) // first pull after pullInitialDelayMs
  })

  it('is deterministic: same inputs, same outputs, same jitter', () => {
    const run = (): string => {
      const a = new ReliableChannel('alice', 'room')
      a.send(bytes('x'), 0)
      a.drainOutgoing()
      const times: number[] = []
      for (let t = 0; t < 120_000; t += 50) {
        a.tick(t)
        if (a.drainOutgoing().length > 0) times.push(t)
      }
      return JSON.stringify(times)
    }
    expect(run()).toBe(run())
  })
})
