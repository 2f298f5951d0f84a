/**
 * Resolves `Partial<PresenceOptions>` over the defaults and validates the result,
 * throwing `P2pchatError('INVALID_OPTION')` on nonsense (negative durations, NaN).
 */
import { DEFAULT_PRESENCE_OPTIONS, PRESENCE_LIMITS, type PresenceOptions } from './constants.js'
import { presenceError } from './errors.js'
import { mergeOptions, requireNonNegativeNumbers, requirePositiveIntegers, requirePositiveNumbers } from '../shared/index.js'

/** Options after defaults were applied and checked. */
export type ResolvedPresenceOptions = Readonly<PresenceOptions>

const POSITIVE_INTEGERS: Array<keyof PresenceOptions> = [
  'largeRoomThreshold', 'maxRosterSize', 'seenCapacity', 'presenceBurst', 'censusTargetReplies',
  'pollGlobalBurst', 'censusReplyCap', 'maxTrackedPolls', 'passiveMinReplies', 'suspectBurst'
]

const POSITIVE_NUMBERS: Array<keyof PresenceOptions> = [
  'basePeriodMs', 'maxPeriodMs', 'expiryMultiple', 'presenceRefillMs', 'pollRateLimitMs',
  'pollGlobalRefillMs', 'pollLifetimeMs', 'censusWindowMs', 'leaveTtlMs',
  'probeIntervalMs', 'suspicionMult', 'suspicionMaxMult', 'suspectRepeatMs', 'suspectRefillMs'
]

const NON_NEGATIVE_NUMBERS: Array<keyof PresenceOptions> = [
  'welcomeSpreadMs', 'minWelcomeIntervalMs', 'lostGraceMs', 'suspicionConfirmations', 'silentSuspectSpreadMs',
  'minAnnounceIntervalMs', 'maxClockSkewMs', 'censusReplySpreadMs', 'censusMinIntervalMs'
]

function fail (message: string): never {
  throw presenceError('INVALID_OPTION', message)
}

/** Spreads `options` over `DEFAULT_PRESENCE_OPTIONS` and validates every field. */
export function resolvePresenceOptions (options: Partial<PresenceOptions> = {}): ResolvedPresenceOptions {
  const resolved: PresenceOptions = mergeOptions(DEFAULT_PRESENCE_OPTIONS, options)
  requirePositiveIntegers(resolved, POSITIVE_INTEGERS, fail)
  requirePositiveNumbers(resolved, POSITIVE_NUMBERS, fail)
  requireNonNegativeNumbers(resolved, NON_NEGATIVE_NUMBERS, fail)
  if (!(resolved.jitter >= 0 && resolved.jitter < 1)) fail(`jitter must be in [0, 1), got ${resolved.jitter}`)
  if (resolved.expiryMultiple < 1) fail('expiryMultiple must be at least 1')
  if (resolved.suspicionMaxMult < 1) fail('suspicionMaxMult must be at least 1')
  if (resolved.maxPeriodMs > 0xffff_ffff || resolved.maxPeriodMs < resolved.basePeriodMs) {
    fail('maxPeriodMs must lie in [basePeriodMs, 2^32 - 1] (period_ms is a uint32 on the wire)')
  }
  if (!(resolved.censusMinP > 0 && resolved.censusMinP <= 1)) fail(`censusMinP must be in (0, 1], got ${resolved.censusMinP}`)
  if (!(resolved.censusAssumedLoss >= 0 && resolved.censusAssumedLoss < 1)) {
    fail(`censusAssumedLoss must be in [0, 1), got ${resolved.censusAssumedLoss}`)
  }
  if (resolved.censusWindowMs > resolved.pollLifetimeMs) fail('censusWindowMs must not exceed pollLifetimeMs')
  if (resolved.censusReplySpreadMs > resolved.censusWindowMs) fail('censusReplySpreadMs must not exceed censusWindowMs')
  if (typeof resolved.nick !== 'string' || resolved.nick.length > PRESENCE_LIMITS.maxNickLength) {
    fail(`nick must be a string of at most ${PRESENCE_LIMITS.maxNickLength} characters`)
  }
  if (typeof resolved.client !== 'string' || resolved.client.length > PRESENCE_LIMITS.maxClientLength) {
    fail(`client must be a string of at most ${PRESENCE_LIMITS.maxClientLength} characters`)
  }
  if (resolved.random !== undefined && typeof resolved.random !== 'function') fail('random must be a function returning [0, 1)')
  if (resolved.peerIdToBytes !== undefined && typeof resolved.peerIdToBytes !== 'function') fail('peerIdToBytes must be a function')
  if (resolved.peerIdFromBytes !== undefined && typeof resolved.peerIdFromBytes !== 'function') fail('peerIdFromBytes must be a function')
  if (resolved.connectedTo !== undefined && typeof resolved.connectedTo !== 'function') fail('connectedTo must be a function')
  return Object.freeze(resolved)
}
