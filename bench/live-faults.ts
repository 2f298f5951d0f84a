/**
 * Benchmark 3: 25 live nodes under faults, reliability on: 20 % message-level
 * drop while sending (recovery measured after the drop stops), and a 30 s 50/50
 * partition with `isolateFrom`/`heal` while sending continues (recovery after the
 * heal; with the chat as it is, and with every node searching the rendezvous at
 * the heal). Optionally the nodes are spread over worker processes. Reports delivery, recovery percentiles and when connections across
 * the cut came back.
 */

import { CHAT, benchCluster, benchRun, pct, tuningLabel } from './live-support.js'
import { fmtMs } from '../src/sim/format.js'
import type { SimReport } from '../src/sim/report-types.js'

function recoveryLine (name: string, r: SimReport): string {
  const rec = r.recovery[0]
  const reconnect = rec?.reconnect !== undefined ? `; first connection across the cut ${fmtMs(rec.reconnect.firstMs)}, every node ${fmtMs(rec.reconnect.allMs)} after the heal` : ''
  return `  ${name.padEnd(26)} delivered ${pct(r.delivery.delivered, r.delivery.expected)} lost ${r.delivery.lost} dup-to-UI ${r.delivery.duplicatesToUi} misordered ${r.delivery.causalViolations ?? '-'}; ` +
    `${rec?.outstanding ?? 0} outstanding at the end, recovered p50 ${fmtMs(rec?.recovery.median ?? NaN)} p99 ${fmtMs(rec?.recovery.p99 ?? NaN)}, converged ${fmtMs(rec?.convergenceMs ?? NaN)}${reconnect}`
}

/** Runs the fault benchmarks. */
export async function runLiveFaults (nodes = 25, options: { workers?: number } = {}): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const workers = options.workers ?? 0
  const cluster = await benchCluster(nodes, { gossip: CHAT, workers })
  try {
    const loss = await benchRun(cluster, { messages: 300, rate: 10, loss: 0.2 })
    const partition = await benchRun(cluster, { messages: 450, rate: 10, partitions: [{ atMs: 5000, forMs: 30_000, split: 0.5 }], timeoutMs: 90_000 })
    const hurried = await benchRun(cluster, { messages: 450, rate: 10, partitions: [{ atMs: 5000, forMs: 30_000, split: 0.5 }], timeoutMs: 90_000, healRediscover: true })
    return {
      figures: { loss: loss.r.recovery, partition: partition.r.recovery, partitionRediscover: hurried.r.recovery, delivery: [loss.r.delivery, partition.r.delivery, hurried.r.delivery] },
      lines: [
        `live ${nodes} nodes, ${workers > 0 ? `${workers} worker processes` : 'one process'}, gossipsub ${tuningLabel(CHAT)}, 10 msg/s, reliability on (targets: 100 % delivery, p99 recovery <= 3 s)`,
        recoveryLine('20 % drop for 30 s', loss.r),
        recoveryLine('30 s 50/50 partition', partition.r),
        recoveryLine('same, rendezvous at heal', hurried.r)
      ]
    }
  } finally {
    await cluster.stop()
  }
}
