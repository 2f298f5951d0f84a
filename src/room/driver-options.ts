/**
 * Options of the pure room driver, resolved over named defaults and validated the
 * way the cores do it (`P2pchatError('INVALID_OPTION')` on nonsense).
 */
import type { ChannelOptions } from '../reliability/index.js'
import type { SignatureCheck } from '../consensus/index.js'
import { DEFAULT_DECISION_TIMING, type DecisionTiming } from './decisions.js'
import { checkByPeerId } from './peer-signature.js'
import type { PresenceOptions, ProberOptions } from '../presence/index.js'
import { mergeOptions, requireNonNegativeNumbers, requirePositiveIntegers } from '../shared/index.js'
import { P2pchatError } from '../errors.js'
import { ROOM_KEY_BYTES } from '../private/constants.js'
import { randomBytes } from 'node:crypto'

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
export const PULL_TARGETS = 8

/** Attempts one pull makes at most: its peers are asked again in turn, each round waiting twice as long. */
export const PULL_ATTEMPTS = 16

/**
 * A pull attempt unanswered this long (ms) has the next peer asked beside it: a lost request
 * or answer then costs this, not the 3 s pull timeout. Loopback answers in milliseconds and
 * the internet in a few hundred; a slow peer's late answer is still taken.
 */
export const PULL_HEDGE_MS = 500

/**
 * The shortest wait before the next peer is asked beside an unanswered attempt (ms), however
 * fast answers come: on loopback round trips are a millisecond, and a hedge sooner than this
 * would double pulls for a scheduling hiccup.
 */
export const PULL_MIN_HEDGE_MS = 100

/** A census is finished this long after its reply window closes (ms), so replies on their way still count. */
export const CENSUS_GRACE_MS = 50

/**
 * A peer that joins the topic is announced (`peer:join`) once its presence record names it,
 * or after this long without one (ms): the join line then carries the nick.
 */
export const JOIN_NICK_GRACE_MS = 1000

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
  /** The failure detector's options (SWIM probes of our neighbours), or false for none. @default {} */
  probing: Partial<ProberOptions> | false
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
  /** An attempt unanswered this long (ms) at most has the next peer asked beside it (the first delay too). */
  pullHedgeMs: number
  /** Attempts one pull makes at most. */
  pullAttempts: number
  /** The shortest such delay (ms); between the two it follows the answers' round trips. */
  pullMinHedgeMs: number
  /** Sync-on-join delay (ms). */
  syncOnJoinMs: number
  /** Own-message states remembered. */
  ownStatesKept: number
  /** Least time between two saves of the reliability state (ms). */
  saveStateIntervalMs: number
  /** Census grace after its window (ms). */
  censusGraceMs: number
  /** Longest wait for a joining peer's nick before its join is announced without one (ms; 0 = never wait). */
  joinNickGraceMs: number
  /**
   * The room's size when the host knows it better than the presence roster does (the model with
   * presence off); 0 = not known. Scales how many peers acknowledge a line in a quiet room.
   */
  knownRoomSize: number
  /** Catch-up and finality-checkpoint timing of the committee's decisions. */
  decisions: DecisionTiming
  /** Checks a committee member's signature (default: with the key its Ed25519 peer id carries). */
  signatureCheck: SignatureCheck
  /**
   * A private room's 32-byte key: content and presence are sealed with keys derived from it, and
   * what does not open is dropped. Undefined for a room anyone may read. @default undefined
   */
  roomKey: Uint8Array | undefined
  /** Random bytes (the nonces of sealing); injected so tests and the simulator stay deterministic. */
  random: (bytes: number) => Uint8Array
}

/** Defaults of DriverOptions. */
export const DEFAULT_DRIVER_OPTIONS: DriverOptions = {
  nick: 'anon',
  trustedPeers: [],
  channel: {},
  presence: {},
  probing: {},
  persistent: false,
  announcePresence: true,
  outboundQueueCapacity: OUTBOUND_QUEUE_CAPACITY,
  maxPullsInFlight: MAX_PULLS_IN_FLIGHT,
  pullQueueCapacity: PULL_QUEUE_CAPACITY,
  pullTargets: PULL_TARGETS,
  pullHedgeMs: PULL_HEDGE_MS,
  pullAttempts: PULL_ATTEMPTS,
  pullMinHedgeMs: PULL_MIN_HEDGE_MS,
  syncOnJoinMs: SYNC_ON_JOIN_MS,
  ownStatesKept: OWN_STATES_KEPT,
  saveStateIntervalMs: SAVE_STATE_INTERVAL_MS,
  censusGraceMs: CENSUS_GRACE_MS,
  joinNickGraceMs: JOIN_NICK_GRACE_MS,
  knownRoomSize: 0,
  decisions: DEFAULT_DECISION_TIMING,
  signatureCheck: checkByPeerId,
  roomKey: undefined,
  random: bytes => new Uint8Array(randomBytes(bytes))
}

const POSITIVE_INTEGERS: Array<keyof DriverOptions> = ['outboundQueueCapacity', 'maxPullsInFlight', 'pullQueueCapacity', 'pullTargets', 'pullAttempts', 'ownStatesKept']
const NON_NEGATIVE_NUMBERS: Array<keyof DriverOptions> = ['pullHedgeMs', 'pullMinHedgeMs', 'syncOnJoinMs', 'saveStateIntervalMs', 'censusGraceMs', 'joinNickGraceMs', 'knownRoomSize']

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
  if (resolved.pullMinHedgeMs > resolved.pullHedgeMs) roomOptionError(`pullMinHedgeMs (${resolved.pullMinHedgeMs}) must not exceed pullHedgeMs (${resolved.pullHedgeMs})`)
  resolved.decisions = { ...DEFAULT_DECISION_TIMING, ...options.decisions }
  for (const [name, value] of Object.entries(resolved.decisions)) if (!(typeof value === 'number' && value >= 0)) roomOptionError(`decisions.${name} must be a number of at least 0`)
  if (typeof resolved.signatureCheck !== 'function') roomOptionError('signatureCheck must be a function')
  if (resolved.roomKey !== undefined && !(resolved.roomKey instanceof Uint8Array && resolved.roomKey.byteLength === ROOM_KEY_BYTES)) roomOptionError(`roomKey must be ${ROOM_KEY_BYTES} bytes`)
  if (typeof resolved.random !== 'function') roomOptionError('random must be a function')
  if (typeof resolved.persistent !== 'boolean' || typeof resolved.announcePresence !== 'boolean') roomOptionError('persistent and announcePresence must be true or false')
  return Object.freeze(resolved)
}
