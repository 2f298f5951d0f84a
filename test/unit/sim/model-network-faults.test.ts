/**
 * The model network's fault model against its parameters, with fixed seeds:
 * latency is base + uniform jitter, loss and duplication happen at their rates,
 * reordering holds copies back at its rate, and a partition cuts exactly the
 * links between its groups until it heals.
 */
import { describe, expect, it } from 'vitest'
import { ModelNetwork } from '../../../src/sim/model-network.js'
import { LinkFaults } from '../../../src/sim/faults.js'
import { createRandom } from '../../../src/shared/index.js'
import { summarize } from '../../../src/sim/stats.js'

const settings = { latencyMs: 50, jitterMs: 20, dropRate: 0, reorderRate: 0, reorderDelayMs: 200 }

describe('model network faults', () => {
  it('delays each copy by base latency plus uniform jitter', () => {
    const faults = new LinkFaults(settings, createRandom(11))
    const delays = Array.from({ length: 20_000 }, () => faults.delay())
    const s = summarize(delays)
    expect(s.min).toBeGreaterThanOrEqual(50)
    expect(s.max).toBeLessThanOrEqual(70)
    expect(s.median).toBeGreaterThanOrEqual(59)
    expect(s.median).toBeLessThanOrEqual(61)
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length
    expect(mean).toBeCloseTo(60, 0)
  })

  it('delivers a broadcast at the configured latency, measured on the network', () => {
    const net = new ModelNetwork({ seed: 5, nodes: 1000, latencyMs: 50, jitterMs: 20, recordDeliveries: true })
    net.send('p0', 'hello')
    net.runFor(100)
    const at = net.all().slice(1).map(n => n.deliveredAt[0])
    const s = summarize(at)
    expect(s.n).toBe(999)
    expect(s.min).toBeGreaterThanOrEqual(50)
    expect(s.max).toBeLessThanOrEqual(70)
    expect(s.median).toBeGreaterThan(57)
    expect(s.median).toBeLessThan(63)
  })

  it('loses copies at the drop rate', () => {
    const net = new ModelNetwork({ seed: 6, nodes: 5000, dropRate: 0.2 })
    net.send('p0', 'x')
    net.runFor(40) // before any repair
    expect(net.metrics.copies).toBe(4999)
    expect(net.metrics.copiesDropped / net.metrics.copies).toBeGreaterThan(0.18)
    expect(net.metrics.copiesDropped / net.metrics.copies).toBeLessThan(0.22)
    const got = net.all().filter(n => n.deliveredCount === 1).length - 1
    expect(got).toBe(4999 - net.metrics.copiesDropped)
  })

  it('duplicates and reorders copies at their rates', () => {
    const net = new ModelNetwork({ seed: 7, nodes: 4000, duplicateRate: 0.3, reorderRate: 0.5, reorderDelayMs: 200, latencyMs: 20, jitterMs: 10 })
    net.send('p0', 'x')
    net.runFor(500)
    expect(net.metrics.duplicated / 3999).toBeGreaterThan(0.27)
    expect(net.metrics.duplicated / 3999).toBeLessThan(0.33)
    const late = net.all().slice(1).filter(n => n.deliveredAt[0] >= 30).length
    // a held-back copy is late unless its extra delay is tiny: about half of the copies (or their duplicate) arrive late
    expect(late / 3999).toBeGreaterThan(0.3)
    expect(late / 3999).toBeLessThan(0.5)
  })

  it('cuts exactly the links between partition groups, until healed', () => {
    const net = new ModelNetwork({ seed: 8, nodes: 10, recordDeliveries: true })
    const a = ['p0', 'p1', 'p2', 'p3', 'p4']
    net.partition([a])
    net.send('p0', 'inside')
    net.runFor(200)
    for (const n of net.all()) expect(n.deliveredCount).toBe(a.includes(n.id) ? 1 : 0)
    expect(net.reachable('p5', 'p9')).toBe(true)
    expect(net.reachable('p4', 'p5')).toBe(false)
    net.heal()
    net.send('p5', 'after') // names nothing from the other side yet; sync and pulls repair
    expect(net.runUntilTrue(() => net.allDelivered(), 120_000)).toBe(true)
  })
})
