/**
 * Model mode end to end through `runSim`: the same seed gives the same report,
 * reliability keeps every guarantee under loss, duplication, reordering,
 * partitions, churn and late joins, and plain broadcast shows what it loses.
 */
import { describe, expect, it } from 'vitest'
import { resolveSimConfig, type SimConfig } from '../../../src/sim/config.js'
import { runSim, NO_PROGRESS } from '../../../src/sim/run.js'
import type { SimReport } from '../../../src/sim/report-types.js'

async function report (partial: Partial<SimConfig>): Promise<SimReport> {
  let out: SimReport | undefined
  const code = await runSim(resolveSimConfig({ json: true, ...partial }), { out: () => {}, err: () => {}, progress: NO_PROGRESS, onReport: r => { out = r } })
  expect(code).toBe(0)
  if (out === undefined) throw new Error('no report')
  return out
}

/** The report without what depends on the machine (wall time, CPU, memory). */
function deterministic (r: SimReport): unknown {
  const { resources: _r, notes: _n, ...rest } = r
  return { ...rest, run: { ...rest.run, wallMs: 0, setupMs: 0 } }
}

describe('model mode', () => {
  const faults: Partial<SimConfig> = { nodes: 40, messages: 60, rate: 20, loss: 0.15, dup: 0.05, reorder: 0.2, partitions: [{ atMs: 500, forMs: 1500, split: 0.5 }] }

  it('gives the same report for the same seed, and another for another seed', async () => {
    const a = await report({ ...faults, seed: 42 })
    const b = await report({ ...faults, seed: 42 })
    expect(JSON.stringify(deterministic(b))).toBe(JSON.stringify(deterministic(a)))
    const c = await report({ ...faults, seed: 43 })
    expect(JSON.stringify(deterministic(c))).not.toBe(JSON.stringify(deterministic(a)))
  })

  it('keeps every guarantee under loss, duplication, reordering and a partition', async () => {
    const r = await report({ ...faults, seed: 2 })
    expect(r.run.converged).toBe(true)
    expect(r.delivery).toMatchObject({ ratio: 1, expected: 60 * 39, lost: 0, duplicatesToUi: 0, causalViolations: 0 })
    expect(r.problems).toEqual([])
    expect(r.recovery.map(x => x.kind)).toEqual(['partition', 'loss'])
    expect(r.recovery[0].outstanding).toBeGreaterThan(0)
    expect(r.recovery[0].convergenceMs).toBeGreaterThan(0)
    expect(r.pullsPerMessage).toBeGreaterThan(0)
    expect(r.duplicatesPerMessagePerNode.core).toBeGreaterThan(0)
    expect(r.wire?.bytesPerDelivery).toBeGreaterThan(r.wire?.payloadPerDelivery ?? Infinity)
    expect(r.messageOverhead.median).toBeGreaterThan(500) // the 512-byte bloom filter dominates
    expect(r.reach[2].never).toBe(0)
  })

  it('at 30 % loss on every copy (repair included), every message reaches every participant, in seconds', async () => {
    for (const seed of [1, 2]) {
      const r = await report({ nodes: 100, messages: 100, rate: 10, senders: 10, loss: 0.3, seed, presence: 'off' })
      expect(r.delivery).toMatchObject({ ratio: 1, lost: 0, duplicatesToUi: 0, causalViolations: 0 })
      expect(r.reach[2].never).toBe(0)
      // Generous: the benchmark (`npm run bench -- repair`) carries the real target (p99 <= 10 s; 2.7 s measured).
      expect(r.reach[2].p99).toBeLessThan(20_000)
    }
  })

  it('keeps every guarantee with churn and late joiners', async () => {
    const r = await report({ nodes: 30, messages: 80, rate: 10, churn: { ratePerSec: 1, downtimeMs: 2000 }, lateJoin: 5, seed: 3 })
    expect(r.delivery.lost).toBe(0)
    expect(r.delivery.duplicatesToUi).toBe(0)
    expect(r.delivery.causalViolations).toBe(0)
    expect(r.delivery.catchUp).toBeGreaterThan(0)
  })

  it('without reliability, loses about the loss rate and shows duplicates and misordering', async () => {
    const r = await report({ nodes: 200, messages: 50, loss: 0.2, dup: 0.1, reorder: 0.3, reliability: false })
    expect(r.delivery.ratio).toBeGreaterThan(0.77)
    expect(r.delivery.ratio).toBeLessThan(0.83)
    expect(r.delivery.duplicatesToUi).toBeGreaterThan(0)
    expect(r.delivery.causalViolations).toBeGreaterThan(0)
    expect(r.problems).toEqual([])
    expect(r.pullsPerMessage).toBe(0)
  })
})
