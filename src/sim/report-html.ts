/**
 * The HTML report: one self-contained page (inline CSS and SVG, no scripts, no
 * external resources) with the summary table, the propagation CDF and delivery
 * over time with partition and loss windows marked.
 */

import { fmtMs } from './format.js'
import type { SimReport } from './report-types.js'
import { reportTable } from './report-table.js'
import { esc, lineChart, type Band } from './svg-chart.js'

/** Renders the page. */
export function reportHtml (r: SimReport, generatedAt = new Date()): string {
  const lines = reportTable(r)
  const cdfChart = lineChart({
    width: 1100,
    height: 380,
    xLog: true,
    yMax: 1,
    xLabel: 'time from send to delivery at a node (ms, log scale)',
    yLabel: 'share of deliveries',
    xTick: x => fmtMs(x),
    yTick: y => `${Math.round(y * 100)}%`,
    series: [
      { name: 'deliveries (CDF)', color: '#1f6fb2', points: r.cdf, step: true },
      ...r.reach.map((x, i) => ({
        name: `reach ${Math.round(x.share * 100)}% (p50)`,
        color: ['#2a9d4b', '#e08a00', '#c0392b'][i] ?? '#555',
        points: Number.isFinite(x.p50) ? [[x.p50, 0], [x.p50, 1]] as Array<[number, number]> : []
      }))
    ]
  })
  const t = r.timeline
  const total = Math.max(1, t.expected[t.expected.length - 1] ?? 1)
  const bands: Band[] = r.partitions.map(p => ({ from: p.start / 1000, to: p.end / 1000, label: `partition (${p.groupA} nodes cut off)`, color: '#c0392b' }))
  for (const rec of r.recovery) if (rec.kind === 'loss') bands.push({ from: rec.start / 1000, to: rec.end / 1000, label: `loss ${Math.round(Number(r.config.loss) * 100)}%`, color: '#e08a00' })
  const timeChart = lineChart({
    width: 1100,
    height: 380,
    yMax: 1,
    xLabel: `time since the first send (s${r.run.mode === 'model' ? ', virtual' : ''})`,
    yLabel: 'share of all expected deliveries',
    xTick: x => `${x}`,
    yTick: y => `${Math.round(y * 100)}%`,
    bands,
    series: [
      { name: 'sent (expected so far)', color: '#888', points: t.expected.map((v, i) => [(i + 1) * t.bucketMs / 1000, v / total]), step: true },
      { name: 'delivered', color: '#1f6fb2', points: t.delivered.map((v, i) => [(i + 1) * t.bucketMs / 1000, v / total]), step: true }
    ]
  })
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(lines[0])}</title>
<style>
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1160px; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin-top: 28px; }
pre { background: #f6f6f6; padding: 12px; font-size: 12px; white-space: pre-wrap; }
.ok { color: #2a7d3b; } .bad { color: #b03020; font-weight: bold; }
figure { margin: 0; } figcaption { font-size: 12px; color: #555; }
</style></head><body>
<h1>${esc(lines[0])}</h1>
<p class="${r.problems.length === 0 ? 'ok' : 'bad'}">${r.run.reliability ? (r.problems.length === 0 ? 'Every guarantee held.' : 'Broken: ' + esc(r.problems.join('; '))) : 'Reliability off (raw delivery).'}
 Delivery ${esc((r.delivery.ratio * 100).toFixed(3))} %, p50 ${esc(fmtMs(r.latency.median))}, p99 ${esc(fmtMs(r.latency.p99))}.</p>
<h2>Propagation</h2>
<figure>${cdfChart}<figcaption>Share of (node, message) deliveries made within a given time of the send; vertical lines: median time for a message to reach 50 %, 95 % and 100 % of its nodes.</figcaption></figure>
<h2>Delivery over time</h2>
<figure>${timeChart}<figcaption>Cumulative deliveries against what had been sent; shaded: partitions and injected loss.</figcaption></figure>
<h2>Figures</h2>
<pre>${esc(lines.slice(1).join('\n'))}</pre>
<p style="font-size:12px;color:#666">Generated ${esc(generatedAt.toISOString())} by p2pchat sim.</p>
</body></html>
`
}
