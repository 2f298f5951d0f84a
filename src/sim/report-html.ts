/**
 * The HTML report: one self-contained page (inline CSS and SVG, no scripts, no
 * external resources) with a plain-language header, the propagation CDF and
 * delivery over time with partition and loss windows marked, and every figure
 * as a table. The layout is fluid: the charts scale to the window and the table
 * wraps, so from 700 px up nothing scrolls sideways (checked in headless Chromium
 * by test/e2e/report-layout.test.ts).
 */

import { fmtCount, fmtMs, fmtPercent } from './format.js'
import type { SimReport } from './report-types.js'
import { reportRows } from './report-table.js'
import { esc, lineChart, type Band, type Series } from './svg-chart.js'

/** The charts' drawing size (they scale down to fit the window). */
const CHART = { width: 960, height: 360 }

/** A configured share as a person would write it: `10 %`, `0.5 %`, `12.5 %`. */
function share (ratio: number): string {
  return `${Number((ratio * 100).toPrecision(3))} %`
}

/** `n word` or `n words`. */
function plural (n: number, word: string): string {
  return `${fmtCount(n)} ${word}${n === 1 ? '' : 's'}`
}

/** The run in one plain sentence: who sent what, under which faults. */
export function plainSummary (r: SimReport): string {
  const c = r.config
  const present = r.run.nodes - Number(c.lateJoin)
  const senders = Math.min(Number(c.senders) === 0 ? present : Number(c.senders), r.run.messages)
  const mode = r.run.mode === 'model' ? 'A model run (virtual time)' : r.run.mode === 'live' ? 'A live run (real libp2p nodes on loopback)' : 'A run of real p2pchat processes'
  const faults: string[] = []
  if (Number(c.loss) > 0) faults.push(`${share(Number(c.loss))} of messages dropped while sending`)
  if (Number(c.dup) > 0) faults.push(`${share(Number(c.dup))} duplicated`)
  if (Number(c.reorder) > 0) faults.push(`${share(Number(c.reorder))} held back to reorder`)
  if (r.partitions.length > 0) faults.push(plural(r.partitions.length, 'partition'))
  if (c.churn !== null) faults.push('nodes crashing and restarting')
  if (Number(c.lateJoin) > 0) faults.push(`${plural(Number(c.lateJoin), 'node')} joining halfway`)
  return `${mode} of ${plural(r.run.nodes, 'node')}: ${plural(r.run.messages, 'message')} sent at ${String(c.rate)} per second by ` +
    `${senders === present ? `${senders === 1 ? 'the only node' : 'the nodes in turn'}` : `${plural(senders, 'node')} in turn`}` +
    `${faults.length > 0 ? `, with ${faults.join(', ')}` : ', with no injected faults'}; reliability ${r.run.reliability ? 'on' : 'off'}; seed ${String(c.seed)}.`
}

function legend (series: Series[]): string {
  return `<ul class="legend">${series.filter(s => s.points.length > 0).map(s => `<li><span style="background:${s.color}"></span>${esc(s.name)}</li>`).join('')}</ul>`
}

function figuresTable (r: SimReport): string {
  const rows = reportRows(r).map(([k, v]) => `<tr>${k === '' ? '<td></td>' : `<th scope="row">${esc(k)}</th>`}<td>${esc(v)}</td></tr>`)
  return `<table class="figures"><tbody>${rows.join('')}</tbody></table>`
}

