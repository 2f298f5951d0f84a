/**
 * Live mode on loopback: real libp2p nodes running the chat's room and
 * reliability code report 100 % delivery with the right counts, in this process
 * and spread over worker processes (the worker runs from dist/: build first).
 */
import { describe, expect, it } from 'vitest'
import { resolveSimConfig, type SimConfig } from '../../../src/sim/config.js'
import { runSim, NO_PROGRESS } from '../../../src/sim/run.js'
import type { SimReport } from '../../../src/sim/report-types.js'

async function report (partial: Partial<SimConfig>): Promise<SimReport> {
  let out: SimReport | undefined
  let err = ''
  const code = await runSim(resolveSimConfig({ mode: 'live', warmupMs: 0, timeoutMs: 60_000, ...partial }),
    { out: () => {}, err: s => { err += s }, progress: NO_PROGRESS, onReport: r => { out = r } })
  expect(err).toBe('')
  expect(code).toBe(0)
  if (out === undefined) throw new Error('no report')
  return out
}

describe('sim --mode live', () => {
  it('5 nodes, 20 messages: every node delivers every message once, in causal order', async () => {
    const r = await report({ nodes: 5, messages: 20, rate: 20 })
    expect(r.run).toMatchObject({ mode: 'live', nodes: 5, messages: 20, processes: 1, converged: true })
    expect(r.delivery).toMatchObject({ ratio: 1, expected: 80, delivered: 80, lost: 0, duplicatesToUi: 0, causalViolations: 0 })
    expect(r.latency.n).toBe(80)
    // Measured, not bounded: how fast is the benchmarks' business (BENCHMARKS.md).
    expect(Number.isFinite(r.latency.median)).toBe(true)
    expect(r.latency.max).toBeGreaterThanOrEqual(r.latency.median)
    expect(r.reach[2].never).toBe(0)
    expect(r.messageOverhead.n).toBe(20)
    expect(r.resources.cpuMs).toBeGreaterThan(0)
    expect(r.problems).toEqual([])
  })

  it('--dup and --reorder at the gossipsub-to-core boundary: the core drops the copies, the order holds', async () => {
    const r = await report({ nodes: 5, messages: 20, rate: 20, dup: 0.5, reorder: 0.5, seed: 3 })
    expect(r.delivery).toMatchObject({ ratio: 1, expected: 80, delivered: 80, lost: 0, duplicatesToUi: 0, causalViolations: 0 })
    // Copies were duplicated (p = 0.5) while sending, and the core dropped every one: none reached
    // a UI. How many arrived inside the fault window depends on timing, so only "some" is asserted
    // (it was "more than 20 of 80", which a slow run missed with 17).
    expect(r.duplicatesPerMessagePerNode.core).toBeGreaterThan(0)
  })

  it('raw gossipsub shows an injected duplicate twice (nothing above it filters)', async () => {
    const r = await report({ nodes: 4, messages: 12, rate: 20, dup: 1, reliability: false })
    expect(r.delivery).toMatchObject({ expected: 36, delivered: 36 })
    // Faults are on while sending: every copy that arrived before the last send was shown twice.
    expect(r.delivery.duplicatesToUi).toBeGreaterThan(0)
    expect(r.delivery.duplicatesToUi).toBeLessThanOrEqual(36)
  })

  it('runs raw gossipsub with --no-reliability, and spreads nodes over worker processes', async () => {
    const r = await report({ nodes: 6, messages: 12, rate: 20, workers: 2, reliability: false })
    expect(r.run).toMatchObject({ processes: 2, reliability: false })
    expect(r.delivery).toMatchObject({ expected: 60, delivered: 60, duplicatesToUi: 0 })
    expect(r.duplicatesPerMessagePerNode.gossipsub).toBeGreaterThanOrEqual(0)
  })
})
