/**
 * Turns what a run measured into the report: delivery ratio and losses,
 * duplicates and causal violations from the ledger, latency and time to reach
 * 50/95/100 % of the nodes, wire bytes per delivery, recovery after each fault
 * window, resources per node, and the series the charts draw.
 */

import type { RunMeasurement } from './measurement.js'
import type { RecoveryFigures, ReachFigures, SimReport } from './report-types.js'
import { percentileSorted, summarize } from './stats.js'

const SHARES = [0.5, 0.95, 1]
const TIMELINE_BUCKETS = 120
const CDF_POINTS = 200

/** Send-to-UI time (ms) of every expected delivery of a run. */
export function deliveryLatencies (m: RunMeasurement): number[] {
  const { ledger } = m
  const out: number[] = []
  for (let i = 0; i < ledger.messages; i++) {
    const sentAt = ledger.sentAt[i]
    if (Number.isNaN(sentAt)) continue
    for (let n = 0; n < ledger.nodes; n++) {
      const at = ledger.firstAt[n][i]
      if (!Number.isNaN(at) && ledger.expects(n, i)) out.push(Math.max(0, at - sentAt))
    }
  }
  return out
}

/** Deliveries that followed one of their dependencies at the same node within 0.5 ms (released from the causal buffer). */
function heldBack (m: RunMeasurement): SimReport['heldBack'] {
  if (m.config.mode === 'model' || !m.config.reliability || m.causalChecked === false) return undefined
  const { ledger } = m
  const held: number[] = []
  let total = 0
  for (let i = 0; i < ledger.messages; i++) {
    const sentAt = ledger.sentAt[i]
    if (Number.isNaN(sentAt)) continue
    const deps = ledger.depsOf(i)
    for (let n = 0; n < ledger.nodes; n++) {
      const at = ledger.firstAt[n][i]
      if (Number.isNaN(at) || !ledger.expects(n, i)) continue
      total++
      if (deps.some(d => { const depAt = ledger.firstAt[n][d]; return depAt <= at && at - depAt < 0.5 })) held.push(at - sentAt)
    }
  }
  return { count: held.length, share: total > 0 ? held.length / total : 0, latency: summarize(held) }
}

/** Builds the report of a run. */
export function analyze (m: RunMeasurement): SimReport {
  const { ledger, plan, config } = m
  const totals = ledger.totals()
  const latencies: number[] = []
  const perShare = SHARES.map(() => [] as number[])
  const never = SHARES.map(() => 0)
  for (let i = 0; i < ledger.messages; i++) {
    const sentAt = ledger.sentAt[i]
    if (Number.isNaN(sentAt)) continue
    const delays: number[] = []
    let recipients = 0
    for (let n = 0; n < ledger.nodes; n++) {
      if (!ledger.expects(n, i)) continue
      recipients++
      const at = ledger.firstAt[n][i]
      if (!Number.isNaN(at)) delays.push(Math.max(0, at - sentAt))
    }
    if (recipients === 0) continue
    for (const d of delays) latencies.push(d)
    delays.sort((a, b) => a - b)
    SHARES.forEach((share, k) => {
      const needed = Math.max(1, Math.ceil(share * recipients))
      if (delays.length >= needed) perShare[k].push(delays[needed - 1])
      else never[k]++
    })
  }
  const reach: ReachFigures[] = SHARES.map((share, k) => {
    const sorted = Float64Array.from(perShare[k]).sort()
    return { share, p50: percentileSorted(sorted, 50), p99: percentileSorted(sorted, 99), never: never[k] }
  })

  const messages = plan.sends.length
  const receiversPerMessage = Math.max(1, plan.nodes - 1)
  const deliveries = totals.delivered + totals.catchUp
  const cpuMs = m.cpuMs.user + m.cpuMs.system
  const problems: string[] = []
  if (config.reliability) {
    if (totals.expected - totals.delivered > 0) problems.push(`${totals.expected - totals.delivered} expected deliveries never happened`)
    if (totals.duplicatesToUi > 0) problems.push(`${totals.duplicatesToUi} duplicates reached a UI`)
    if (m.causalChecked !== false && totals.causalViolations > 0) problems.push(`${totals.causalViolations} deliveries out of causal order`)
  }
  const dupPer: Record<string, number> = {}
  for (const [layer, count] of Object.entries(m.duplicatesReceived)) dupPer[layer] = count / (messages * receiversPerMessage)

  return {
    config: configSummary(m),
    run: {
      mode: config.mode,
      reliability: config.reliability,
      nodes: plan.nodes,
      messages,
      processes: m.processes,
      converged: m.converged,
      wallMs: m.wallMs,
      setupMs: m.setupMs,
      measuredMs: m.endAt
    },
    delivery: {
      ratio: totals.expected > 0 ? totals.delivered / totals.expected : 1,
      expected: totals.expected,
      delivered: totals.delivered,
      lost: totals.expected - totals.delivered,
      messagesNotEverywhere: totals.messagesNotEverywhere,
      duplicatesToUi: totals.duplicatesToUi,
      causalViolations: m.causalChecked === false ? null : totals.causalViolations,
      catchUp: totals.catchUp,
      gapped: totals.gapped
    },
    latency: summarize(latencies),
    ...(m.config.mode !== 'model' && m.config.reliability && m.causalChecked !== false ? { heldBack: heldBack(m) } : {}),
    reach,
    ...(m.traffic !== undefined && deliveries > 0
      ? {
          wire: {
            bytesPerDelivery: m.traffic.wireBytes / deliveries,
            payloadPerDelivery: m.traffic.payloadBytes / deliveries,
            overheadPerDelivery: (m.traffic.wireBytes - m.traffic.payloadBytes) / deliveries,
            breakdownPerDelivery: Object.fromEntries(Object.entries(m.traffic.breakdown).map(([k, v]) => [k, v / deliveries])),
            scope: m.traffic.scope
          }
        }
      : {}),
    messageOverhead: summarize(m.messageOverhead),
    duplicatesPerMessagePerNode: dupPer,
    pullsPerMessage: m.pulls / messages,
    resendsPerMessage: m.resends / messages,
    recovery: recoveries(m),
    resources: {
      cpuMs,
      cpuMsPerNode: cpuMs / plan.nodes,
      cpuUtilization: m.measuredWallMs > 0 ? cpuMs / m.measuredWallMs / m.processes : 0,
      rssBytes: m.memory.rss,
      rssBytesPerNode: m.memory.rss / plan.nodes,
      heapBytesPerNode: m.memory.heapUsed / plan.nodes,
      ...(m.eventLoop !== undefined ? { eventLoop: m.eventLoop } : {})
    },
    timeline: timeline(m),
    cdf: cdf(latencies),
    partitions: plan.partitions.map(p => ({ start: p.start, end: p.end, groupA: p.groupA.length })),
    ...(m.profile !== undefined ? { profile: m.profile } : {}),
    problems,
    notes: m.notes
  }
}

