/**
 * The RainTree core, N of them wired by an in-memory loop with injected time: counts per
 * broadcast against the spec's table, ACK timeout → one adjustment to the successor, dedup,
 * the redundancy layer, bounded memory, and options.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { DEFAULT_RAINTREE_OPTIONS, RainTreeCore, RainTreeView, resolveRainTreeOptions, roundTargets, topLayer, type RainTreeOptions } from '../../../src/raintree/index.js'
import { runModel } from './model.js'
import { Loop } from './network.js'

/** The spec's table (p2p/README.md §3.5): nodes → comms (sends), ACKs, ticks. */
const SPEC: Record<number, { sends: number, acks: number, ticks: number }> = {
  27: { sends: 107, acks: 56, ticks: 11 },
  81: { sends: 323, acks: 164, ticks: 13 },
  243: { sends: 971, acks: 488, ticks: 15 },
  729: { sends: 2_915, acks: 1_460, ticks: 17 },
  2_187: { sends: 8_747, acks: 4_376, ticks: 19 }
}

function expectCode (code: string, f: () => unknown): void {
  try {
    f()
  } catch (err) {
    expect(isP2pchatError(err)).toBe(true)
    expect((err as { code: string }).code).toBe(code)
    return
  }
  throw new Error(`expected a ${code} error`)
}

describe('a broadcast with nobody failing', () => {
  it('N = 27 … 2,187 (3^k): N − 1 sends, N − 1 ACKs, every member once; the spec\'s table has ≈ 4·N and ≈ 2·N', () => {
    for (const n of [27, 81, 243, 729, 2_187]) {
      const loop = Loop.named(n)
      const origin = loop.at(n >> 1)
      loop.broadcast(origin, 'm1')
      expect(loop.sends().length).toBe(n - 1)
      expect(loop.acks()).toBe(n - 1)
      const delivered = loop.deliveredTo('m1')
      expect(delivered.size).toBe(n - 1)
      expect([...delivered.values()].every(times => times === 1)).toBe(true)
      expect(delivered.has(origin)).toBe(false)
      // The spec's table, as read: sends 4·N − 1, ACKs 2·N + 2; ours are about a quarter and a half of them.
      expect(SPEC[n].sends).toBe(4 * n - 1)
      expect(SPEC[n].acks).toBe(2 * n + 2)
      expect(SPEC[n].ticks).toBe(2 * topLayer(n) + 5)
      // Every ACK arrived: nothing times out, nothing is adjusted.
      loop.tick(10_000)
      expect(loop.sends(e => e.send.adjustment).length).toBe(0)
      for (const core of loop.cores.values()) expect(core.awaitingAcks).toBe(0)
      const total = [...loop.cores.values()].reduce((sum, core) => sum + core.snapshotCounters().timeouts, 0)
      expect(total).toBe(0)
    }
  })

  it('the cores do what the index model does, for any N and originator', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 150 }), fc.nat(), (n, o) => {
      const loop = Loop.named(n)
      const originIndex = o % n
      loop.broadcast(loop.at(originIndex), 'm')
      const model = runModel(n, originIndex)
      expect(loop.sends().length).toBe(model.sends)
      expect(loop.acks()).toBe(model.sends)
      expect(loop.deliveredTo('m').size).toBe(n - 1)
      for (let i = 0; i < n; i++) expect(loop.copies.get(loop.at(i)) ?? 0).toBe(model.copies[i])
    }), { numRuns: 60 })
  })

  it('N = 1 sends nothing; N = 2 sends one copy', () => {
    const one = Loop.named(1)
    one.broadcast('peer-0', 'm')
    expect(one.log).toEqual([])
    const two = Loop.named(2)
    two.broadcast('peer-0', 'm')
    expect(two.sends().map(e => e.send)).toEqual([{ to: 'peer-1', messageId: 'm', layer: 1, adjustment: false, redundancy: false }])
  })

  it('the originator\'s first round goes to 1/3 and 2/3 of the list, rolling over its end', () => {
    const loop = Loop.named(27)
    const originIndex = 20
    loop.broadcast(loop.at(originIndex), 'm')
    const first = loop.sends(e => e.from === loop.at(originIndex)).slice(0, 2).map(e => e.send)
    expect(first).toEqual([
      { to: loop.at(2), messageId: 'm', layer: 3, adjustment: false, redundancy: false }, // 20 + 9 − 27
      { to: loop.at(11), messageId: 'm', layer: 3, adjustment: false, redundancy: false } // 20 + 18 − 27
    ])
  })
})

