/**
 * What one simulator run is asked to do: the mode, the workload, the faults and
 * the outputs, as one typed `SimConfig` with named defaults. `resolveSimConfig`
 * spreads a partial config over the defaults and checks the combination
 * (flags that one mode cannot honour are refused, not ignored).
 */

import { P2pchatError } from '../errors.js'
import type { ChannelOptions } from '../reliability/index.js'

/** One scheduled partition: at `atMs` after sending starts, for `forMs`, `split` of the nodes on one side. */
export interface PartitionSpec {
  atMs: number
  forMs: number
  /** Fraction of the nodes in the first group (0 < split < 1). */
  split: number
}

/** Churn: nodes crash at `ratePerSec` (network-wide, during sending) and come back after `downtimeMs`. */
export interface ChurnSpec {
  ratePerSec: number
  downtimeMs: number
}

/** Gossipsub mesh tuning for live mode (unset = the chat's defaults). */
export interface GossipTuning {
  D?: number
  Dlo?: number
  Dhi?: number
  heartbeatMs?: number
  /** Send own messages to every topic peer (gossipsub's default) or only to the mesh. */
  floodPublish?: boolean
  /** Drop duplicate copies by (from, seqno) before verifying their signature. */
  fastMsgId?: boolean
  /** Smallest message for which gossipsub sends IDONTWANT (bytes). */
  idontwantMinBytes?: number
}

/**
 * How live nodes find each other: `rendezvous` as the chat does (all bootstrap from node 0,
 * then the DHT rendezvous dials found room peers up to its target of 8: a full mesh up to 9
 * nodes, a random graph of degree 8 to ~16 above), or
 * `random` (rendezvous off; each node dials `degree` random earlier nodes: a sparse graph).
 */
export type Topology = { kind: 'rendezvous' } | { kind: 'random', degree: number }

/** Where the nodes run. */
export type SimMode = 'model' | 'live' | 'procs'

/** Every setting of a simulator run. */
export interface SimConfig {
  /** `model`: reliability core over the in-memory network; `live`: LiveSessions on loopback; `procs`: spawned CLIs. @default 'model' */
  mode: SimMode
  /** Participants (with `procs`: processes). @default 10 */
  nodes: number
  /** Content messages sent. @default 100 */
  messages: number
  /** Messages per second, network-wide. @default 10 */
  rate: number
  /** How many distinct nodes send (0 = all). @default 0 */
  senders: number
  /** Text bytes per message (a key plus padding). @default 64 */
  size: number
  /** Seed of every random choice of the simulator. @default 1 */
  seed: number
  /** Message-level drop probability at the gossipsub-to-core boundary, while sending. @default 0 */
  loss: number
  /** Duplication probability per copy (model only). @default 0 */
  dup: number
  /** Reorder probability per copy (model only). @default 0 */
  reorder: number
  /** Scheduled partitions. @default [] */
  partitions: PartitionSpec[]
  /** Crash/restart churn, or undefined for none. */
  churn?: ChurnSpec
  /** How many of the nodes join late (halfway through sending). @default 0 */
  lateJoin: number
  /** Run the reliability core (false = raw broadcast / raw gossipsub). @default true */
  reliability: boolean
  /** Model: announce presence (`auto`: up to 1,000 participants; benchmarks of repair alone turn it off). @default 'auto' */
  presence: 'auto' | 'off'
  /** Reliability-core tuning of every node (numeric and boolean options only). @default {} */
  channel: Partial<ChannelOptions>
  /** Gossipsub mesh parameters (live and procs modes). @default {} */
  gossip: GossipTuning
  /**
   * Live mode: when a partition heals, every node starts a rendezvous search at once (as a
   * network-change signal would), instead of waiting for its backed-off search loop. @default false
   */
  healRediscover: boolean
  /** Live mode: how nodes find each other. @default rendezvous */
  topology: Topology
  /** Live mode: worker processes hosting the nodes (0 = this process). @default 0 */
  workers: number
  /** The rooms' broadcast paths (model: the flat broadcast stands in for gossipsub). @default 'gossipsub' */
  paths: 'gossipsub' | 'raintree+gossipsub' | 'raintree'
  /** Share of nodes that take RainTree copies but never forward or ACK them (0–1). @default 0 */
  nonForwarding: number
  /** Model mode: base one-way link latency (ms). @default 20 */
  latencyMs: number
  /** Model mode: uniform extra latency in [0, jitter) per copy (ms). @default 10 */
  jitterMs: number
  /** Live modes: quiet time after the network formed, before sending (ms). @default 2000 */
  warmupMs: number
  /** Longest wait for convergence after the last send (ms; virtual in model mode). @default 60000 */
  timeoutMs: number
  /** The room (topic) of live runs; a fresh one per run when empty. @default '' */
  topic: string
  /** Print the report as JSON instead of a table. @default false */
  json: boolean
  /** Write a self-contained HTML report here. */
  report?: string
  /** Write a CPU profile of the measured phase here (and list its top entries). */
  cpuProf?: string
  /** Exit with code 3 when reliability is on and a guarantee was broken. @default false */
  check: boolean
}

