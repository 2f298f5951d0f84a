/**
 * Benchmark 2: 100 live nodes on two cores, spread over worker processes that
 * each host 25 nodes, bootstrapped to each other over loopback. Topology
 * `random:6` (each node dials 6 random earlier nodes, rendezvous off) or the
 * chat's own DHT rendezvous (each node dials found providers up to 8 room
 * peers), gossipsub as the chat sets it (`CHAT`). Delivery and p99 latency, per-process event-loop delay, and the top
 * entries of the workers' CPU profiles.
 */

import { CHAT, benchCluster, benchRun, ms, pct, tuningLabel } from './live-support.js'
import type { GossipTuning, Topology } from '../src/sim/config.js'
import { fmtMs } from '../src/sim/format.js'

/** Runs the 100-node benchmark. */
export async function runLiveScale (options: { nodes?: number, workers?: number, messages?: number, gossip?: GossipTuning, topology?: Topology, profile?: string } = {}): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const nodes = options.nodes ?? 100
  const workers = options.workers ?? 4
  const messages = options.messages ?? 300
  const gossip = options.gossip ?? CHAT
  const topology = options.topology ?? { kind: 'random', degree: 6 }
  const cluster = await benchCluster(nodes, { workers, gossip, topology, warmupMs: 40_000, raw: false })
  try {
    const { r } = await benchRun(cluster, { messages, rate: 10, reliability: true })
    // A second, shorter run on the same cluster under the profiler (which slows the workers: its timings are not the figures above).
    const profiled = options.profile !== undefined ? (await benchRun(cluster, { messages: 100, rate: 10, reliability: true, cpuProf: options.profile })).r : undefined
    const top = profiled?.profile?.top.slice(0, 12).map(e => `    ${(e.share * 100).toFixed(1).padStart(5)} %  ${e.name}`) ?? []
    const pkgs = profiled?.profile?.packages.slice(0, 10).map(e => `${e.name} ${(e.share * 100).toFixed(1)} %`).join(', ') ?? ''
    return {
      figures: { delivery: r.delivery, latency: r.latency, reach: r.reach, resources: r.resources, setupMs: cluster.setupMs, profile: profiled?.profile, profiledLatency: profiled?.latency },
      lines: [
        `live ${nodes} nodes in ${workers} worker processes (${nodes / workers} each), topology ${topology.kind === 'random' ? `random:${topology.degree}` : 'rendezvous (the chat\'s)'}, gossipsub ${tuningLabel(gossip)}, ${messages} messages at 10 msg/s`,
        `  delivered ${r.delivery.delivered}/${r.delivery.expected} (${pct(r.delivery.delivered, r.delivery.expected)})  lost ${r.delivery.lost}  dup-to-UI ${r.delivery.duplicatesToUi}  misordered ${r.delivery.causalViolations ?? '-'}`,
        `  latency p50 ${ms(r.latency.median)}  p90 ${ms(r.latency.p90)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}; reach 100 % p50 ${fmtMs(r.reach[2].p50)} p99 ${fmtMs(r.reach[2].p99)}  (targets: 100 % delivery, p99 <= 1 s)`,
        `  CPU ${(r.resources.cpuUtilization * 100).toFixed(0)} % of a core per process, ${fmtMs(r.resources.cpuMsPerNode)} per node over the run; event-loop delay max ${(r.resources.eventLoop ?? []).map(e => fmtMs(e.max)).join(', ')}; setup ${fmtMs(cluster.setupMs)}`,
        ...(top.length > 0 && profiled !== undefined
          ? [`  CPU profile of the workers over a second run of 100 messages (p99 under the profiler ${ms(profiled.latency.p99)}), top self time:`, ...top, `  by package: ${pkgs}`]
          : [])
      ]
    }
  } finally {
    await cluster.stop()
  }
}