describe('ACK and adjust, with injected time', () => {
  const ack = DEFAULT_RAINTREE_OPTIONS.ackTimeoutMs

  it('a silent target is replaced once by its successor, at the same layer; the replacement does not ACK', () => {
    const loop = Loop.named(27)
    const silent = loop.at(9) // the originator's first target in round 3: it answers for 9 … 17
    loop.silent.add(silent)
    loop.broadcast(loop.at(0), 'm', 0)
    expect(loop.deliveredTo('m').size).toBe(26 - 9) // the silent member's run is missing
    loop.tick(ack - 1)
    expect(loop.sends(e => e.send.adjustment).length).toBe(0)
    loop.tick(ack)
    const adjustments = loop.sends(e => e.send.adjustment)
    expect(adjustments.map(e => [e.from, e.send])).toEqual([[loop.at(0), { to: loop.at(10), messageId: 'm', layer: 3, adjustment: true, redundancy: false }]])
    // The replacement answers for 10 … 18: everyone but the silent member is reached; 18 twice.
    const delivered = loop.deliveredTo('m')
    expect(delivered.size).toBe(25)
    expect(delivered.has(silent)).toBe(false)
    expect(loop.copies.get(loop.at(18))).toBe(2)
    expect(loop.log.some(e => e.kind === 'ack' && e.from === loop.at(10) && e.to === loop.at(0))).toBe(false)
    const origin = loop.core(loop.at(0)).snapshotCounters()
    expect(origin).toMatchObject({ timeouts: 1, adjustments: 1, acksReceived: 5 })
    // One adjustment per target: later ticks change nothing.
    loop.tick(ack * 10)
    loop.tick(ack * 100)
    expect(loop.sends(e => e.send.adjustment).length).toBe(1)
    expect(loop.core(loop.at(0)).snapshotCounters().adjustments).toBe(1)
  })

  it('a silent replacement is not replaced in turn (the spec leaves that to its clean-up layer)', () => {
    const loop = Loop.named(27)
    loop.silent.add(loop.at(9))
    loop.silent.add(loop.at(10))
    loop.broadcast(loop.at(0), 'm', 0)
    loop.tick(ack)
    loop.tick(ack * 2)
    expect(loop.sends(e => e.send.adjustment).length).toBe(1)
    expect(loop.deliveredTo('m').size).toBe(26 - 9)
  })

  it('a silent target that answered only for itself times out without an adjustment', () => {
    const loop = Loop.named(27)
    const leaf = roundTargets(27, 0, 1).first as number // round 1: runs of 3, targets answer for 1
    loop.silent.add(loop.at(leaf))
    loop.broadcast(loop.at(0), 'm', 0)
    loop.tick(ack)
    expect(loop.core(loop.at(0)).snapshotCounters()).toMatchObject({ timeouts: 1, adjustments: 0 })
    expect(loop.deliveredTo('m').size).toBe(25)
  })

  it('a relay deep in the tree adjusts too, and a late ACK is counted as unexpected', () => {
    const view = RainTreeView.of('a', Array.from({ length: 80 }, (_, i) => `p${i}`)) // 81 members, top 4
    const core = new RainTreeCore(view, { ackTimeoutMs: 100 })
    core.receive('m', 'someone', 3, 1_000) // answers for 9: plays rounds 2 (run 9) and 1 (run 3); round 0 has nothing to split
    const { sends, acks, delivered } = core.ready()
    expect(acks).toEqual([{ to: 'someone', messageId: 'm' }])
    expect(delivered).toEqual(['m'])
    expect(sends.map(s => s.layer)).toEqual([2, 2, 1, 1])
    expect(core.nextDeadline()).toBe(1_100)
    for (const s of sends.slice(1)) core.ack('m', s.to, 1_050)
    core.tick(1_099)
    expect(core.ready().sends).toEqual([])
    core.tick(1_100)
    const self = view.selfIndex
    expect(core.ready().sends).toEqual([{ to: view.peerAt(self + 4), messageId: 'm', layer: 2, adjustment: true, redundancy: false }]) // the silent one was at + 3
    core.ack('m', sends[0].to, 1_200)
    expect(core.snapshotCounters()).toMatchObject({ acksReceived: 3, unexpectedAcks: 1, timeouts: 1, adjustments: 1 })
    expect(core.nextDeadline()).toBeUndefined()
  })
})

