/**
 * RainTree on live nodes (issue 17), side by side in one run: gossipsub alone, RainTree beside
 * gossipsub (with gossipsub's chat settings, and tuned down as a background path), and RainTree alone, each at 0 %, 10 % and 30 % of nodes that take RainTree copies
 * but never forward or ACK them. Each cell is a fresh cluster of the same size, the same seed and
 * the same sends (reliability on). Reported per cell: delivery, time to reach every node (p50,
 * p99 over messages), send-to-UI latency, copies received per node per message, bytes the
 * processes wrote per delivery, CPU per delivery, and pulls per message (repair that was needed).
 * Each cluster gets 20 s after it formed before sending: the first seconds of a cluster (DHT
 * rendezvous, handshakes, presence) cost more CPU than the chat itself.
 */
import { freshTopic, LiveCluster } from '../src/sim/live-cluster.js'
import { benchRun, ms, pct } from './live-support.js'
import type { GossipTuning } from '../src/sim/config.js'

type Paths = 'gossipsub' | 'raintree+gossipsub' | 'raintree'

/** One way to run the room: its paths and gossipsub's tuning. */
interface Variant { label: string, paths: Paths, gossip: GossipTuning }

/** Gossipsub's own defaults, which the chat uses alone (with RainTree it turns to `BACKGROUND_GOSSIPSUB`). */
const LIBRARY_DEFAULTS: GossipTuning = { D: 6, Dlo: 4, Dhi: 12, floodPublish: true }

const VARIANTS: Variant[] = [
  { label: 'gossipsub', paths: 'gossipsub', gossip: {} },
  { label: 'raintree+gossip D6', paths: 'raintree+gossipsub', gossip: LIBRARY_DEFAULTS },
  { label: 'raintree+gossipsub', paths: 'raintree+gossipsub', gossip: {} },
  { label: 'raintree', paths: 'raintree', gossip: {} }
]

/** Runs every cell; returns report lines and figures. */
export async function runRainTreeLive (options: { nodes?: number, workers?: number, messages?: number, rate?: number } = {}): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const nodes = options.nodes ?? 12
  const workers = options.workers ?? 0
  const messages = options.messages ?? 120
  const rate = options.rate ?? 10
  const cells: Array<Record<string, unknown>> = []
  const lines = [
    `RainTree live: ${nodes} nodes${workers > 0 ? ` in ${workers} worker processes` : ' in one process'}, ${messages} lines at ${rate}/s from every node in turn, reliability on, one fresh cluster per cell`,
    '  paths               silent  delivered  all-reached p50 / p99   latency p50 / p99   copies/node/msg  bytes/delivery  CPU ms/delivery  pulls/msg'
  ]
  for (const silent of [0, 0.1, 0.3]) {
    for (const { label, paths, gossip } of VARIANTS) {
      let cluster: LiveCluster
      try {
        cluster = await LiveCluster.start({ nodes, workers, topic: freshTopic(), seed: 1, gossip, raw: false, warmupMs: 20_000, paths, nonForwarding: silent, formationTimeoutMs: 120_000 })
      } catch (err) {
        lines.push(`  ${label.padEnd(19)} ${`${Math.round(silent * 100)} %`.padStart(5)}  the cluster did not form: ${(err as Error).message}`)
        process.stderr.write(lines[lines.length - 1] + '\n')
        continue
      }
      try {
        const { m, r } = await benchRun(cluster, { messages, rate, reliability: true, timeoutMs: 30_000 })
        const all = r.reach.find(x => x.share === 1)
        const copies = 1 + Object.values(r.duplicatesPerMessagePerNode).reduce((a, b) => a + b, 0)
        const cpuPerDelivery = (m.cpuMs.user + m.cpuMs.system) / Math.max(1, r.delivery.delivered)
        const cell = {
          variant: label,
          paths,
          gossip,
          silent,
          delivered: r.delivery.delivered,
          expected: r.delivery.expected,
          reachAll: all === undefined ? undefined : { p50: all.p50, p99: all.p99, never: all.never },
          latency: { p50: r.latency.median, p99: r.latency.p99 },
          copies,
          duplicates: r.duplicatesPerMessagePerNode,
          bytesPerDelivery: r.wire?.bytesPerDelivery,
          cpuMsPerDelivery: cpuPerDelivery,
          pullsPerMessage: r.pullsPerMessage
        }
        cells.push(cell)
        lines.push(`  ${label.padEnd(19)} ${`${Math.round(silent * 100)} %`.padStart(5)}  ${pct(r.delivery.delivered, r.delivery.expected).padStart(9)}  ${all === undefined ? '   n/a' : `${ms(all.p50)} / ${ms(all.p99)}`.padStart(22)}  ${`${ms(r.latency.median)} / ${ms(r.latency.p99)}`.padStart(18)}  ${copies.toFixed(2).padStart(15)}  ${(r.wire?.bytesPerDelivery ?? Number.NaN).toFixed(0).padStart(14)}  ${cpuPerDelivery.toFixed(2).padStart(15)}  ${r.pullsPerMessage.toFixed(2).padStart(9)}`)
        process.stderr.write(lines[lines.length - 1] + '\n')
      } finally {
        await cluster.stop()
      }
    }
  }
  return { figures: { nodes, workers, messages, rate, cells }, lines }
}
