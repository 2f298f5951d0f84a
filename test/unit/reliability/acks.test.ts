import { describe, expect, it } from 'vitest'
import { RollingBloomFilter } from '../../../src/reliability/index.js'
import { bytes, channel, forge, ofType } from './helpers.js'

function filterWith (...ids: string[]): Uint8Array {
  const filter = new RollingBloomFilter(4096, 7, 100, 60_000)
  for (const id of ids) filter.add(id, 0)
  return filter.serialise()
}

describe('acknowledgements', () => {
  it('an own id in another peer\'s causal history is an ack and stops resends', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const msg = alice.send(bytes('hi'), 0)
    alice.drainOutgoing()
    alice.drainEvents()
    bob.receive(msg, 10)
    alice.receive(bob.send(bytes('reply'), 20), 30)
    expect(ofType(alice.drainEvents(), 'out:acknowledged')).toEqual([{ type: 'out:acknowledged', id: msg.messageId }])
    expect(alice.status().unacknowledged).toBe(0)
    for (let t = 0; t < 120_000; t += 100) alice.tick(t)
    expect(alice.drainOutgoing().filter((m) => m.kind === 'content')).toEqual([])
  })

  it('a bloom hit is only "possibly acknowledged"; ackThreshold distinct peers make an ack', () => {
    const alice = channel('alice')
    const msg = alice.send(bytes('hi'), 0)
    alice.drainEvents()
    const bloom = filterWith(msg.messageId)
    alice.receive(forge({ senderId: 'bob', lamport: 1, bloomFilter: bloom, content: 'b1' }), 10)
    alice.receive(forge({ senderId: 'bob', lamport: 2, bloomFilter: bloom, content: 'b2' }), 11) // same peer again
    expect(alice.drainEvents().filter((e) => e.type.startsWith('out:'))).toEqual([
      { type: 'out:possibly-acknowledged', id: msg.messageId, count: 1 }
    ])
    expect(alice.status().unacknowledged).toBe(1)
    alice.receive(forge({ kind: 'sync', senderId: 'carol', lamport: 3, bloomFilter: bloom }), 12)
    expect(ofType(alice.drainEvents(), 'out:acknowledged')).toEqual([{ type: 'out:acknowledged', id: msg.messageId }])
    expect(alice.ackThreshold).toBe(2)
  })

  it('hits attributed to ourselves never count, and malformed filters are ignored', () => {
    const alice = channel('alice')
    const msg = alice.send(bytes('hi'), 0)
    alice.drainEvents()
    // a message signed by a previous incarnation of ourselves
    alice.receive(forge({ senderId: 'alice', lamport: 5, bloomFilter: filterWith(msg.messageId) }), 10)
    alice.receive(forge({ senderId: 'bob', lamport: 6, bloomFilter: new Uint8Array([0, 255, 255]) }), 10)
    alice.receive(forge({ senderId: 'eve', lamport: 7, bloomFilter: new Uint8Array([1]) }), 10)
    expect(alice.drainEvents().filter((e) => e.type.startsWith('out:'))).toEqual([])
    expect(alice.status().unacknowledged).toBe(1)
  })

  it('ephemeral messages carry no ack information', () => {
    const alice = channel('alice')
    const msg = alice.send(bytes('hi'), 0)
    alice.receive(forge({ kind: 'ephemeral', senderId: 'bob', history: [msg.messageId], bloomFilter: filterWith(msg.messageId) }), 5)
    expect(alice.status().unacknowledged).toBe(1)
  })
})

describe('eager push (chat2-reliable: "Eager push mechanism effectiveness")', () => {
  it('resends with exponential backoff 1, 2, 4, 8, 16 s, then out:not-confirmed when nobody answers', () => {
    const alice = channel('alice')
    const msg = alice.send(bytes('anyone?'), 0)
    alice.drainOutgoing()
    const resentAt: number[] = []
    let notConfirmedAt: number | undefined
    for (let t = 0; t <= 120_000; t += 100) {
      alice.tick(t)
      for (const out of alice.drainOutgoing()) {
        if (out.kind === 'sync') continue // the quiet-room sync, not a resend
        expect(out).toBe(msg)
        resentAt.push(t)
      }
      for (const e of ofType(alice.drainEvents(), 'out:not-confirmed')) {
        expect(e.id).toBe(msg.messageId)
        notConfirmedAt = t
      }
    }
    expect(resentAt).toEqual([1_000, 3_000, 7_000, 15_000, 31_000])
    expect(notConfirmedAt).toBe(61_000)
    expect(alice.status()).toMatchObject({ unacknowledged: 0, resends: 5 })
  })

  it('applies jitter deterministically within ±jitter', () => {
    const alice = channel('alice', { jitter: 0.25 })
    alice.send(bytes('x'), 0)
    alice.drainOutgoing()
    let first: number | undefined
    for (let t = 0; t <= 2_000 && first === undefined; t += 10) {
      alice.tick(t)
      if (alice.drainOutgoing().length > 0) first = t
    }
    expect(first).toBeGreaterThanOrEqual(750)
    expect(first).toBeLessThanOrEqual(1_250)
  })

  it('a message resent into a network that recovers gets acked and resends stop', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const msg = alice.send(bytes('eventually'), 0)
    alice.drainOutgoing() // first copy lost
    let resends = 0
    for (let t = 100; t <= 10_000; t += 100) {
      alice.tick(t)
      for (const out of alice.drainOutgoing()) {
        if (out.kind !== 'content') continue // alice's syncs acknowledging bob's replies
        resends++
        bob.receive(out, t)
        alice.receive(bob.send(bytes('got it'), t), t)
      }
    }
    expect(resends).toBe(1)
    expect(bob.history().map((m) => m.messageId)).toContain(msg.messageId)
    expect(alice.status().unacknowledged).toBe(0)
  })
})

