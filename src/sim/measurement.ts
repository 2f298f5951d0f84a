/**
 * What a driver (model, live, procs) hands to the analyser after a run: the plan
 * it executed, the delivery ledger it filled, and the resource and traffic figures
 * it measured. Everything here was observed, none of it assumed.
 */

import type { SimConfig } from './config.js'
import type { DeliveryLedger } from './ledger.js'
import type { RunPlan } from './plan.js'

/** Bytes on the wire during the measured phase, as far as the mode can see them. */
export interface TrafficFigures {
  /** Every byte counted (see `scope`). */
  wireBytes: number
  /** The application payload part (encoded chat content of every delivered copy). */
  payloadBytes: number
  /** Per kind of traffic, when the mode can tell them apart. */
  breakdown: Record<string, number>
  /** What the count covers, in one line. */
  scope: string
}

/** One entry of a CPU profile's top list. */
export interface ProfileEntry {
  /** Function name and source location. */
  name: string
  /** Share of the sampled time, 0..1. */
  share: number
  /** True for an aggregate by package rather than a function. */
  aggregate?: boolean
}

/** A CPU profile of the measured phase. */
export interface ProfileSummary {
  /** The .cpuprofile file(s) written. */
  files: string[]
  /** Top functions by self time. */
  top: ProfileEntry[]
  /** Top packages by self time. */
  packages: ProfileEntry[]
}

/** Everything measured in one run. */
export interface RunMeasurement {
  config: SimConfig
  plan: RunPlan
  ledger: DeliveryLedger
  /** When measuring stopped, ms after the first send. */
  endAt: number
  /** True when every expected delivery happened before the timeout. */
  converged: boolean
  /** Wall time of the whole run including setup (ms). */
  wallMs: number
  /** Wall time to form the network (ms). */
  setupMs: number
  /** Wall time of the measured phase: first send until the end (ms). For the model, virtual time is `endAt`. */
  measuredWallMs: number
  /** Processes that hosted the nodes (1 for in-process modes). */
  processes: number
  traffic?: TrafficFigures
  /** Protocol overhead of each first broadcast of a content message: encoded size minus payload (bytes). */
  messageOverhead: number[]
  /** Copies received again after the first, by layer (e.g. gossipsub, core). */
  duplicatesReceived: Record<string, number>
  /** Pull requests made, all nodes. */
  pulls: number
  /** Resends of own messages, all nodes. */
  resends: number
  /** CPU time of all hosting processes during the measured phase (ms). */
  cpuMs: { user: number, system: number }
  /** Memory of all hosting processes at the end (bytes). */
  memory: { rss: number, heapUsed: number }
  profile?: ProfileSummary
  /** After each partition healed (live): ms until the first node, and until every node, had a connection across the cut (NaN = never seen). */
  reconnect?: Array<{ end: number, firstMs: number, allMs: number }>
  /** Event-loop delay of each hosting process (ms), live mode only. */
  eventLoop?: Array<{ p50: number, p99: number, max: number }>
  /** False when the mode cannot see causal histories (`--procs`). @default true */
  causalChecked?: boolean
  /** Remarks the reader needs (e.g. what a figure does not cover). */
  notes: string[]
}
