/**
 * SWIM with Lifeguard's refinements in the model (the room driver, injected time): a peer that
 * is cut off silently (its links stay up) is found by probes and suspicion; a peer paused for
 * 2 s (SIGSTOP) and peers on links losing 20 % of every packet (broadcasts, probes, pulls) are
 * never removed. The figures for BENCHMARKS.md come from bench/failure-detection.ts.
 */
import { describe, expect, it } from 'vitest'
import { ModelNetwork } from '../../../src/sim/model-network.js'

function who (net: ModelNetwork, id: string): string[] {
  return (net.node(id).participant.driver?.who(net.now) ?? []).map(e => e.peerId)
}

/** Counts, second by second, every live peer that dropped out of some roster. */
function falseRemovals (net: ModelNetwork, seconds: number, each?: (second: number) => void): number {
  let removals = 0
  const before = new Map(net.ids.map(id => [id, new Set(who(net, id))]))
  for (let s = 0; s < seconds; s++) {
    each?.(s)
    net.runFor(1_000)
    for (const id of net.ids) {
      const now = new Set(who(net, id))
      for (const peer of before.get(id) ?? []) if (!now.has(peer)) removals++
      before.set(id, now)
    }
  }
  return removals
}

describe('failure detection in the model', () => {
  it('a peer cut off silently (links up, every packet lost) is suspected, then leaves every roster', () => {
    const net = new ModelNetwork({ seed: 3, nodes: 12, participant: 'driver', presence: true })
    net.runFor(60_000)
    net.silence('p4')
    const others = net.ids.filter(id => id !== 'p4')
    net.runFor(3_000)
    expect(others.every(id => who(net, id).includes('p4'))).toBe(true)
    expect(others.some(id => net.node(id).participant.driver?.presence.isSuspected('p4'))).toBe(true)
    net.runFor(12_000)
    expect(others.filter(id => who(net, id).includes('p4'))).toEqual([])
    // Back on the network, its next record (a refutation of the suspicion) brings it back.
    net.silence('p4', false)
    net.runFor(40_000)
    expect(others.filter(id => !who(net, id).includes('p4'))).toEqual([])
  })

  it('a suspected peer that is alive refutes: nobody removes it', () => {
    const net = new ModelNetwork({ seed: 4, nodes: 8, participant: 'driver', presence: true })
    net.runFor(60_000)
    // p2 loses every packet for 4 s: probes of it fail, it is suspected, then it hears and refutes.
    net.silence('p2')
    let suspected = false
    const removed = falseRemovals(net, 30, s => {
      if (s === 4) net.silence('p2', false)
      suspected ||= net.ids.some(id => id !== 'p2' && net.node(id).participant.driver?.presence.isSuspected('p2'))
    })
    expect(suspected).toBe(true)
    expect(removed).toBe(0)
  })

  it.each([2_000, 4_000])('%i ms pauses (SIGSTOP) of one peer after another remove nobody', (pauseMs) => {
    const net = new ModelNetwork({ seed: 2, nodes: 12, participant: 'driver', presence: true })
    net.runFor(60_000)
    const suspicions = (): number => net.ids.reduce((sum, id) => sum + (net.node(id).participant.driver?.probeStatus()?.suspects ?? 0), 0)
    const before = suspicions()
    expect(falseRemovals(net, 180, s => { if (s % 15 === 3) net.pause(net.ids[Math.floor(s / 15) % 12], pauseMs) })).toBe(0)
    // A 2 s pause is mostly outlasted by the probe's own retry (1 s); 4 s pauses are suspected, and refuted.
    if (pauseMs >= 4_000) expect(suspicions() - before).toBeGreaterThan(0)
  })

  it('20 % loss on every packet for 3 minutes removes nobody', () => {
    const net = new ModelNetwork({ seed: 1, nodes: 16, participant: 'driver', presence: true })
    net.runFor(60_000)
    net.setFaultRates({ dropRate: 0.2 })
    expect(falseRemovals(net, 180)).toBe(0)
  })
})
