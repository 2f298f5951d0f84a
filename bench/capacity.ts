/**
 * Benchmark 5: capacity of one process at 25 live nodes: the rate steps up
 * (25, 50, 100, 200, 400 msg/s; each step at most 8 s or 800 messages) on one
 * cluster until p99 exceeds 250 ms or a message is not delivered; reports every
 * step and the highest rate that held.
 */

import { CHAT, benchCluster, benchRun, ms, pct, tuningLabel } from './live-support.js'
import type { GossipTuning } from '../src/sim/config.js'

/** Runs the capacity steps. */
export async function runCapacity (options: { nodes?: number, gossip?: GossipTuning, rates?: number[] } = {}): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const nodes = options.nodes ?? 25
  const gossip = options.gossip ?? CHAT
  const rates = options.rates ?? [25, 50, 100, 200, 400]
  const cluster = await benchCluster(nodes, { gossip })
  const steps: Array<{ rate: number, p50: number, p99: number, delivered: number, expected: number, cpu: number, held: boolean }> = []
  try {
    for (const rate of rates) {
      const messages = Math.min(800, Math.round(rate * 8))
      const { r } = await benchRun(cluster, { messages, rate, reliability: true, timeoutMs: 15_000 })
      const held = r.delivery.lost === 0 && r.latency.p99 <= 250
      steps.push({ rate, p50: r.latency.median, p99: r.latency.p99, delivered: r.delivery.delivered, expected: r.delivery.expected, cpu: r.resources.cpuUtilization, held })
      if (!held) break
    }
  } finally {
    await cluster.stop()
  }
  const best = steps.filter(s => s.held).map(s => s.rate).pop() ?? 0
  return {
    figures: { steps, best, gossip },
    lines: [
      `capacity: ${nodes} live nodes in one process, gossipsub ${tuningLabel(gossip)}, rate stepped up until p99 > 250 ms or a loss`,
      ...steps.map(s => `  ${String(s.rate).padStart(4)} msg/s  delivered ${pct(s.delivered, s.expected)}  p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  CPU ${(s.cpu * 100).toFixed(0)} %  ${s.held ? 'held' : 'FAILED'}`),
      `  highest rate held: ${best} msg/s  (target: >= 200 msg/s)`
    ]
  }
}
