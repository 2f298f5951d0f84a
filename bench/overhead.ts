/**
 * Protocol overhead per content message, from the model with the wire codec:
 * the encoded ChatMessage minus its content, at 10 and at 100 active senders
 * (the causal history and the bloom filter are what grows with the room), plus
 * all wire bytes per delivered message including syncs and repair.
 */

import { analyze } from '../src/sim/analyze.js'
import { resolveSimConfig } from '../src/sim/config.js'
import { runModel } from '../src/sim/model-run.js'
import { planRun } from '../src/sim/plan.js'
import { fmtBytes } from '../src/sim/format.js'

/** Runs the overhead measurement. */
export async function runOverhead (): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const lines = ['protocol overhead per content message (model, wire codec; 200 participants, 1,000 messages at 50/s, no loss, 64-byte texts)']
  const figures: Record<string, unknown> = {}
  for (const senders of [10, 100]) {
    const config = resolveSimConfig({ mode: 'model', nodes: 200, messages: 1000, rate: 50, senders, seed: 1 })
    const r = analyze(runModel(config, planRun(config)))
    figures[`senders${senders}`] = { messageOverhead: r.messageOverhead, wire: r.wire }
    lines.push(`  ${String(senders).padStart(3)} active senders: overhead per message as broadcast median ${fmtBytes(r.messageOverhead.median)}, p99 ${fmtBytes(r.messageOverhead.p99)}; ` +
      `all wire bytes per delivered message ${fmtBytes(r.wire?.bytesPerDelivery ?? NaN)} (payload ${fmtBytes(r.wire?.payloadPerDelivery ?? NaN)})`)
  }
  return { lines, figures }
}
