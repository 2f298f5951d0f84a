import { describe, expect, it } from 'vitest'
import { LamportClock } from '../../../src/reliability/index.js'
import { bytes, channel, forge } from './helpers.js'

describe('Lamport timestamps (chat2-reliable: "Lamport timestamp correctness")', () => {
  it('issues max(now, last + 1) in ms, strictly increasing even within one ms', () => {
    const clock = new LamportClock()
    expect(clock.next(1000)).toBe(1000)
    expect(clock.next(1000)).toBe(1001)
    expect(clock.next(999)).toBe(1002)
    expect(clock.next(5000)).toBe(5000)
  })

  it('is raised by a delivered message and never lowered', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const late = alice.send(bytes('from the future'), 10_000)
    bob.receive(late, 9_000)
    expect(bob.status().lamport).toBe(10_000)
    const reply = bob.send(bytes('reply'), 9_500)
    expect(reply.lamport).toBe(10_001)
    bob.receive(forge({ senderId: 'carol', lamport: 50 }), 9_600)
    expect(bob.status().lamport).toBe(10_001)
  })

  it('does not overflow in 2038 or 2106 (uint64 ms, safe integers)', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const year2106 = 2 ** 32 * 1000 + 5
    const msg = alice.send(bytes('far future'), year2106)
    expect(msg.lamport).toBe(year2106)
    expect(bob.receive(msg, year2106)).toEqual({ status: 'delivered' })
    expect(bob.send(bytes('x'), year2106).lamport).toBe(year2106 + 1)
  })

  it('is not dragged by a message beyond the accepted skew (dropped clock-skew)', () => {
    const bob = channel('bob', { maxClockSkewMs: 60_000 })
    const result = bob.receive(forge({ lamport: 1_000 + 60_001 }), 1_000)
    expect(result).toEqual({ status: 'dropped', reason: 'clock-skew' })
    expect(bob.status().lamport).toBe(0)
    expect(bob.status().dropped['clock-skew']).toBe(1)
    expect(bob.receive(forge({ lamport: 1_000 + 60_000 }), 1_000).status).toBe('delivered')
  })

  it('is raised only on delivery, not by a message still waiting for dependencies', () => {
    const bob = channel('bob')
    bob.receive(forge({ lamport: 5_000, history: ['ab'.repeat(16)] }), 1_000)
    expect(bob.status().buffered).toBe(1)
    expect(bob.status().lamport).toBe(0)
  })
})
