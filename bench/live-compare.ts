/**
 * Benchmark 1: live nodes in one process at a steady rate, reliability on
 * versus raw gossipsub, on the same cluster in alternating blocks (so both see
 * the same topology and load): delivery, p50/p99 latency over every delivery,
 * CPU, and the reliable/raw latency ratios.
 */

import type { GossipTuning } from '../src/sim/config.js'
import { benchCluster, benchRun, ms, pct, pool, tuningLabel, type BenchRun, type Pooled } from './live-support.js'

/** Settings of the comparison. */
export interface CompareOptions {
  nodes: number
  rate: number
  /** Messages per block; blocks alternate reliable / raw. */
  perBlock: number
  blocks: number
  /** Worker processes (0 = this process). */
  workers: number
  gossip: GossipTuning
}

const DEFAULTS: CompareOptions = { nodes: 25, rate: 10, perBlock: 150, blocks: 2, workers: 0, gossip: {} }

function line (name: string, p: Pooled): string {
  return `  ${name.padEnd(9)} delivered ${p.delivered}/${p.expected} (${pct(p.delivered, p.expected)})  p50 ${ms(p.latency.median)}  p90 ${ms(p.latency.p90)}  p99 ${ms(p.latency.p99)}  max ${ms(p.latency.max)}  CPU ${(p.cpu * 100).toFixed(0)} % of a core` +
    (name === 'reliable' ? `  lost ${p.lost} dup-to-UI ${p.duplicatesToUi} misordered ${p.causalViolations}` : '')
}

/** Runs the comparison. */
export async function runLiveCompare (options: Partial<CompareOptions> = {}): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const o = { ...DEFAULTS, ...options }
  const cluster = await benchCluster(o.nodes, { gossip: o.gossip, workers: o.workers })
  const reliable: BenchRun[] = []
  const raw: BenchRun[] = []
  try {
    for (let b = 0; b < o.blocks; b++) {
      for (const mode of b % 2 === 0 ? ['reliable', 'raw'] : ['raw', 'reliable']) {
        const run = await benchRun(cluster, { messages: o.perBlock, rate: o.rate, reliability: mode === 'reliable', seed: b + 1 })
        ;(mode === 'reliable' ? reliable : raw).push(run)
      }
    }
  } finally {
    await cluster.stop()
  }
  const r = pool(reliable)
  const w = pool(raw)
  const loop = reliable.concat(raw).map(x => Math.max(...(x.m.eventLoop ?? []).map(e => e.max)))
  const p50 = r.latency.median / w.latency.median
  const p99 = r.latency.p99 / w.latency.p99
  return {
    figures: { options: o, reliable: r, raw: w, ratioP50: p50, ratioP99: p99, setupMs: cluster.setupMs },
    lines: [
      `live ${o.nodes} nodes, ${o.workers === 0 ? 'one process' : `${o.workers} worker processes`}, ${o.rate} msg/s, ${o.blocks} blocks of ${o.perBlock} per mode alternating on one cluster, gossipsub: ${tuningLabel(o.gossip)}`,
      line('reliable', r),
      line('raw', w),
      `  event-loop delay max per run: ${loop.map(x => ms(x)).join(', ')}`,
      `  reliable/raw latency ratio: p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)}  (targets: 100 % delivery, reliable p50 <= 10 ms, p99 <= 40 ms, ratio <= 1.10)`
    ]
  }
}