/** Renders the page. */
export function reportHtml (r: SimReport, generatedAt = new Date()): string {
  const cdfSeries: Series[] = [
    { name: 'deliveries (CDF)', color: '#1f6fb2', points: r.cdf, step: true },
    ...r.reach.map((x, i) => ({
      name: `median time to reach ${Math.round(x.share * 100)} % of nodes`,
      color: ['#2a9d4b', '#e08a00', '#c0392b'][i] ?? '#555',
      points: Number.isFinite(x.p50) ? [[x.p50, 0], [x.p50, 1]] as Array<[number, number]> : []
    }))
  ]
  const cdfChart = lineChart({
    ...CHART,
    responsive: true,
    xLog: true,
    yMax: 1,
    xLabel: 'time from send to delivery at a node (ms, log scale)',
    yLabel: 'share of deliveries',
    xTick: x => fmtMs(x),
    yTick: y => `${Math.round(y * 100)} %`,
    series: cdfSeries
  })
  const t = r.timeline
  const total = Math.max(1, t.expected[t.expected.length - 1] ?? 1)
  const bands: Band[] = r.partitions.map(p => ({ from: p.start / 1000, to: p.end / 1000, label: `partition (${p.groupA} nodes cut off)`, color: '#c0392b' }))
  for (const rec of r.recovery) if (rec.kind === 'loss') bands.push({ from: rec.start / 1000, to: rec.end / 1000, label: `loss ${share(Number(r.config.loss))}`, color: '#e08a00' })
  const timeSeries: Series[] = [
    { name: 'sent (expected so far)', color: '#888', points: t.expected.map((v, i) => [(i + 1) * t.bucketMs / 1000, v / total]), step: true },
    { name: 'delivered', color: '#1f6fb2', points: t.delivered.map((v, i) => [(i + 1) * t.bucketMs / 1000, v / total]), step: true }
  ]
  const timeChart = lineChart({
    ...CHART,
    responsive: true,
    yMax: 1,
    xLabel: `time since the first send (s${r.run.mode === 'model' ? ', virtual' : ''})`,
    yLabel: 'share of all expected deliveries',
    xTick: x => `${x}`,
    yTick: y => `${Math.round(y * 100)} %`,
    bands,
    series: timeSeries
  })
  const verdict = r.run.reliability
    ? (r.problems.length === 0 ? 'Every guarantee held.' : 'Broken: ' + r.problems.join('; '))
    : 'Reliability off (raw delivery).'
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>p2pchat sim report</title>
<style>
*, *::before, *::after { box-sizing: border-box; }
body { font-family: sans-serif; margin: 0 auto; padding: 16px 20px; color: #222; max-width: 1040px; line-height: 1.4; }
h1 { font-size: 20px; margin: 0 0 6px; } h2 { font-size: 16px; margin: 28px 0 8px; }
.summary { margin: 4px 0; }
.ok { color: #2a7d3b; } .bad { color: #b03020; font-weight: bold; }
figure { margin: 0; } figcaption { font-size: 13px; color: #555; margin-top: 4px; }
.legend { list-style: none; padding: 0; margin: 0 0 6px; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }
.legend span { display: inline-block; width: 18px; height: 3px; margin-right: 6px; vertical-align: middle; }
.figures { border-collapse: collapse; width: 100%; font-size: 14px; }
.figures th, .figures td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e4e4e4; overflow-wrap: anywhere; }
.figures th { white-space: nowrap; font-weight: 600; color: #444; width: 1%; }
.generated { font-size: 12px; color: #666; }
</style></head><body>
<h1>p2pchat sim report</h1>
<p class="summary">${esc(plainSummary(r))}</p>
<p class="summary ${r.problems.length === 0 ? 'ok' : 'bad'}">${esc(verdict)} Delivered ${esc(fmtPercent(r.delivery.ratio))} of what was expected; half of the deliveries took ${esc(fmtMs(r.latency.median))} or less, 99 % took ${esc(fmtMs(r.latency.p99))} or less.</p>
<h2>Propagation</h2>
<figure>${legend(cdfSeries)}${cdfChart}<figcaption>Share of (node, message) deliveries made within a given time of the send; vertical lines: the median time for a message to reach 50 %, 95 % and 100 % of its nodes.</figcaption></figure>
<h2>Delivery over time</h2>
<figure>${legend(timeSeries)}${timeChart}<figcaption>Cumulative deliveries against what had been sent; shaded: partitions and injected loss.</figcaption></figure>
<h2>Figures</h2>
${figuresTable(r)}
<p class="generated">Generated ${esc(generatedAt.toISOString())} by p2pchat sim.</p>
</body></html>
`
}