describe('dedup', () => {
  it('a second copy is ACKed but neither delivered nor forwarded; a higher layer plays only the missing rounds', () => {
    const core = new RainTreeCore(RainTreeView.of('a', Array.from({ length: 80 }, (_, i) => `p${i}`))) // 81 members
    core.receive('m', 'x', 2, 0) // answers for 3: plays round 1
    const first = core.ready()
    expect(first.sends.map(s => s.layer)).toEqual([1, 1])
    core.receive('m', 'y', 2, 0)
    core.receive('m', 'z', 1, 0)
    const again = core.ready()
    expect(again.sends).toEqual([])
    expect(again.delivered).toEqual([])
    expect(again.acks).toEqual([{ to: 'y', messageId: 'm' }, { to: 'z', messageId: 'm' }])
    core.receive('m', 'w', 4, 0) // the originator's round 4: answers for 27, plays rounds 3 and 2 (1 and 0 are done)
    const upgraded = core.ready()
    expect(upgraded.sends.map(s => s.layer)).toEqual([3, 3, 2, 2])
    expect(upgraded.delivered).toEqual([])
    expect(upgraded.counters).toMatchObject({ received: 4, delivered: 1, duplicates: 3, upgrades: 1 })
  })

  it('the originator ignores its own message coming back, and a second broadcast of it', () => {
    const core = new RainTreeCore(RainTreeView.of('a', ['b', 'c', 'd']))
    expect(core.broadcast('m', 0)).toBe(true)
    core.ready()
    core.receive('m', 'b', 1, 0)
    expect(core.broadcast('m', 0)).toBe(false)
    const ready = core.ready()
    expect(ready.sends).toEqual([])
    expect(ready.delivered).toEqual([])
    expect(ready.counters).toMatchObject({ broadcasts: 1, duplicates: 1 })
  })

  it('remembers at most dedupCapacity ids, forgetting the oldest (a copy of it then looks new)', () => {
    const core = new RainTreeCore(RainTreeView.of('a', ['b', 'c']), { dedupCapacity: 2 })
    for (const id of ['m1', 'm2', 'm3']) core.receive(id, 'b', 0, 0)
    core.receive('m3', 'b', 0, 0)
    core.receive('m1', 'b', 0, 0)
    const ready = core.ready()
    expect(ready.delivered).toEqual(['m1', 'm2', 'm3', 'm1'])
    expect(ready.counters).toMatchObject({ seenEvicted: 2, duplicates: 1 })
  })

  it('awaits at most maxPendingAcks ACKs, dropping the one due first', () => {
    const core = new RainTreeCore(RainTreeView.of('p0', Array.from({ length: 81 }, (_, i) => `p${i}`)), { maxPendingAcks: 4 })
    core.broadcast('m', 0) // 8 sends
    expect(core.awaitingAcks).toBe(4)
    expect(core.ready().counters.pendingEvicted).toBe(4)
  })
})

