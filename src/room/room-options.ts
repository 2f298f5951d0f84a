/**
 * Options of a Room (the I/O shell), resolved over named defaults and validated.
 * The driver's own options (queue sizes, pull slots, save interval) pass through.
 */
import type { RainTreePathOptions } from './raintree-path.js'
import type { ChannelOptions } from '../reliability/index.js'
import type { PresenceOptions } from '../presence/index.js'
import type { RendezvousOptions } from '../discovery/rendezvous.js'
import type { RedialOptions } from '../discovery/lost-peer-redialer.js'
import type { ChatStore } from '../store/index.js'
import { mergeOptions, requirePositiveNumbers } from '../shared/index.js'
import { MAX_PULLS_IN_FLIGHT, OUTBOUND_QUEUE_CAPACITY, roomOptionError, SAVE_STATE_INTERVAL_MS } from './driver-options.js'
import type { InboundFault } from './faulty-path.js'
import type { ConsensusOptions } from '../consensus/index.js'
import type { DecisionTiming } from './decisions.js'

/** How often the driver is ticked (ms). */
export const TICK_INTERVAL_MS = 250

/** Timeout of one pull attempt (ms). */
export const PULL_TIMEOUT_MS = 3000

/** How long a clean quit lets its leave announcement drain before connections close (ms). */
export const LEAVE_FLUSH_MS = 100

/** The longest a clean quit waits for its leave announcement (ms). */
export const LEAVE_TIMEOUT_MS = 500

/** Options of a Room. */
export interface RoomOptions {
  /** Own nick. @default 'anon' */
  nick: string
  /** How often the driver is ticked (ms). */
  tickIntervalMs: number
  /** Wall clock (ms). Injected so tests and the simulator can control it. @default Date.now */
  now: () => number
  /** Reliability parameters. */
  channel: Partial<ChannelOptions>
  /**
   * Fault injection on the broadcast path (tests and the simulator only): asked once per copy
   * that passed validation, it may drop it, hand it over twice, or late. @default undefined
   */
  inboundFaults?: () => InboundFault
  /**
   * Fault injection on repair (tests and the simulator only): asked once per pull attempt; true
   * means its request or its answer is lost, so the attempt fails after the pull timeout. @default undefined
   */
  repairFaults?: () => boolean
  /** Fault injection for tests and benchmarks: true means this liveness probe is lost (it fails at its timeout). @default undefined */
  probeFaults?: () => boolean
  /** Most own messages kept while no topic peer exists. */
  outboundQueueCapacity: number
  /** Timeout of one pull attempt (ms). */
  pullTimeoutMs: number
  /** Most pulls in flight at once. */
  maxPullsInFlight: number
  /** Redialing of room peers whose connection dropped, or false to not redial. */
  redial: Partial<RedialOptions> | false
  /** DHT rendezvous options, or false to not run the rendezvous loop. */
  rendezvous: Partial<RendezvousOptions> | false
  /** Peer ids whose lines carry a trusted mark (a registry room's `trustedPeers`). */
  trustedPeers: string[]
  /** Presence and census tuning. */
  presence: Partial<PresenceOptions>
  /** Where history and restart state persist; none keeps everything in memory only. */
  store?: ChatStore
  /** Least time between two saves of changed reliability state (ms). */
  saveStateIntervalMs: number
  /** How long a clean quit lets its leave announcement drain (ms). */
  leaveFlushMs: number
  /** The longest a clean quit waits for its leave announcement (ms). */
  leaveTimeoutMs: number
  /** One-line diagnostics (goes to the log file, never stdout). */
  log: (line: string) => void
  /** Raft timing of the committee member (a trusted room's committee only). */
  consensus: Partial<ConsensusOptions>
  /** Catch-up and finality-checkpoint timing of the committee's decisions. */
  decisions: Partial<DecisionTiming>
  /**
   * The broadcast paths: gossipsub alone, RainTree beside gossipsub (every message on both, one
   * dedup after them), or RainTree alone (gossipsub then only tells who is in the room and takes
   * what others publish on it). @default 'gossipsub'
   */
  paths: BroadcastPaths
  /** The RainTree path's tuning (ACK timeout, links kept, …). */
  raintree: Partial<RainTreePathOptions>
}

/** Which broadcast paths a room publishes on. */
export type BroadcastPaths = 'gossipsub' | 'raintree+gossipsub' | 'raintree'

/** The values of `BroadcastPaths`. */
export const BROADCAST_PATHS: readonly BroadcastPaths[] = ['gossipsub', 'raintree+gossipsub', 'raintree']

/** Defaults of RoomOptions. */
export const DEFAULT_ROOM_OPTIONS: RoomOptions = {
  nick: 'anon',
  tickIntervalMs: TICK_INTERVAL_MS,
  now: () => Date.now(),
  channel: {},
  outboundQueueCapacity: OUTBOUND_QUEUE_CAPACITY,
  pullTimeoutMs: PULL_TIMEOUT_MS,
  maxPullsInFlight: MAX_PULLS_IN_FLIGHT,
  redial: {},
  rendezvous: {},
  trustedPeers: [],
  presence: {},
  saveStateIntervalMs: SAVE_STATE_INTERVAL_MS,
  leaveFlushMs: LEAVE_FLUSH_MS,
  leaveTimeoutMs: LEAVE_TIMEOUT_MS,
  log: () => {},
  consensus: {},
  decisions: {},
  paths: 'gossipsub',
  raintree: {}
}

/** Spreads `options` over `DEFAULT_ROOM_OPTIONS` and validates the shell's own fields (the driver checks the rest). */
export function resolveRoomOptions (options: Partial<RoomOptions> = {}): RoomOptions {
  const resolved = mergeOptions(DEFAULT_ROOM_OPTIONS, options)
  requirePositiveNumbers(resolved, ['tickIntervalMs', 'pullTimeoutMs', 'leaveFlushMs', 'leaveTimeoutMs'], roomOptionError)
  if (typeof resolved.now !== 'function') roomOptionError('now must be a function returning ms')
  if (typeof resolved.log !== 'function') roomOptionError('log must be a function')
  if (resolved.inboundFaults !== undefined && typeof resolved.inboundFaults !== 'function') roomOptionError('inboundFaults must be a function')
  if (resolved.repairFaults !== undefined && typeof resolved.repairFaults !== 'function') roomOptionError('repairFaults must be a function')
  if (resolved.probeFaults !== undefined && typeof resolved.probeFaults !== 'function') roomOptionError('probeFaults must be a function')
  if (!BROADCAST_PATHS.includes(resolved.paths)) roomOptionError(`paths must be one of ${BROADCAST_PATHS.join(', ')}, got ${String(resolved.paths)}`)
  return resolved
}
