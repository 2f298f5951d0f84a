/**
 * Types of the model network: its options (with defaults), what it records about
 * each participant, and what it remembers about each sent message.
 */
import type { ChannelOptions } from '../reliability/index.js'
import type { ChannelEvent, DeliveredEvent } from '../reliability/index.js'
import type { ReliableChannel } from '../reliability/index.js'
import type { MessageId, PullRequest, ReliableMessage } from '../reliability/index.js'

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
  /** Further candidates a requester tries when its pull target is unreachable. @default 2 */
  pullFallbacks: number
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
  channel: ReliableChannel
  alive: boolean
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
  pullFallbacks: 2,
  channelOptions: {},
  recordDeliveries: true,
  recordEvents: false
})