describe('the redundancy layer', () => {
  it('off by default; on, the originator also sends every other member a copy at layer 0, not ACKed or forwarded', () => {
    expect(DEFAULT_RAINTREE_OPTIONS.redundancyLayer).toBe(false)
    const loop = Loop.named(27, { redundancyLayer: true })
    loop.broadcast(loop.at(0), 'm')
    const tree = loop.sends(e => !e.send.redundancy)
    const redundant = loop.sends(e => e.send.redundancy)
    expect(tree.length).toBe(26)
    expect(redundant.length).toBe(26 - 6) // everyone but self and the originator's 6 tree targets
    expect(redundant.every(e => e.from === loop.at(0) && e.send.layer === 0)).toBe(true)
    expect(loop.acks()).toBe(26)
    expect([...loop.deliveredTo('m').values()].every(times => times === 1)).toBe(true)
    expect(loop.deliveredTo('m').size).toBe(26)
  })

  it('reaches every live member when relays fail', () => {
    const loop = Loop.named(81, { redundancyLayer: true })
    for (const i of [27, 28, 54, 9]) loop.silent.add(loop.at(i))
    loop.broadcast(loop.at(0), 'm')
    expect(loop.deliveredTo('m').size).toBe(80 - 4)
  })
})

describe('options and input', () => {
  it('merges over the named defaults', () => {
    expect(resolveRainTreeOptions()).toEqual({ ackTimeoutMs: 500, redundancyLayer: false, dedupCapacity: 4096, maxPendingAcks: 8192 })
    expect(resolveRainTreeOptions({ ackTimeoutMs: 250, dedupCapacity: undefined })).toMatchObject({ ackTimeoutMs: 250, dedupCapacity: 4096 })
  })

  it('refuses bad options with INVALID_OPTION', () => {
    const view = RainTreeView.of('a', ['b'])
    const bad: Array<Partial<RainTreeOptions>> = [
      { ackTimeoutMs: 0 }, { ackTimeoutMs: -1 }, { ackTimeoutMs: Number.NaN }, { ackTimeoutMs: Number.POSITIVE_INFINITY },
      { dedupCapacity: 0 }, { dedupCapacity: 1.5 }, { maxPendingAcks: 0 }, { maxPendingAcks: -3 },
      { redundancyLayer: 'yes' as unknown as boolean }
    ]
    for (const options of bad) expectCode('INVALID_OPTION', () => new RainTreeCore(view, options))
  })

  it('refuses bad input with INVALID_ARGUMENT', () => {
    const core = new RainTreeCore(RainTreeView.of('a', ['b']))
    expectCode('INVALID_ARGUMENT', () => core.broadcast('', 0))
    expectCode('INVALID_ARGUMENT', () => core.broadcast('m', Number.NaN))
    expectCode('INVALID_ARGUMENT', () => core.receive('m', 'b', -1, 0))
    expectCode('INVALID_ARGUMENT', () => core.receive('m', 'b', 0.5, 0))
    expectCode('INVALID_ARGUMENT', () => core.receive('m', '', 0, 0))
    expectCode('INVALID_ARGUMENT', () => core.tick(Number.NaN))
    expectCode('INVALID_ARGUMENT', () => core.setView(RainTreeView.of('b', ['a'])))
  })

  it('ready() hands over a batch once', () => {
    const core = new RainTreeCore(RainTreeView.of('a', ['b', 'c', 'd', 'e']))
    core.receive('m', 'b', 2, 0)
    const first = core.ready()
    expect(first.acks.length).toBe(1)
    expect(first.delivered).toEqual(['m'])
    const second = core.ready()
    expect(second).toMatchObject({ sends: [], acks: [], delivered: [] })
  })
})
