/**
 * Types of the model network: its options (with defaults), what it records about
 * each participant, and what it remembers about each sent message.
 */
import type { ModelRainTreeOptions } from './model-raintree.js'
import type { ChannelEvent, ChannelOptions, DeliveredEvent, MessageId, PullRequest, ReliableChannel, ReliableMessage } from '../reliability/index.js'
import type { PresenceOptions } from '../presence/index.js'
import type { Participant } from './participant.js'

/** Settings of a model network. */
export interface ModelNetworkOptions {
  /** PRNG seed for every fault and delay decision. @default 1 */
  seed: number
  /** Participant ids, or a count (ids `p0`, `p1`, ...). @default 3 */
  nodes: number | string[]
  /** The channel (topic) all participants share. @default 'sim' */
  channelId: string
  /** Base one-way delay. @default 20 */
  latencyMs: number
  /** Uniform extra delay in [0, jitterMs): reorders messages. @default 10 */
  jitterMs: number
  /** Probability that one copy on one link is lost (overridable per link). @default 0 */
  dropRate: number
  /** Probability that a copy is delivered twice. @default 0 */
  duplicateRate: number
  /** Probability that a copy is held back by up to `reorderDelayMs` more. @default 0 */
  reorderRate: number
  /** Largest extra hold-back of a reordered copy. @default 200 */
  reorderDelayMs: number
  /** Interval at which every live node's `tick` runs. @default 100 */
  tickIntervalMs: number
  /**
   * What runs at each node: `driver` is the room driver (the code a live room runs: pull
   * slots, queue, holder order and fallback, sync-on-join, presence); `core` is the bare
   * reliability core, for the core's own tests. @default 'core'
   */
  participant: 'core' | 'driver'
  /** Bare core only: further candidates a requester tries when its pull target is unreachable. @default 2 */
  pullFallbacks: number
  /** Driver only: a pull attempt that was lost, or whose peer is unreachable, fails after this long (the live pull timeout). @default 3000 */
  pullTimeoutMs: number
  /** Virtual time at the start (ms; a realistic epoch value gives realistic varint sizes). @default 0 */
  startAt: number
  /** Driver only: presence options of every node. */
  presenceOptions: Partial<PresenceOptions>
  /** Driver only: nodes announce presence (off for very large rooms: full-broadcast presence costs N² copies). @default true */
  presence: boolean
  /** Driver only: with presence, nodes run SWIM failure detection (probes and suspicions). @default true */
  probing: boolean
  /**
   * Driver only: with presence, only these nodes announce (and probe); the others keep the roster
   * they hear and know the room's size. Lets a 10,000-node model watch a crash without every node
   * flooding N records (N² copies). @default every node
   */
  announcers?: (id: string) => boolean
  /**
   * Driver only: how many peers each node is connected to, like a gossipsub mesh: the next
   * reachable ones on a ring of all nodes. They are its topic peers and the peers its pulls
   * try first; any reachable node can still be pulled from. Broadcasts still reach every node. @default 8
   */
  meshSize: number
  /**
   * Driver only: a neighbour lost to a crash or a partition is reported unreachable (as the live
   * redialer's failed dial does) this long after the loss (ms). @default 500
   */
  redialFailMs: number
  /** Driver only: a helper's own ping of the target for an indirect probe gives up after this long (the live probe timeout). @default 500 */
  probeTimeoutMs: number
  /** Options of each channel (a function may vary them per node and incarnation). */
  channelOptions: Partial<ChannelOptions> | ((id: string, incarnation: number) => Partial<ChannelOptions>)
  /** Keep every delivered event per node (turn off for very large runs). @default true */
  recordDeliveries: boolean
  /** Keep every event per node. @default false */
  recordEvents: boolean
  /** Called for every event of every node. */
  onEvent?: (node: string, event: ChannelEvent, now: number) => void
  /** Message hook: return false to drop this copy (after the other faults). */
  filter?: (from: string, to: string, msg: ReliableMessage) => boolean
  /** Encoded sizes of what goes on the wire; when given, `metrics.bytes` is counted. */
  sizer?: WireSizer
  /** Broadcast with RainTree (alone, or beside the flat broadcast); undefined: flat only. */
  raintree?: ModelRainTreeOptions
}

/** Computes the encoded size of each kind of traffic (the simulator uses the wire codec). */
export interface WireSizer {
  /** Bytes of one copy of a broadcast message. */
  message: (msg: ReliableMessage) => number
  /** Bytes of a pull request (a deep one carries the requester's filter). */
  pullRequest: (request: PullRequest) => number
  /** Bytes of a pull answer carrying `msgs`. */
  pullAnswer: (msgs: ReliableMessage[]) => number
}

/** What the network tracks about one participant (current incarnation). */
export interface SimNode {
  readonly id: string
  /** What runs here (the room driver or the bare core). */
  participant: Participant
  /** The participant's reliability core. */
  channel: ReliableChannel
  alive: boolean
  /** While the virtual time is below this, the node is paused (SIGSTOP). */
  pausedUntil?: number
  /** 0 for the first start, +1 per restart. */
  incarnation: number
  /** Virtual time this incarnation started. */
  startedAt: number
  /** Content deliveries of this incarnation, in delivery order (if recorded). */
  delivered: DeliveredEvent[]
  /** Virtual time of each recorded delivery. */
  deliveredAt: number[]
  /** Content deliveries of this incarnation (always counted). */
  deliveredCount: number
  ephemeralCount: number
  /** Ids this incarnation declared lost. */
  lost: MessageId[]
  notConfirmed: MessageId[]
  events: ChannelEvent[]
  /** Delivered events of earlier incarnations. */
  previous: DeliveredEvent[][]
}

/** A content message sent through the network, with who sent it when. */
export interface SentRecord { message: ReliableMessage, sender: string, incarnation: number, at: number, broadcasts: number }

/** Defaults of every network option. */
export const DEFAULT_NETWORK_OPTIONS: Readonly<ModelNetworkOptions> = Object.freeze({
  seed: 1,
  nodes: 3,
  channelId: 'sim',
  latencyMs: 20,
  jitterMs: 10,
  dropRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
  reorderDelayMs: 200,
  tickIntervalMs: 100,
  participant: 'core',
  pullFallbacks: 2,
  pullTimeoutMs: 3000,
  startAt: 0,
  presenceOptions: {},
  presence: true,
  probing: true,
  meshSize: 8,
  redialFailMs: 500,
  probeTimeoutMs: 500,
  channelOptions: {},
  recordDeliveries: true,
  recordEvents: false
})