describe('the quiet tail: an own message no later message names is pushed again', () => {
  /** Alice's content messages that went out again between `from` and `to`, with when. */
  function pushes (alice: ReturnType<typeof channel>, from: number, to: number): Array<[number, string]> {
    const out: Array<[number, string]> = []
    for (let t = from; t <= to; t += 100) {
      alice.tick(t)
      for (const msg of alice.drainOutgoing()) if (msg.kind === 'content') out.push([t, msg.messageId])
    }
    return out
  }

  it('acknowledged by bloom filters alone, it goes out again after 1, 3 and 7 s, then only syncs name it', () => {
    // No quiet-room acknowledgement of bob's and carol's lines: that sync of alice's would name
    // her line too, which announces it as well as a push does.
    const alice = channel('alice', { ackSyncMs: 0 })
    const msg = alice.send(bytes('last words'), 0)
    alice.drainOutgoing()
    // Two peers hold it (an ack), yet neither names it: peers that lost its copy know of nothing missing.
    alice.receive(forge({ senderId: 'bob', lamport: 1, bloomFilter: filterWith(msg.messageId), content: 'b' }), 10)
    alice.receive(forge({ senderId: 'carol', lamport: 2, bloomFilter: filterWith(msg.messageId), content: 'c' }), 20)
    expect(alice.status().unacknowledged).toBe(0)
    expect(pushes(alice, 100, 20_000)).toEqual([[1_000, msg.messageId], [3_000, msg.messageId], [7_000, msg.messageId]])
    expect(alice.status()).toMatchObject({ tailPushes: 3, resends: 3 })
  })

  it('a later message naming it (a peer\'s, a sync, or our own next one) ends its pushes', () => {
    const alice = channel('alice')
    const first = alice.send(bytes('one'), 0)
    alice.receive(forge({ senderId: 'bob', lamport: 1, bloomFilter: filterWith(first.messageId), content: 'b' }), 10)
    alice.receive(forge({ senderId: 'carol', lamport: 2, bloomFilter: filterWith(first.messageId), content: 'c' }), 20)
    // Our next line names the first one: only the newest is the tail.
    const second = alice.send(bytes('two'), 500)
    expect(second.causalHistory.map(h => h.messageId)).toContain(first.messageId)
    alice.drainOutgoing()
    // Dave names the second in his history (an ack too): nothing is left to push.
    alice.receive(forge({ senderId: 'dave', lamport: 600, history: [second.messageId], content: 'd' }), 600)
    expect(pushes(alice, 600, 20_000)).toEqual([])
    expect(alice.status().tailPushes).toBe(0)
  })

  it('while an own message is unacknowledged, its resends carry it and the tail adds nothing', () => {
    const alice = channel('alice', { maxResendAttempts: 2 })
    const msg = alice.send(bytes('anyone?'), 0)
    alice.drainOutgoing()
    expect(pushes(alice, 100, 10_000).map(([t]) => t)).toEqual([1_000, 3_000])
    expect(alice.status()).toMatchObject({ resends: 2, tailPushes: 0 })
    expect(msg.kind).toBe('content')
  })

  it('maxTailPushes 0 turns it off', () => {
    const alice = channel('alice', { maxTailPushes: 0 })
    const msg = alice.send(bytes('x'), 0)
    alice.receive(forge({ senderId: 'bob', lamport: 1, bloomFilter: filterWith(msg.messageId), content: 'b' }), 10)
    alice.receive(forge({ senderId: 'carol', lamport: 2, bloomFilter: filterWith(msg.messageId), content: 'c' }), 20)
    alice.drainOutgoing()
    expect(pushes(alice, 100, 20_000)).toEqual([])
  })
})