/** The defaults of every setting. */
export const DEFAULT_SIM_CONFIG: Readonly<SimConfig> = Object.freeze({
  mode: 'model',
  nodes: 10,
  messages: 100,
  rate: 10,
  senders: 0,
  size: 64,
  seed: 1,
  loss: 0,
  dup: 0,
  reorder: 0,
  partitions: [],
  lateJoin: 0,
  reliability: true,
  presence: 'auto',
  channel: {},
  gossip: {},
  topology: { kind: 'rendezvous' } as Topology,
  healRediscover: false,
  workers: 0,
  paths: 'gossipsub',
  nonForwarding: 0,
  latencyMs: 20,
  jitterMs: 10,
  warmupMs: 2000,
  timeoutMs: 60_000,
  topic: '',
  json: false,
  check: false
})

/** Most processes `--procs` spawns: each is a full node (~110 MB, its own event loop) on a small machine. */
export const MAX_PROCS = 64
/** Most live nodes in one run (in-process or across workers). */
export const MAX_LIVE_NODES = 400
/** Upper bound of nodes × messages in model mode (the delivery ledger keeps 8 bytes per pair). */
export const MAX_MODEL_PAIRS = 50_000_000

function invalid (message: string): P2pchatError {
  return new P2pchatError('INVALID_FLAG', message)
}

/** Spreads `partial` over the defaults and checks the combination; throws P2pchatError('INVALID_FLAG') with one line. */
export function resolveSimConfig (partial: Partial<SimConfig> = {}): SimConfig {
  const config: SimConfig = { ...DEFAULT_SIM_CONFIG, ...partial }
  const { mode } = config
  if (config.nodes < 2) throw invalid('--nodes must be at least 2')
  if (config.lateJoin >= config.nodes) throw invalid(`--late-join ${config.lateJoin} must be below --nodes ${config.nodes}`)
  if (config.senders > config.nodes - config.lateJoin) throw invalid(`--senders ${config.senders} exceeds the ${config.nodes - config.lateJoin} nodes present from the start`)
  if (mode === 'procs') {
    if (config.nodes > MAX_PROCS) throw invalid(`--procs is limited to ${MAX_PROCS} processes`)
    if (config.loss > 0 || config.dup > 0 || config.reorder > 0 || config.partitions.length > 0) throw invalid('--loss, --dup, --reorder and --partition need --mode live or model (spawned processes have no fault hooks)')
    if (!config.reliability) throw invalid('--no-reliability needs --mode live or model (the chat CLI always runs the reliability core)')
    if (config.workers > 0) throw invalid('--workers applies to --mode live only')
    if (Object.keys(config.gossip).length > 0) throw invalid('gossipsub flags apply to --mode live (spawned processes use the chat\'s settings)')
    if (config.topology.kind !== 'rendezvous') throw invalid('--topology applies to --mode live only (spawned processes find each other as the chat does)')
  }
  if (config.healRediscover && (mode !== 'live' || config.partitions.length === 0)) throw invalid('--heal-rediscover applies to --mode live with --partition')
  if (mode === 'live' && config.nodes > MAX_LIVE_NODES) throw invalid(`--mode live is limited to ${MAX_LIVE_NODES} nodes; use --mode model for more`)
  if (mode === 'model') {
    if (config.workers > 0) throw invalid('--workers applies to --mode live only')
    if (config.topology.kind !== 'rendezvous') throw invalid('--topology applies to --mode live only')
    if (Object.keys(config.gossip).length > 0) throw invalid('--D, --Dlo, --Dhi, --heartbeat and the other gossipsub flags apply to --mode live')
    if (config.nodes * config.messages > MAX_MODEL_PAIRS) throw invalid(`--nodes x --messages must stay below ${MAX_MODEL_PAIRS.toLocaleString('en')}`)
  }
  const { D, Dlo, Dhi } = config.gossip
  if (D !== undefined && Dlo !== undefined && Dlo > D) throw invalid(`--Dlo ${Dlo} must not exceed --D ${D}`)
  if (D !== undefined && Dhi !== undefined && Dhi < D) throw invalid(`--Dhi ${Dhi} must not be below --D ${D}`)
  if (config.workers > config.nodes) throw invalid(`--workers ${config.workers} exceeds --nodes ${config.nodes}`)
  if (mode === 'procs' && (config.paths !== 'gossipsub' || config.nonForwarding > 0)) throw invalid('--paths and --non-forwarding apply to --mode live and model')
  if (config.nonForwarding > 0 && config.paths === 'gossipsub') throw invalid('--non-forwarding needs --paths raintree+gossipsub or raintree (it silences RainTree forwarding)')
  return config
}
