/**
 * A crashed peer leaves every roster in about a second, not after its records expire
 * (3 announce periods, 90 s here): its mesh neighbours fail to redial it, drop it and tell the
 * room (PresenceLost), and the rest drop it on that word. The room driver in the model network,
 * injected time.
 */
import { describe, expect, it } from 'vitest'
import { ModelNetwork } from '../../../src/sim/model-network.js'

/** Virtual ms from the crash until each other peer's roster lacks the victim (at most `limitMs`). */
function crashToLeft (n: number, seed: number, limitMs: number): number[] {
  const net = new ModelNetwork({ seed, nodes: n, latencyMs: 20, jitterMs: 10, participant: 'driver', presence: true })
  net.runFor(60_000)
  const victim = 'p3'
  const lists = (id: string): boolean => (net.node(id).participant.driver?.who(net.now) ?? []).some(e => e.peerId === victim)
  const others = net.ids.filter(id => id !== victim)
  expect(others.every(lists)).toBe(true)
  const crashedAt = net.now
  net.crash(victim)
  const gone = new Map<string, number>()
  while (net.now - crashedAt < limitMs && gone.size < others.length) {
    net.runFor(50)
    for (const id of others) if (!gone.has(id) && !lists(id)) gone.set(id, net.now - crashedAt)
  }
  return others.map(id => gone.get(id) ?? Number.POSITIVE_INFINITY)
}

describe('crash detection in the model', () => {
  it('100 peers: every roster drops a crashed peer within 2 s (records would expire after 90 s)', () => {
    const times = crashToLeft(100, 5, 10_000)
    expect(Math.max(...times)).toBeLessThanOrEqual(2_000)
  })

  it('without the redial failure, probes find it: suspected, and gone when the suspicion runs out (4 probe periods here)', () => {
    const net = new ModelNetwork({ seed: 5, nodes: 10, latencyMs: 20, jitterMs: 10, participant: 'driver', presence: true, redialFailMs: 10 * 60_000 })
    net.runFor(60_000)
    net.crash('p3')
    const lists = (id: string): boolean => (net.node(id).participant.driver?.who(net.now) ?? []).some(e => e.peerId === 'p3')
    const others = net.ids.filter(id => id !== 'p3')
    net.runFor(3_000)
    expect(others.every(lists)).toBe(true) // suspected, not gone: a live peer would have time to refute
    net.runFor(7_000)
    expect(others.some(lists)).toBe(false)
  })
})
