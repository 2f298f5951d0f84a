/**
 * Shared pieces of the live benchmarks: a cluster started the way the
 * simulator starts one, runs of a given mode on it, and pooled figures over
 * several runs (latency percentiles over every delivery, CPU over every run).
 */

import { analyze, deliveryLatencies } from '../src/sim/analyze.js'
import { resolveSimConfig, type GossipTuning, type SimConfig, type Topology } from '../src/sim/config.js'
import { freshTopic, LiveCluster } from '../src/sim/live-cluster.js'
import type { RunMeasurement } from '../src/sim/measurement.js'
import { planRun } from '../src/sim/plan.js'
import type { SimReport } from '../src/sim/report-types.js'
import { summarize, type Summary } from '../src/sim/stats.js'

/**
 * The chat's gossipsub settings (`chatGossipsubOptions`: duplicate copies dropped by (from, seqno)
 * before their signature is verified again, no IDONTWANT below 16 KiB).
 */
export const CHAT: GossipTuning = {}

/**
 * The gossipsub library's defaults for the two cost levers the chat changes, for comparison
 * (`--fast-msg-id off --idontwant 512`).
 */
export const LIBRARY: GossipTuning = { fastMsgId: false, idontwantMinBytes: 512 }

/** The chat's settings plus a smaller mesh and no flood publishing: fewer copies of each message per node. */
export const LEAN: GossipTuning = { D: 4, Dlo: 3, Dhi: 6, floodPublish: false }

/** Starts a live cluster of `nodes` (with the raw topic) for benchmarks. */
export async function benchCluster (nodes: number, options: { workers?: number, gossip?: GossipTuning, warmupMs?: number, topology?: Topology, raw?: boolean, formationTimeoutMs?: number } = {}): Promise<LiveCluster> {
  return await LiveCluster.start({
    nodes,
    workers: options.workers ?? 0,
    topic: freshTopic(),
    seed: 1,
    gossip: options.gossip ?? {},
    raw: options.raw ?? true,
    ...(options.topology !== undefined ? { topology: options.topology } : {}),
    warmupMs: options.warmupMs ?? 30_000,
    ...(options.formationTimeoutMs !== undefined ? { formationTimeoutMs: options.formationTimeoutMs } : {})
  })
}

/** A gossipsub tuning as the sim flags that give it. */
export function tuningLabel (gossip: GossipTuning): string {
  const flags: string[] = []
  if (gossip.fastMsgId !== undefined) flags.push(`--fast-msg-id ${gossip.fastMsgId ? 'on' : 'off'}`)
  if (gossip.idontwantMinBytes !== undefined) flags.push(`--idontwant ${gossip.idontwantMinBytes}`)
  if (gossip.floodPublish !== undefined) flags.push(`--flood-publish ${gossip.floodPublish ? 'on' : 'off'}`)
  if (gossip.D !== undefined) flags.push(`--D ${gossip.D}`)
  if (gossip.Dlo !== undefined) flags.push(`--Dlo ${gossip.Dlo}`)
  if (gossip.Dhi !== undefined) flags.push(`--Dhi ${gossip.Dhi}`)
  return flags.length === 0 ? 'chat defaults' : flags.join(' ')
}

let runNumber = 1

/** A run's measurement and report. */
export interface BenchRun { m: RunMeasurement, r: SimReport }

/** One run on `cluster`; returns the measurement and its report. */
export async function benchRun (cluster: LiveCluster, partial: Partial<SimConfig>): Promise<BenchRun> {
  const o = cluster.options
  const config = resolveSimConfig({ mode: 'live', nodes: o.nodes, workers: o.workers, gossip: o.gossip, ...(o.topology !== undefined ? { topology: o.topology } : {}), timeoutMs: 30_000, ...partial })
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
