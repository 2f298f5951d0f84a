/**
 * The human report: a compact table of every figure, for the terminal.
 */

import { fmtBytes, fmtCount, fmtMs, fmtPercent, fmtRate } from './format.js'
import type { SimReport } from './report-types.js'

function title (r: SimReport): string {
  const c = r.config
  const faults: string[] = []
  if (Number(c.loss) > 0) faults.push(`loss ${fmtPercent(Number(c.loss))}`)
  if (Number(c.dup) > 0) faults.push(`dup ${fmtPercent(Number(c.dup))}`)
  if (Number(c.reorder) > 0) faults.push(`reorder ${fmtPercent(Number(c.reorder))}`)
  if (r.partitions.length > 0) faults.push(`${r.partitions.length} partition(s)`)
  if (c.churn !== null) faults.push('churn')
  if (Number(c.lateJoin) > 0) faults.push(`${String(c.lateJoin)} late joiners`)
  const where = r.run.mode === 'live' && r.run.processes > 1 ? ` in ${r.run.processes} processes` : ''
  return `p2pchat sim: ${r.run.mode}${where}, ${fmtCount(r.run.nodes)} nodes, ${fmtCount(r.run.messages)} messages at ${String(c.rate)}/s from ${String(c.senders)} senders, ` +
    `reliability ${r.run.reliability ? 'on' : 'off'}, seed ${String(c.seed)}${faults.length > 0 ? ', ' + faults.join(', ') : ''}`
}

/** Renders the report as lines of text (no colour). */
export function reportTable (r: SimReport): string[] {
  const rows = reportRows(r)
  const width = Math.max(...rows.map(([k]) => k.length))
  return [title(r), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)]
}

/** Every figure of the report as (label, text) rows; a continuation row has an empty label. */
export function reportRows (r: SimReport): Array<[string, string]> {
  const rows: Array<[string, string]> = []
  const d = r.delivery
  const virtual = r.run.mode === 'model' ? ' (virtual)' : ''
  const ended = r.run.converged ? 'converged' : r.run.reliability ? 'NOT converged (timeout)' : 'ended incomplete (nothing repairs losses)'
  rows.push(['run', `${ended} ${fmtMs(r.run.measuredMs)}${virtual} after the first send; setup ${fmtMs(r.run.setupMs)}, wall ${fmtMs(r.run.wallMs)}`])
  rows.push(['delivery', `${fmtPercent(d.ratio)} (${fmtCount(d.delivered)} / ${fmtCount(d.expected)})  lost ${fmtCount(d.lost)}  duplicated to UI ${fmtCount(d.duplicatesToUi)}  out of causal order ${d.causalViolations === null ? 'not checked' : fmtCount(d.causalViolations)}` +
    (d.catchUp > 0 ? `  catch-up ${fmtCount(d.catchUp)}` : '') + (d.gapped > 0 ? `  released with a gap ${fmtCount(d.gapped)}` : '')])
  rows.push(['latency', `p50 ${fmtMs(r.latency.median)}  p90 ${fmtMs(r.latency.p90)}  p99 ${fmtMs(r.latency.p99)}  max ${fmtMs(r.latency.max)}  (send to UI, every delivery)`])
  if (r.heldBack !== undefined && r.heldBack.count > 0) {
    rows.push(['held back', `${fmtPercent(r.heldBack.share)} of deliveries waited in the causal buffer for a dependency (their p50 ${fmtMs(r.heldBack.latency.median)}, p99 ${fmtMs(r.heldBack.latency.p99)})`])
  }
  rows.push(['reach', r.reach.map(x => `${Math.round(x.share * 100)} %: p50 ${fmtMs(x.p50)} p99 ${fmtMs(x.p99)}${x.never > 0 ? ` (${fmtCount(x.never)} never)` : ''}`).join('   ')])
  if (r.wire !== undefined) {
    const parts = Object.entries(r.wire.breakdownPerDelivery).map(([k, v]) => `${k} ${fmtBytes(v)}`).join(', ')
    rows.push(['wire', `${fmtBytes(r.wire.bytesPerDelivery)} per delivered message = ${fmtBytes(r.wire.payloadPerDelivery)} payload + ${fmtBytes(r.wire.overheadPerDelivery)} overhead${parts.length > 0 ? ` (${parts})` : ''}`])
    rows.push(['', `counts ${r.wire.scope}`])
  }
  if (r.messageOverhead.n > 0 && r.run.reliability) rows.push(['overhead', `per content message as broadcast: median ${fmtBytes(r.messageOverhead.median)}, p99 ${fmtBytes(r.messageOverhead.p99)}`])
  const dups = Object.entries(r.duplicatesPerMessagePerNode).map(([k, v]) => `${k} ${fmtRate(v)}`).join(', ')
  rows.push(['repair', `pulls ${fmtRate(r.pullsPerMessage)} / message, resends ${fmtRate(r.resendsPerMessage)} / message, duplicates received per message per node: ${dups || '-'}`])
  for (const rec of r.recovery) {
    const what = rec.kind === 'partition' ? `partition ${fmtMs(rec.start)}-${fmtMs(rec.end)}` : `loss until ${fmtMs(rec.end)}`
    rows.push(['recovery', `${what}: ${fmtCount(rec.outstanding)} outstanding at the end, delivered after p50 ${fmtMs(rec.recovery.median)} p99 ${fmtMs(rec.recovery.p99)}, converged ${Number.isNaN(rec.convergenceMs) ? 'never' : 'after ' + fmtMs(rec.convergenceMs)}` +
      (rec.reconnect !== undefined ? `; first connection across the cut after ${fmtMs(rec.reconnect.firstMs)}, every node after ${fmtMs(rec.reconnect.allMs)}` : '')])
  }
  const res = r.resources
  rows.push(['resources', `CPU ${fmtMs(res.cpuMs)} (${fmtMs(res.cpuMsPerNode)} per node, ${(res.cpuUtilization * 100).toFixed(0)} % of a core per process), RSS ${fmtBytes(res.rssBytes)} (${fmtBytes(res.rssBytesPerNode)} per node), heap ${Number.isFinite(res.heapBytesPerNode) ? fmtBytes(res.heapBytesPerNode) + ' per node' : 'not visible'}`])
  if (res.eventLoop !== undefined && res.eventLoop.length > 0) {
    rows.push(['event loop', res.eventLoop.map((e, i) => `${res.eventLoop !== undefined && res.eventLoop.length > 1 ? `process ${i + 1}: ` : ''}delay p50 ${fmtMs(e.p50)} p99 ${fmtMs(e.p99)} max ${fmtMs(e.max)}`).join('; ')])
  }
  if (r.profile !== undefined) {
    rows.push(['profile', r.profile.files.join(', ')])
    for (const e of r.profile.top.slice(0, 10)) rows.push(['', `${(e.share * 100).toFixed(1).padStart(5)} %  ${e.name}`])
    rows.push(['', 'by package: ' + r.profile.packages.slice(0, 8).map(e => `${e.name} ${(e.share * 100).toFixed(1)} %`).join(', ')])
  }
  if (r.run.reliability) {
    const held = d.causalViolations === null ? 'nothing lost, no duplicate shown (causal order not checked)' : 'nothing lost, no duplicate shown, causal order kept'
    rows.push(['checks', r.problems.length === 0 ? `every guarantee held: ${held}` : 'BROKEN: ' + r.problems.join('; ')])
  }
  for (const note of r.notes) rows.push(['note', note])
  return rows
}
