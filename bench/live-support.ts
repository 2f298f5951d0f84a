/**
 * Shared pieces of the live benchmarks: a cluster started the way the
 * simulator starts one, runs of a given mode on it, and pooled figures over
 * several runs (latency percentiles over every delivery, CPU over every run).
 */

import { analyze, deliveryLatencies } from '../src/sim/analyze.js'
import { resolveSimConfig, type GossipTuning, type SimConfig } from '../src/sim/config.js'
import { freshTopic, LiveCluster } from '../src/sim/live-cluster.js'
import type { RunMeasurement } from '../src/sim/measurement.js'
import { planRun } from '../src/sim/plan.js'
import type { SimReport } from '../src/sim/report-types.js'
import { summarize, type Summary } from '../src/sim/stats.js'

/** Starts a live cluster of `nodes` (with the raw topic) for benchmarks. */
export async function benchCluster (nodes: number, options: { workers?: number, gossip?: GossipTuning, warmupMs?: number } = {}): Promise<LiveCluster> {
  return await LiveCluster.start({
    nodes,
    workers: options.workers ?? 0,
    topic: freshTopic(),
    seed: 1,
    gossip: options.gossip ?? {},
    raw: true,
    warmupMs: options.warmupMs ?? 30_000
  })
}

let runNumber = 1

/** A run's measurement and report. */
export interface BenchRun { m: RunMeasurement, r: SimReport }

/** One run on `cluster`; returns the measurement and its report. */
export async function benchRun (cluster: LiveCluster, partial: Partial<SimConfig>): Promise<BenchRun> {
  const config = resolveSimConfig({ mode: 'live', nodes: cluster.options.nodes, workers: cluster.options.workers, gossip: cluster.options.gossip, timeoutMs: 30_000, ...partial })
  const m = await cluster.run(config, planRun(config, runNumber++))
  return { m, r: analyze(m) }
}

/** Figures pooled over runs of one kind. */
export interface Pooled {
  runs: number
  expected: number
  delivered: number
  latency: Summary
  /** CPU time / measured wall time / processes. */
  cpu: number
  lost: number
  duplicatesToUi: number
  causalViolations: number
}

/** Pools several runs. */
export function pool (runs: BenchRun[]): Pooled {
  const latencies: number[] = []
  let cpu = 0
  let wall = 0
  for (const { m } of runs) {
    for (const l of deliveryLatencies(m)) latencies.push(l)
    cpu += m.cpuMs.user + m.cpuMs.system
    wall += m.measuredWallMs * m.processes
  }
  return {
    runs: runs.length,
    expected: runs.reduce((a, { r }) => a + r.delivery.expected, 0),
    delivered: runs.reduce((a, { r }) => a + r.delivery.delivered, 0),
    latency: summarize(latencies),
    cpu: wall > 0 ? cpu / wall : 0,
    lost: runs.reduce((a, { r }) => a + r.delivery.lost, 0),
    duplicatesToUi: runs.reduce((a, { r }) => a + r.delivery.duplicatesToUi, 0),
    causalViolations: runs.reduce((a, { r }) => a + (r.delivery.causalViolations ?? 0), 0)
  }
}

/** `ms` with one decimal. */
export function ms (value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} ms` : '-'
}

/** A ratio as a percentage with two decimals. */
export function pct (part: number, whole: number): string {
  return whole > 0 ? `${(part / whole * 100).toFixed(2)} %` : '-'
}
