/**
 * Options of the pure room driver, resolved over named defaults and validated the
 * way the cores do it (`P2pchatError('INVALID_OPTION')` on nonsense).
 */
import type { ChannelOptions } from '../reliability/index.js'
import type { PresenceOptions } from '../presence/index.js'
import { mergeOptions, requireNonNegativeNumbers, requirePositiveIntegers } from '../shared/index.js'
import { P2pchatError } from '../errors.js'

/** Own-message states remembered for marks; settled ones beyond this are forgotten (they show as sent). */
export const OWN_STATES_KEPT = 1000

/**
 * A peer joining the topic gets our history (a sync message) within this long (ms): after a
 * partition heals, that sync is how the other side learns what it missed, so it is short;
 * joins that arrive together still share one sync.
 */
export const SYNC_ON_JOIN_MS = 200

/** Most pulls waiting for a free slot; past it the oldest is dropped (the core retries it after its backoff). */
export const PULL_QUEUE_CAPACITY = 64

/** Most pulls in flight at once. */
export const MAX_PULLS_IN_FLIGHT = 8

/** How many peers one pull tries, one after another, before it gives up (the core retries later). */
export const PULL_TARGETS = 4

/** A census is finished this long after its reply window closes (ms), so replies on their way still count. */
export const CENSUS_GRACE_MS = 50

/** Most own messages kept while no topic peer exists. */
export const OUTBOUND_QUEUE_CAPACITY = 1000

/** How often changed reliability state is saved (ms). */
export const SAVE_STATE_INTERVAL_MS = 1000

/** The client version string presence announces. */
export const CLIENT_VERSION = 'p2pchat/0.1.0'

/** Options of a RoomDriver. */
export interface DriverOptions {
  /** Own nick. @default 'anon' */
  nick: string
  /** Peer ids whose lines carry a trusted mark (a registry room's `trustedPeers`). */
  trustedPeers: string[]
  /** Reliability parameters. */
  channel: Partial<ChannelOptions>
  /** Presence and census tuning. */
  presence: Partial<PresenceOptions>
  /** True when own messages are written durably before they may be published (a store exists). @default false */
  persistent: boolean
  /**
   * Announce our presence (join, periodic records, welcomes). The model simulator turns it off
   * for very large rooms, where a full-broadcast model of presence would cost N² copies. @default true
   */
  announcePresence: boolean
  /** Most own messages kept while no topic peer exists. */
  outboundQueueCapacity: number
  /** Most pulls in flight at once. */
  maxPullsInFlight: number
  /** Most pulls waiting for a free slot. */
  pullQueueCapacity: number
  /** Peers one pull tries before it gives up. */
  pullTargets: number
  /** Sync-on-join delay (ms). */
  syncOnJoinMs: number
  /** Own-message states remembered. */
  ownStatesKept: number
  /** Least time between two saves of the reliability state (ms). */
  saveStateIntervalMs: number
  /** Census grace after its window (ms). */
  censusGraceMs: number
}

/** Defaults of DriverOptions. */
export const DEFAULT_DRIVER_OPTIONS: DriverOptions = {
  nick: 'anon',
  trustedPeers: [],
  channel: {},
  presence: {},
  persistent: false,
  announcePresence: true,
  outboundQueueCapacity: OUTBOUND_QUEUE_CAPACITY,
  maxPullsInFlight: MAX_PULLS_IN_FLIGHT,
  pullQueueCapacity: PULL_QUEUE_CAPACITY,
  pullTargets: PULL_TARGETS,
  syncOnJoinMs: SYNC_ON_JOIN_MS,
  ownStatesKept: OWN_STATES_KEPT,
  saveStateIntervalMs: SAVE_STATE_INTERVAL_MS,
  censusGraceMs: CENSUS_GRACE_MS
}

const POSITIVE_INTEGERS: Array<keyof DriverOptions> = ['outboundQueueCapacity', 'maxPullsInFlight', 'pullQueueCapacity', 'pullTargets', 'ownStatesKept']
const NON_NEGATIVE_NUMBERS: Array<keyof DriverOptions> = ['syncOnJoinMs', 'saveStateIntervalMs', 'censusGraceMs']

/** Raises the option error of the room layer. */
export function roomOptionError (message: string): never {
  throw new P2pchatError('INVALID_OPTION', message)
}

/** Spreads `options` over `DEFAULT_DRIVER_OPTIONS` and validates every field. */
export function resolveDriverOptions (options: Partial<DriverOptions> = {}): Readonly<DriverOptions> {
  const resolved = mergeOptions(DEFAULT_DRIVER_OPTIONS, options)
  requirePositiveIntegers(resolved, POSITIVE_INTEGERS, roomOptionError)
  requireNonNegativeNumbers(resolved, NON_NEGATIVE_NUMBERS, roomOptionError)
  if (!Array.isArray(resolved.trustedPeers) || resolved.trustedPeers.some(p => typeof p !== 'string')) roomOptionError('trustedPeers must be a list of peer ids')
  if (typeof resolved.persistent !== 'boolean' || typeof resolved.announcePresence !== 'boolean') roomOptionError('persistent and announcePresence must be true or false')
  return Object.freeze(resolved)
}
