/**
 * The simulator's report: every figure of a run, as plain JSON-ready data.
 * `--json` prints it; the table and the HTML page render it.
 */

import type { ProfileSummary } from './measurement.js'
import type { SimMode } from './config.js'
import type { Summary } from './stats.js'

/** Time (ms after the send) for a message to reach a share of its expected nodes: p50 and p99 over messages. */
export interface ReachFigures {
  /** Share of the expected nodes (0.5, 0.95, 1). */
  share: number
  p50: number
  p99: number
  /** Messages that never reached this share. */
  never: number
}

/** Recovery after one fault window ended (partition healed, loss stopped). */
export interface RecoveryFigures {
  kind: 'partition' | 'loss'
  /** Window, ms after the first send. */
  start: number
  end: number
  /** Deliveries still outstanding when the window ended. */
  outstanding: number
  /** Time after the end at which they were delivered (ms). */
  recovery: Summary
  /** Time after the end until every outstanding delivery was made (NaN when some never were). */
  convergenceMs: number
  /** Partitions in live mode: time after the heal until the first node, and every node, had a connection across the cut. */
  reconnect?: { firstMs: number, allMs: number }
}

/** The whole report. */
export interface SimReport {
  /** The command-line-equivalent settings. */
  config: Record<string, unknown>
  run: {
    mode: SimMode
    reliability: boolean
    nodes: number
    messages: number
    processes: number
    /** True when every expected delivery happened before the timeout. */
    converged: boolean
    wallMs: number
    setupMs: number
    /** Length of the measured phase (ms; virtual for the model). */
    measuredMs: number
  }
  delivery: {
    /** Delivered / expected (node, message) pairs. */
    ratio: number
    expected: number
    delivered: number
    /** Expected pairs never delivered. */
    lost: number
    /** Messages some expected node never delivered. */
    messagesNotEverywhere: number
    duplicatesToUi: number
    /** Deliveries before one of their dependencies (null when the mode cannot check it). */
    causalViolations: number | null
    /** Deliveries of messages older than the receiver's join (catch-up, not expected). */
    catchUp: number
    /** Deliveries released with an announced gap (a dependency declared lost). */
    gapped: number
  }
  /** Send-to-UI time of every expected delivery (ms). */
  latency: Summary
  /**
   * Deliveries made within 0.5 ms after one of their dependencies at the same node (live
   * modes): held in the causal buffer until it arrived, so their latency includes the wait.
   */
  heldBack?: { count: number, share: number, latency: Summary }
  /** Time to reach 50 %, 95 % and 100 % of the expected nodes. */
  reach: ReachFigures[]
  wire?: {
    bytesPerDelivery: number
    payloadPerDelivery: number
    overheadPerDelivery: number
    breakdownPerDelivery: Record<string, number>
    scope: string
  }
  /** Protocol overhead of one content message as broadcast (encoded size minus payload). */
  messageOverhead: Summary
  /** Copies received again (after the first), per message per node, by layer. */
  duplicatesPerMessagePerNode: Record<string, number>
  pullsPerMessage: number
  resendsPerMessage: number
  recovery: RecoveryFigures[]
  resources: {
    cpuMs: number
    cpuMsPerNode: number
    /** CPU time / measured wall time / processes (1 = one core busy per process). */
    cpuUtilization: number
    rssBytes: number
    rssBytesPerNode: number
    heapBytesPerNode: number
    /** Event-loop delay per hosting process (ms), live mode: how long ready work waited. */
    eventLoop?: Array<{ p50: number, p99: number, max: number }>
  }
  /** Cumulative deliveries and expected deliveries per time bucket, for the chart. */
  timeline: { bucketMs: number, delivered: number[], expected: number[] }
  /** The latency CDF at up to 200 points: [ms, share]. */
  cdf: Array<[number, number]>
  /** Partition windows (ms after the first send). */
  partitions: Array<{ start: number, end: number, groupA: number }>
  profile?: ProfileSummary
  /** Guarantees broken with reliability on (empty = all held). */
  problems: string[]
  notes: string[]
}
