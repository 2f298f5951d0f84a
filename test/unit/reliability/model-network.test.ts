import { describe, expect, it } from 'vitest'
import { ModelNetwork } from '../../../src/sim/model-network.js'
import type { ChannelEvent } from '../../../src/reliability/index.js'

function run (seed: number): string {
  const net = new ModelNetwork({ seed, nodes: 5, dropRate: 0.3, duplicateRate: 0.2, reorderRate: 0.3 })
  for (let i = 0; i < 20; i++) net.at(i * 300, () => net.send(`p${i % 5}`, `x${i}`))
  net.runFor(60_000)
  return JSON.stringify({ m: net.metrics, d: net.all().map((n) => n.delivered.map((e) => e.message.messageId)) })
}

describe('ModelNetwork', () => {
  it('is deterministic per seed', () => {
    expect(run(5)).toBe(run(5))
    expect(run(5)).not.toBe(run(6))
  })

  it('broadcasts one copy per other node after latency + jitter', () => {
    const net = new ModelNetwork({ seed: 1, nodes: 4, latencyMs: 50, jitterMs: 0 })
    net.send('p0', 'hi')
    net.runFor(49)
    expect(net.node('p1').deliveredCount).toBe(0)
    net.runFor(1)
    expect(net.all().map((n) => n.deliveredCount)).toEqual([1, 1, 1, 1])
    expect(net.metrics).toMatchObject({ sent: 1, broadcasts: 1, copies: 3, copiesDropped: 0, deliveries: 4 })
    expect(net.node('p2').deliveredAt).toEqual([50])
  })

  it('drops per link, duplicates and reorders', () => {
    const net = new ModelNetwork({ seed: 2, nodes: 3, duplicateRate: 1, reorderRate: 1, reorderDelayMs: 500 })
    net.setLinkDrop('p0', 'p1', 1)
    net.send('p0', 'x')
    net.runFor(900)
    expect(net.node('p1').deliveredCount).toBe(0)
    expect(net.node('p2').deliveredCount).toBe(1)
    expect(net.metrics.duplicated).toBe(1)
    expect(net.node('p2').channel.status().dropped.duplicate).toBe(1)
  })

  it('partitions and heals; crash discards in-flight traffic; restart starts a fresh incarnation', () => {
    const net = new ModelNetwork({ seed: 3, nodes: ['a', 'b', 'c'] })
    net.partition([['a'], ['b', 'c']])
    expect(net.reachable('a', 'b')).toBe(false)
    expect(net.reachable('b', 'c')).toBe(true)
    net.heal()
    net.send('a', 'one')
    net.crash('c')
    net.runFor(1_000)
    expect(net.node('c').deliveredCount).toBe(0)
    net.restart('c')
    expect(net.node('c')).toMatchObject({ incarnation: 1, alive: true, startedAt: 1_000 })
    expect(net.node('c').previous).toHaveLength(1)
  })

  it('serves pulls through answerPull on the asked peer and falls back past unreachable ones', () => {
    const net = new ModelNetwork({ seed: 4, nodes: ['a', 'b', 'c'], filter: (from, to) => !(from === 'a' && to === 'c') })
    const m1 = net.send('a', 'first') // c misses it
    net.runFor(100)
    net.crash('a')
    net.send('b', 'second') // names m1; c pulls it from a (down), falls back to b
    net.runFor(2_000)
    expect(net.node('c').channel.history().map((m) => m.messageId)).toContain(m1.messageId)
    expect(net.metrics.pullRequests).toBeGreaterThan(0)
    expect(net.metrics.pulledMessages).toBeGreaterThan(0)
  })

  it('exposes an event hook and optional event recording', () => {
    const seen: Array<[string, ChannelEvent['type']]> = []
    const net = new ModelNetwork({ nodes: 2, recordEvents: true, onEvent: (node, e) => seen.push([node, e.type]) })
    net.send('p0', 'x')
    net.runFor(100)
    expect(seen).toContainEqual(['p0', 'out:sent'])
    expect(seen).toContainEqual(['p1', 'in:delivered'])
    expect(net.node('p1').events.map((e) => e.type)).toContain('in:delivered')
  })

  it('adds late joiners', () => {
    const net = new ModelNetwork({ nodes: 2 })
    net.runFor(1_000)
    const z = net.join('z')
    expect(z.startedAt).toBe(1_000)
    expect(() => net.join('z')).toThrow()
    expect(net.ids).toEqual(['p0', 'p1', 'z'])
  })
})
