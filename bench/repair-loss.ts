/**
 * Repair under loss on every copy (issue 16's targets): the model network loses
 * broadcasts, pull requests and pull answers alike. 100 messages from 10 senders at
 * 10 msg/s, 3 seeds per scenario: time to 100 % (per message, until the last
 * participant has it), the guarantees, overhead per content message and repair bytes.
 */

import { analyze } from '../src/sim/analyze.js'
import { resolveSimConfig } from '../src/sim/config.js'
import { runModel } from '../src/sim/model-run.js'
import { planRun } from '../src/sim/plan.js'
import { fmtBytes, fmtMs } from '../src/sim/format.js'

interface Scenario { nodes: number, loss: number, target?: { p99Ms: number } }

/** The issue's scenarios and targets, smallest first. */
const SCENARIOS: Scenario[] = [
  { nodes: 10, loss: 0.1 },
  { nodes: 100, loss: 0.1 },
  { nodes: 100, loss: 0.3, target: { p99Ms: 10_000 } },
  { nodes: 1_000, loss: 0.1, target: { p99Ms: 3_000 } },
  { nodes: 10_000, loss: 0.1 }
]

const SEEDS = [1, 2, 3]

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

/** Runs every scenario over 3 seeds. */
export async function runRepairLoss (scenarios = SCENARIOS): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const lines = ['model, loss on every copy (broadcasts, pulls, answers) while sending; 100 messages from 10 senders at 10/s; presence off (repair alone); seeds 1-3; time to 100 % = per message, until its last participant has it']
  const figures: Record<string, unknown> = {}
  for (const s of scenarios) {
    const runs = SEEDS.map(seed => {
      const config = resolveSimConfig({ mode: 'model', nodes: s.nodes, messages: 100, rate: 10, senders: 10, loss: s.loss, seed, timeoutMs: 120_000, presence: 'off' })
      const r = analyze(runModel(config, planRun(config)))
      const w = r.wire?.breakdownPerDelivery ?? {}
      const repairPerDelivery = (w.pullRequests ?? 0) + (w.pullAnswers ?? 0)
      return {
        seed,
        delivered: r.delivery.ratio,
        lost: r.delivery.lost,
        duplicates: r.delivery.duplicatesToUi,
        violations: r.delivery.causalViolations ?? 0,
        never: r.reach[2].never,
        p50: r.reach[2].p50,
        p99: r.reach[2].p99,
        overhead: r.messageOverhead.median,
        repairPerMessage: repairPerDelivery * (s.nodes - 1),
        pullsPerMessage: r.pullsPerMessage,
        wallMs: r.run.wallMs
      }
    })
    const key = `n${s.nodes}-loss${Math.round(s.loss * 100)}`
    figures[key] = runs
    const p99s = runs.map(r => r.p99)
    const worst = Math.max(...p99s)
    const verdict = s.target === undefined ? '' : worst <= s.target.p99Ms ? `  target p99 <= ${fmtMs(s.target.p99Ms)}: met` : `  target p99 <= ${fmtMs(s.target.p99Ms)}: MISSED`
    lines.push(`  N=${s.nodes.toLocaleString('en')} loss ${Math.round(s.loss * 100)} %: time to 100 % p50 ${fmtMs(mean(runs.map(r => r.p50)))} p99 ${fmtMs(mean(p99s))} (mean of 3; worst seed p99 ${fmtMs(worst)})${verdict}`)
    lines.push(`    delivered ${runs.map(r => `${(r.delivered * 100).toFixed(2)} %`).join(' / ')}; lost ${runs.map(r => r.lost).join('/')}, never reached all ${runs.map(r => r.never).join('/')}, duplicates ${runs.map(r => r.duplicates).join('/')}, causal violations ${runs.map(r => r.violations).join('/')}`)
    lines.push(`    overhead per content message ${fmtBytes(mean(runs.map(r => r.overhead)))}; repair bytes per message (network-wide) ${fmtBytes(mean(runs.map(r => r.repairPerMessage)))}; pulls per message ${mean(runs.map(r => r.pullsPerMessage)).toFixed(1)}; wall ${fmtMs(mean(runs.map(r => r.wallMs)))} per run`)
  }
  return { lines, figures }
}
