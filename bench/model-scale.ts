/**
 * Benchmark 4: the room driver at scale in model mode: 10,000
 * participants, 100 messages, 10 % loss on every copy (repair included), in virtual time.
 * Delivery, the guarantees, propagation, wire bytes per delivered message,
 * wall time and heap.
 */

import { analyze } from '../src/sim/analyze.js'
import { resolveSimConfig } from '../src/sim/config.js'
import { runModel } from '../src/sim/model-run.js'
import { planRun } from '../src/sim/plan.js'
import { fmtBytes, fmtMs } from '../src/sim/format.js'

/** Runs the model at scale. */
export async function runModelScale (nodes = 10_000, messages = 100, loss = 0.1): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const config = resolveSimConfig({ mode: 'model', nodes, messages, rate: 10, loss, seed: 1, timeoutMs: 120_000 })
  const heapBefore = process.memoryUsage().heapUsed
  const m = runModel(config, planRun(config))
  const heapAfter = process.memoryUsage().heapUsed
  const r = analyze(m)
  const w = r.wire
  return {
    figures: { delivery: r.delivery, latency: r.latency, reach: r.reach, wire: w, messageOverhead: r.messageOverhead, pullsPerMessage: r.pullsPerMessage, resendsPerMessage: r.resendsPerMessage, wallMs: r.run.wallMs, virtualMs: r.run.measuredMs, heapBytes: heapAfter - heapBefore, rss: process.memoryUsage().rss },
    lines: [
      `model: ${nodes.toLocaleString('en')} participants, ${messages} messages at 10/s, ${loss * 100} % loss on every copy (repair included) while sending, seed 1`,
      `  delivered ${r.delivery.delivered.toLocaleString('en')}/${r.delivery.expected.toLocaleString('en')}  lost ${r.delivery.lost}  duplicated to UI ${r.delivery.duplicatesToUi}  out of causal order ${r.delivery.causalViolations ?? '-'}  converged after ${fmtMs(r.run.measuredMs)} virtual`,
      `  reach 50/95/100 %: p50 ${r.reach.map(x => fmtMs(x.p50)).join(' / ')}, p99 ${r.reach.map(x => fmtMs(x.p99)).join(' / ')}`,
      `  wire per delivered message ${fmtBytes(w?.bytesPerDelivery ?? NaN)} = ${fmtBytes(w?.payloadPerDelivery ?? NaN)} payload + ${fmtBytes(w?.overheadPerDelivery ?? NaN)} overhead (${Object.entries(w?.breakdownPerDelivery ?? {}).map(([k, v]) => `${k} ${fmtBytes(v)}`).join(', ')})`,
      `  per content message as broadcast: overhead median ${fmtBytes(r.messageOverhead.median)}, p99 ${fmtBytes(r.messageOverhead.p99)}; pulls ${r.pullsPerMessage.toFixed(0)} and resends ${r.resendsPerMessage.toFixed(2)} per message (network-wide)`,
      `  wall ${fmtMs(r.run.wallMs)}, heap growth ${fmtBytes(heapAfter - heapBefore)}, RSS ${fmtBytes(process.memoryUsage().rss)}  (targets: 100 % delivery, overhead <= 1 KB per message, wall <= 60 s)`
    ]
  }
}
