/**
 * The pure SWIM failure detector: one probe per period over a shuffled round robin, a direct
 * retry and up to 3 helpers after a timeout, verdicts, a dropped link confirmed through others,
 * and Lifeguard's local health. Injected time and randomness.
 */
import { describe, expect, it } from 'vitest'
import { Prober, type ProbeRequest } from '../../../src/presence/index.js'
import { createRandom } from '../../../src/shared/index.js'

const peers = ['b', 'c', 'd', 'e', 'f']

/** A prober whose first probe is due by 0 (the first one comes at a random point of the first period). */
function prober (): Prober {
  const p = new Prober('a', { random: createRandom(7) })
  p.setNeighbours(peers)
  p.tick(-1_000)
  p.drain()
  return p
}

describe('prober', () => {
  it('starts at a random point of the first period, so peers started together do not probe in step', () => {
    const firsts = [1, 2, 3, 4].map(seed => {
      const p = new Prober('a', { random: createRandom(seed) })
      p.setNeighbours(peers)
      for (let t = 0; t <= 1_000; t += 10) { p.tick(t); if (p.drain().requests.length > 0) return t }
      return Number.NaN
    })
    expect(firsts.every(t => t >= 0 && t <= 1_000)).toBe(true)
    expect(new Set(firsts).size).toBeGreaterThan(1)
  })

  it('probes one neighbour per period and every neighbour once per pass', () => {
    const p = prober()
    const targets: string[] = []
    for (let t = 0; t < 10_000; t += 1_000) {
      p.tick(t)
      const { requests } = p.drain()
      expect(requests).toHaveLength(1)
      targets.push(requests[0].target)
      p.answered(requests[0].probeId, 'ack', t + 10)
    }
    expect([...targets.slice(0, 5)].sort()).toEqual(peers)
    expect([...targets.slice(5)].sort()).toEqual(peers)
    expect(p.drain().verdicts).toEqual([])
    expect(p.localHealth).toBe(0)
  })

  it('after a timeout it tries again itself and through 3 helpers; one ack ends the round', () => {
    const p = prober()
    p.tick(0)
    const [first] = p.drain().requests
    p.tick(500)
    const round = p.drain().requests
    expect(round.filter(r => r.via === undefined).map(r => r.target)).toEqual([first.target])
    const via = round.filter(r => r.via !== undefined)
    expect(via).toHaveLength(3)
    expect(new Set(via.map(r => r.via)).size).toBe(3)
    expect(via.every(r => r.target === first.target && r.via !== first.target && r.timeoutMs === 1_000)).toBe(true)
    p.answered(via[0].probeId, 'nack', 700)
    p.answered(via[1].probeId, 'ack', 710)
    p.tick(1_500)
    expect(p.drain().verdicts).toEqual([])
  })

  it('when nobody reaches it, the verdict is suspect; helpers that said nack leave our health alone', () => {
    const p = prober()
    p.tick(0)
    const [first] = p.drain().requests
    p.answered(first.probeId, 'failed', 500)
    const round = p.drain().requests
    for (const r of round) p.answered(r.probeId, r.via === undefined ? 'failed' : 'nack', 900)
    expect(p.drain().verdicts).toEqual([{ peerId: first.target, verdict: 'suspect' }])
    expect(p.localHealth).toBe(0)
  })

  it('each helper that did not answer at all raises local health, which stretches the timeouts; clean probes lower it', () => {
    const p = prober()
    p.tick(0)
    p.drain()
    p.tick(500) // direct timed out
    p.drain()
    p.tick(1_500) // none of the 3 helpers answered; the next period's probe starts
    const { verdicts, requests: [next] } = p.drain()
    expect(verdicts).toHaveLength(1)
    expect(p.localHealth).toBe(3)
    expect(next.timeoutMs).toBe(2_000) // 500 × (1 + 3)
    p.answered(next.probeId, 'ack', 2_100)
    expect(p.localHealth).toBe(2)
  })

  it('with nobody to ask, a failed probe raises local health by 1 (memberlist): a lone neighbour is suspected less eagerly each time', () => {
    const p = new Prober('a', { random: createRandom(1) })
    p.setNeighbours(['b'])
    const periods: number[] = []
    let at = 0
    for (let i = 0; i < 3; i++) {
      for (; at < 60_000; at += 100) {
        p.tick(at)
        const { requests } = p.drain()
        if (requests.length > 0) { periods.push(at); for (const r of requests) p.answered(r.probeId, 'failed', at + r.timeoutMs); break }
      }
      at += 100
    }
    expect(p.localHealth).toBe(3)
    expect(p.status().suspects).toBe(3)
    // The probe period stretches by (1 + health): about 2 s, then 3 s between the probes.
    expect(periods[2] - periods[1]).toBeGreaterThan(periods[1] - periods[0])
  })

  it('a dropped link is confirmed through others: dead when none reaches it, nothing when one does', () => {
    const p = prober()
    p.confirm('c', 0)
    const asked: ProbeRequest[] = p.drain().requests
    expect(asked.map(r => r.via).sort()).toHaveLength(3)
    expect(asked.every(r => r.target === 'c' && r.via !== undefined)).toBe(true) // no direct retry: the redial failed
    for (const r of asked) p.answered(r.probeId, 'nack', 300)
    expect(p.drain().verdicts).toEqual([{ peerId: 'c', verdict: 'dead' }])

    p.confirm('d', 1_000)
    const [r] = p.drain().requests
    p.answered(r.probeId, 'ack', 1_100)
    p.tick(3_000)
    expect(p.drain().verdicts).toEqual([])
  })

  it('with no one to ask, a dropped link is dead at once', () => {
    const p = new Prober('a', { random: createRandom(1) })
    p.setNeighbours(['b'])
    p.confirm('b', 0)
    expect(p.drain()).toEqual({ requests: [], verdicts: [{ peerId: 'b', verdict: 'dead' }] })
  })

  it('late and unknown answers are ignored', () => {
    const p = prober()
    p.tick(0)
    const [first] = p.drain().requests
    p.tick(500)
    p.drain()
    p.answered(first.probeId, 'ack', 600) // the first probe's own answer, after its round went indirect
    p.answered(9_999, 'ack', 600)
    p.tick(1_500)
    expect(p.drain().verdicts).toHaveLength(1)
  })
})
