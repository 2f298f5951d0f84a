import { describe, expect, it } from 'vitest'
import { compareCanonical, sortCanonical } from '../../../src/reliability/index.js'
import { bytes, channel, deliveredIds, forge, ofType } from './helpers.js'

describe('causal delivery (chat2-reliable: "Causal ordering")', () => {
  it('holds a message until its history is delivered, then releases transitively', () => {
    const alice = channel('alice')
    const m1 = alice.send(bytes('1'), 100)
    const m2 = alice.send(bytes('2'), 101)
    const m3 = alice.send(bytes('3'), 102)
    const bob = channel('bob')
    bob.tick(0)
    expect(bob.receive(m3, 200)).toEqual({ status: 'buffered', waitingOn: [m1.messageId, m2.messageId] })
    expect(bob.receive(m2, 201)).toEqual({ status: 'buffered', waitingOn: [m1.messageId] })
    expect(ofType(bob.drainEvents(), 'in:missing')).toEqual([{ type: 'in:missing', ids: [m1.messageId, m2.messageId] }])
    expect(bob.status()).toMatchObject({ buffered: 2, missing: 1 })
    expect(bob.receive(m1, 202)).toEqual({ status: 'delivered' })
    const events = ofType(bob.drainEvents(), 'in:delivered')
    expect(events.map((e) => e.message.messageId)).toEqual([m1.messageId, m2.messageId, m3.messageId])
    expect(events.every((e) => !e.outOfOrder && e.gapBefore === undefined)).toBe(true)
    expect(bob.status()).toMatchObject({ buffered: 0, missing: 0, delivered: 3 })
  })

  it('never blocks forever: a dependency missing for lostAfterMs is declared lost and waiters get gapBefore', () => {
    const bob = channel('bob', { lostAfterMs: 30_000 })
    bob.tick(0)
    const ghost = 'ab'.repeat(16)
    const waiter = forge({ senderId: 'carol', lamport: 500, history: [ghost] })
    expect(bob.receive(waiter, 1_000).status).toBe('buffered')
    bob.tick(30_999)
    expect(deliveredIds(bob.drainEvents())).toEqual([])
    bob.tick(31_000)
    const events = bob.drainEvents()
    expect(ofType(events, 'in:lost')).toEqual([{ type: 'in:lost', ids: [ghost] }])
    const delivered = ofType(events, 'in:delivered')
    expect(delivered).toHaveLength(1)
    expect(delivered[0].gapBefore).toEqual([ghost])
    expect(bob.status()).toMatchObject({ lost: 1, buffered: 0, missing: 0 })
    // a later message naming the lost id does not wait for it again
    const next = forge({ senderId: 'carol', lamport: 600, history: [ghost, waiter.messageId] })
    expect(bob.receive(next, 32_000)).toEqual({ status: 'delivered' })
    expect(ofType(bob.drainEvents(), 'in:delivered')[0].gapBefore).toEqual([ghost])
  })

  it('delivers a lost message that arrives late, once, flagged outOfOrder', () => {
    const alice = channel('alice')
    const m1 = alice.send(bytes('slow'), 100)
    const m2 = alice.send(bytes('fast'), 101)
    const bob = channel('bob', { lostAfterMs: 1_000 })
    bob.tick(0)
    bob.receive(m2, 200)
    bob.tick(1_200)
    expect(deliveredIds(bob.drainEvents())).toEqual([m2.messageId])
    expect(bob.status().repairing).toBe(1) // still pulled in the background
    expect(bob.receive(m1, 5_000)).toEqual({ status: 'delivered' })
    const late = ofType(bob.drainEvents(), 'in:delivered')
    expect(late.map((e) => [e.message.messageId, e.outOfOrder])).toEqual([[m1.messageId, true]])
    expect(bob.history().map((m) => m.messageId)).toEqual([m1.messageId, m2.messageId])
    expect(bob.status().repairing).toBe(0)
  })

  it('bounds the incoming buffer: when full, the oldest waiters are released with their deps lost', () => {
    const bob = channel('bob', { bufferCapacity: 10 })
    bob.tick(0)
    for (let i = 0; i < 25; i++) {
      bob.receive(forge({ senderId: 's', lamport: 100 + i, history: [i.toString(16).padStart(32, '0')] }), 1_000)
    }
    const status = bob.status()
    expect(status.buffered).toBeLessThanOrEqual(10)
    expect(status.delivered + status.buffered).toBe(25)
    expect(status.lost).toBe(status.delivered)
    expect(ofType(bob.drainEvents(), 'in:delivered').every((e) => e.gapBefore?.length === 1)).toBe(true)
  })

  it('releases a chain in causal order when the buffer overflows', () => {
    const alice = channel('alice')
    const chain = Array.from({ length: 6 }, (_, i) => alice.send(bytes(`c${i}`), 100 + i))
    const bob = channel('bob', { bufferCapacity: 4 })
    bob.tick(0)
    for (const m of chain.slice(1)) bob.receive(m, 1_000) // chain[0] never arrives
    const ids = deliveredIds(bob.drainEvents())
    expect(ids).toEqual(chain.slice(1, ids.length + 1).map((m) => m.messageId))
    expect(bob.status().buffered + ids.length).toBe(5)
  })

  it('breaks a forged dependency cycle after 2 × lostAfterMs', () => {
    // ids do not cover the history, so A can name B and B name A.
    const a = forge({ senderId: 'm', lamport: 10, content: 'a' })
    const b = forge({ senderId: 'm', lamport: 11, content: 'b' })
    const aCyclic = { ...a, causalHistory: [{ messageId: b.messageId }] }
    const bCyclic = { ...b, causalHistory: [{ messageId: a.messageId }] }
    const bob = channel('bob', { lostAfterMs: 5_000 })
    bob.tick(0)
    bob.receive(aCyclic, 100)
    bob.receive(bCyclic, 100)
    expect(bob.status().buffered).toBe(2)
    bob.tick(10_000)
    expect(bob.status().buffered).toBe(2)
    bob.tick(10_100)
    expect(deliveredIds(bob.drainEvents()).sort()).toEqual([a.messageId, b.messageId].sort())
    expect(bob.status().buffered).toBe(0)
  })

  it('delivers concurrent releases in canonical order', () => {
    const base = forge({ senderId: 'root', lamport: 1 })
    const children = [forge({ senderId: 'x', lamport: 9, history: [base.messageId] }), forge({ senderId: 'y', lamport: 5, history: [base.messageId] })]
    const bob = channel('bob')
    bob.tick(0)
    for (const c of children) bob.receive(c, 50)
    bob.receive(base, 60)
    expect(deliveredIds(bob.drainEvents())).toEqual([base.messageId, children[1].messageId, children[0].messageId])
  })
})

