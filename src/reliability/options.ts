/**
 * Resolves `Partial<ChannelOptions>` over the defaults and validates the result,
 * throwing `P2pchatError('INVALID_OPTION')` on nonsense (negative sizes, NaN).
 */
import { DEFAULT_CHANNEL_OPTIONS, type ChannelOptions } from './constants.js'
import { reliabilityError } from './errors.js'
import { mergeOptions, requireNonNegativeNumbers, requirePositiveIntegers } from '../shared/index.js'

/** The largest filter any peer accepts on the wire (`MAX_BLOOM_BYTES` of the wire layer, 1 KiB). */
export const BLOOM_BYTES_CAP = 1024

/** Options after defaults were applied and checked. */
export type ResolvedChannelOptions = Readonly<ChannelOptions>

const POSITIVE_INTEGERS: Array<keyof ChannelOptions> = [
  'historyLength', 'maxHistoryEntries', 'maxContentBytes', 'maxBloomBytes', 'seenIdCapacity',
  'storeMaxMessages', 'storeMaxBytes', 'answerMaxMessages', 'answerMaxBytes', 'maxPullIds',
  'bufferCapacity', 'bloomBits', 'bloomHashes', 'bloomCapacity', 'recentPeersCapacity',
  'maxPullCandidates', 'lostIdCapacity', 'quietAckers'
]

const NON_NEGATIVE_NUMBERS: Array<keyof ChannelOptions> = [
  'maxClockSkewMs', 'lostAfterMs', 'repairGiveUpMs', 'pullInitialDelayMs', 'pullBackoffBaseMs', 'pullBackoffMaxMs',
  'resendBaseMs', 'resendMaxMs', 'maxResendAttempts', 'tailPushMs', 'maxTailPushes', 'ackSyncMs', 'behindAnswerMs', 'syncIntervalMs', 'syncMaxIntervalMs',
  'bloomRollMs', 'catchUpLimit', 'maxPullAncestors'
]

/** Spreads `options` over `DEFAULT_CHANNEL_OPTIONS` and validates every field. */
export function resolveChannelOptions (options: Partial<ChannelOptions> = {}): ResolvedChannelOptions {
  const resolved: ChannelOptions = mergeOptions(DEFAULT_CHANNEL_OPTIONS, options)
  const fail = (message: string): never => { throw reliabilityError('INVALID_OPTION', message) }
  requirePositiveIntegers(resolved, POSITIVE_INTEGERS, fail)
  requireNonNegativeNumbers(resolved, NON_NEGATIVE_NUMBERS, fail)
  if (resolved.jitter < 0 || resolved.jitter >= 1 || !Number.isFinite(resolved.jitter)) {
    throw reliabilityError('INVALID_OPTION', `jitter must be in [0, 1), got ${resolved.jitter}`)
  }
  if (resolved.bloomHashes > 32) {
    throw reliabilityError('INVALID_OPTION', 'bloomHashes must be at most 32')
  }
  if (resolved.maxBloomBytes > BLOOM_BYTES_CAP) {
    throw reliabilityError('INVALID_OPTION', `maxBloomBytes must be at most ${BLOOM_BYTES_CAP}: peers drop larger filters on the wire`)
  }
  if (resolved.bloomBits % 8 !== 0 || resolved.bloomBits / 8 + 1 > resolved.maxBloomBytes) {
    throw reliabilityError('INVALID_OPTION', 'bloomBits must be a multiple of 8 whose filter fits maxBloomBytes')
  }
  if (resolved.historyLength > resolved.maxHistoryEntries) {
    throw reliabilityError('INVALID_OPTION', 'historyLength must not exceed maxHistoryEntries')
  }
  if (resolved.random !== undefined && typeof resolved.random !== 'function') {
    throw reliabilityError('INVALID_OPTION', 'random must be a function returning [0, 1)')
  }
  return Object.freeze(resolved)
}