function configSummary (m: RunMeasurement): Record<string, unknown> {
  const c = m.config
  return {
    mode: c.mode,
    nodes: c.nodes,
    messages: c.messages,
    rate: c.rate,
    senders: c.senders === 0 ? c.nodes - c.lateJoin : c.senders,
    size: c.size,
    seed: c.seed,
    loss: c.loss,
    dup: c.dup,
    reorder: c.reorder,
    partitions: c.partitions,
    churn: c.churn ?? null,
    lateJoin: c.lateJoin,
    reliability: c.reliability,
    ...(c.mode === 'model' ? { latencyMs: c.latencyMs, jitterMs: c.jitterMs } : { gossip: c.gossip, workers: c.workers, warmupMs: c.warmupMs }),
    timeoutMs: c.timeoutMs
  }
}

/** Deliveries outstanding when each fault window ended, and how long they took after it. */
function recoveries (m: RunMeasurement): RecoveryFigures[] {
  const windows: Array<{ kind: 'partition' | 'loss', start: number, end: number }> = m.plan.partitions.map(p => ({ kind: 'partition' as const, start: p.start, end: p.end }))
  if (m.config.loss > 0) windows.push({ kind: 'loss', start: 0, end: m.plan.lossEnd })
  const { ledger } = m
  return windows.map(w => {
    const times: number[] = []
    let missing = 0
    for (let i = 0; i < ledger.messages; i++) {
      if (!(ledger.sentAt[i] <= w.end)) continue
      for (let n = 0; n < ledger.nodes; n++) {
        if (!ledger.expects(n, i)) continue
        const at = ledger.firstAt[n][i]
        if (Number.isNaN(at)) missing++
        else if (at > w.end) times.push(at - w.end)
      }
    }
    const recovery = summarize(times)
    const reconnect = w.kind === 'partition' ? m.reconnect?.find(r => r.end === w.end) : undefined
    return {
      ...w,
      ...(reconnect !== undefined ? { reconnect: { firstMs: reconnect.firstMs, allMs: reconnect.allMs } } : {}),
      outstanding: times.length + missing,
      recovery,
      convergenceMs: missing > 0 ? Number.NaN : times.length === 0 ? 0 : recovery.max
    }
  })
}

function timeline (m: RunMeasurement): SimReport['timeline'] {
  const { ledger } = m
  const end = Math.max(1, m.endAt)
  const bucketMs = Math.max(1, Math.ceil(end / TIMELINE_BUCKETS))
  const buckets = Math.ceil(end / bucketMs) + 1
  const delivered = new Array<number>(buckets).fill(0)
  const expected = new Array<number>(buckets).fill(0)
  for (let i = 0; i < ledger.messages; i++) {
    const sentAt = ledger.sentAt[i]
    if (Number.isNaN(sentAt)) continue
    for (let n = 0; n < ledger.nodes; n++) {
      if (!ledger.expects(n, i)) continue
      expected[Math.min(buckets - 1, Math.max(0, Math.floor(sentAt / bucketMs)))]++
      const at = ledger.firstAt[n][i]
      if (!Number.isNaN(at)) delivered[Math.min(buckets - 1, Math.max(0, Math.floor(at / bucketMs)))]++
    }
  }
  for (let b = 1; b < buckets; b++) { delivered[b] += delivered[b - 1]; expected[b] += expected[b - 1] }
  return { bucketMs, delivered, expected }
}

function cdf (latencies: number[]): Array<[number, number]> {
  const sorted = Float64Array.from(latencies).sort()
  if (sorted.length === 0) return []
  const points: Array<[number, number]> = []
  const step = Math.max(1, Math.floor(sorted.length / CDF_POINTS))
  for (let i = step - 1; i < sorted.length; i += step) points.push([sorted[i], (i + 1) / sorted.length])
  if (points[points.length - 1][1] < 1) points.push([sorted[sorted.length - 1], 1])
  return points
}
