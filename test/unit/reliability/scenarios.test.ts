/**
 * The chat2-reliable test list, redone with loss injected, plus the bloom
 * false-positive case that chat2-reliable gets wrong.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bloomContains, RollingBloomFilter } from '../../../src/reliability/index.js'
import { checkAll } from '../../../src/sim/invariants.js'
import { ModelNetwork } from '../../../src/sim/model-network.js'
import { bytes, channel, forge, ofType } from './helpers.js'

describe('chat2-reliable scenarios, with loss', () => {
  it('recovery after a network partition', () => {
    const net = new ModelNetwork({ seed: 11, nodes: 6, dropRate: 0.1 })
    net.partition([['p0', 'p1', 'p2'], ['p3', 'p4', 'p5']])
    for (let i = 0; i < 30; i++) net.at(i * 500, () => net.send(`p${i % 6}`, `during ${i}`))
    net.runFor(20_000)
    expect(net.node('p0').deliveredCount).toBe(15)
    expect(net.node('p3').deliveredCount).toBe(15)
    net.heal()
    expect(net.runUntilTrue(() => net.allDelivered(), 10 * 60_000)).toBe(true)
    expect(checkAll(net)).toEqual([])
    expect(net.metrics.pullRequests).toBeGreaterThan(0)
  })

  it('concurrent sending: 5 peers × 10 messages at the same instants, one order everywhere', () => {
    const net = new ModelNetwork({ seed: 12, nodes: 5, dropRate: 0.2, reorderRate: 0.3, duplicateRate: 0.1 })
    for (let round = 0; round < 10; round++) {
      net.at(round * 50, () => { for (const id of net.ids) net.send(id, `${id} says ${round}`) })
    }
    net.runFor(2_000)
    expect(net.runUntilTrue(() => net.allDelivered(), 10 * 60_000)).toBe(true)
    expect(net.sent.size).toBe(50)
    expect(checkAll(net)).toEqual([])
    const order = net.node('p0').channel.history()
    for (let i = 1; i < order.length; i++) {
      const a = order[i - 1]
      const b = order[i]
      expect(a.lamport < b.lamport || (a.lamport === b.lamport && a.messageId < b.messageId)).toBe(true)
    }
  })

  it('large group: 250 participants, 40 messages, 10% loss', () => {
    const net = new ModelNetwork({ seed: 13, nodes: 250, dropRate: 0.1, jitterMs: 30 })
    for (let i = 0; i < 40; i++) net.at(i * 200, () => net.send(`p${(i * 37) % 250}`, `to everyone ${i}`))
    net.runFor(8_000)
    expect(net.runUntilTrue(() => net.allDelivered(), 10 * 60_000)).toBe(true)
    expect(checkAll(net)).toEqual([])
    expect(net.metrics.deliveries).toBe(250 * 40)
  })

  it('eager push: resends until acknowledged, then stops', () => {
    const net = new ModelNetwork({ seed: 14, nodes: 3 })
    net.isolate('p0')
    net.send('p0', 'is anyone there?')
    net.runFor(3_500) // original + resends at ~1 s and ~3 s, all cut off
    net.heal()
    net.runFor(4_500) // the resend at ~7 s gets through
    expect(net.node('p1').deliveredCount).toBe(1)
    net.send('p1', 'yes, here') // its causal history acknowledges
    net.runFor(60_000)
    const status = net.node('p0').channel.status()
    expect(status.unacknowledged).toBe(0)
    expect(status.resends).toBe(3)
    expect(net.node('p0').notConfirmed).toEqual([])
  })

  it('eager push: an isolated sender gives up with out:not-confirmed after the maximum attempts', () => {
    const net = new ModelNetwork({ seed: 15, nodes: 3 })
    net.isolate('p0')
    const msg = net.send('p0', 'into the void')
    net.runFor(120_000)
    expect(net.node('p0').notConfirmed).toEqual([msg.messageId])
    expect(net.node('p0').channel.status().resends).toBe(5)
    expect(net.node('p1').deliveredCount).toBe(0)
  })
})

describe('a bloom filter false positive never loses a message', () => {
  it('delivers a new message whose id hits the receiver\'s own (full) filter', () => {
    const bob = channel('bob')
    for (let i = 0; i < 200; i++) bob.receive(forge({ senderId: `s${i % 9}`, lamport: 1_000 + i, content: `filler ${i}` }), 2_000)
    const filter = bob.send(bytes('my filter'), 2_001).bloomFilter
    // find a brand-new message whose id the filter claims to have seen
    let victim
    for (let i = 0; i < 500_000 && victim === undefined; i++) {
      const candidate = forge({ senderId: 'alice', lamport: 3_000, content: `fresh ${i}` })
      if (bloomContains(filter, candidate.messageId)) victim = candidate
    }
    expect(victim).toBeDefined()
    if (victim === undefined) return
    expect(bob.receive(victim, 3_000)).toEqual({ status: 'delivered' })
    expect(ofType(bob.drainEvents(), 'in:delivered').at(-1)?.message).toBe(victim)
  })

  it('does not count a single false positive as an acknowledgement', () => {
    const alice = channel('alice')
    const mine = alice.send(bytes('unheard'), 0)
    const saturated = new RollingBloomFilter(64, 2, 1_000, 1e9)
    for (let i = 0; i < 500; i++) saturated.add(createHash('sha256').update(`${i}`).digest('hex').slice(0, 32), 0)
    expect(bloomContains(saturated.serialise(), mine.messageId)).toBe(true)
    alice.receive(forge({ senderId: 'liar', lamport: 5, bloomFilter: saturated.serialise() }), 10)
    expect(alice.status().unacknowledged).toBe(1)
  })
})