describe('conflict resolution (chat2-reliable): equal Lamport values are ordered by id', () => {
  it('orders ties by message id identically on every peer', () => {
    const msgs = ['alice', 'bob', 'carol', 'dave'].map((s) => forge({ senderId: s, lamport: 777, content: 'same time' }))
    const expected = [...msgs].sort((x, y) => (x.messageId < y.messageId ? -1 : 1)).map((m) => m.messageId)
    const p1 = channel('p1')
    const p2 = channel('p2')
    for (const m of msgs) p1.receive(m, 1_000)
    for (const m of [...msgs].reverse()) p2.receive(m, 1_000)
    expect(p1.history().map((m) => m.messageId)).toEqual(expected)
    expect(p2.history().map((m) => m.messageId)).toEqual(expected)
    expect(sortCanonical(msgs).map((m) => m.messageId)).toEqual(expected)
    expect(compareCanonical(msgs[0], msgs[0])).toBe(0)
  })

  it('flags outOfOrder exactly when something sorting later was delivered first', () => {
    const bob = channel('bob')
    const early = forge({ senderId: 'a', lamport: 10 })
    const later = forge({ senderId: 'b', lamport: 20 })
    bob.receive(later, 100)
    bob.receive(early, 100)
    const flags = ofType(bob.drainEvents(), 'in:delivered').map((e) => e.outOfOrder)
    expect(flags).toEqual([false, true])
  })
})

describe('causal history contents', () => {
  it('always names the DAG heads, so a branch tail stays reachable after a partition merge', () => {
    const left = channel('left')
    const right = channel('right')
    const tail = left.send(bytes('left tail'), 100)
    const rightMsgs = Array.from({ length: 12 }, (_, i) => right.send(bytes(`r${i}`), 200 + i))
    const bob = channel('bob', { historyLength: 10 })
    bob.receive(tail, 300)
    for (const m of rightMsgs) bob.receive(m, 300)
    const named = bob.send(bytes('merged'), 400).causalHistory.map((h) => h.messageId)
    expect(named).toHaveLength(10)
    expect(named).toContain(tail.messageId) // a head, though 12 messages were delivered after it
    expect(named).toContain(rightMsgs[11].messageId)
    // once named, it is no longer a head
    const next = bob.send(bytes('again'), 401).causalHistory.map((h) => h.messageId)
    expect(next).not.toContain(tail.messageId)
  })

  it('puts retrieval hints (the original sender) on entries when enabled', () => {
    const bob = channel('bob', { includeRetrievalHints: true })
    const m = forge({ senderId: 'carol', lamport: 5 })
    bob.receive(m, 10)
    const own = bob.send(bytes('x'), 11)
    expect(own.causalHistory).toEqual([{ messageId: m.messageId, retrievalHint: 'carol' }])
    expect(bob.send(bytes('y'), 12).causalHistory).toEqual([
      { messageId: m.messageId, retrievalHint: 'carol' },
      { messageId: own.messageId } // no hint pointing at ourselves
    ])
  })
})
