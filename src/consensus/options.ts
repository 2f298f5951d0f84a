/**
 * The consensus core's options: `Partial<ConsensusOptions>` merged over the named defaults
 * and validated, with the layer's own error.
 */
import { P2pchatError } from '../errors.js'
import { mergeOptions, requirePositiveIntegers, requirePositiveNumbers } from '../shared/index.js'
import { ELECTION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, MAX_ENTRIES_PER_APPEND } from './constants.js'

/** Timing and batching of one committee member. */
export interface ConsensusOptions {
  /** Leader heartbeat period, ms. @default 100 */
  heartbeatIntervalMs: number
  /** Base election timeout T, ms; a follower's timeout is random in [T, 2T). Must exceed the heartbeat. @default 1000 */
  electionTimeoutMs: number
  /** Most entries per append message. @default 64 */
  maxEntriesPerAppend: number
  /** Seed of the randomized election timeouts (mixed with the member id). @default 1 */
  seed: number
}

/** The defaults, named. */
export const DEFAULT_CONSENSUS_OPTIONS: ConsensusOptions = {
  heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
  electionTimeoutMs: ELECTION_TIMEOUT_MS,
  maxEntriesPerAppend: MAX_ENTRIES_PER_APPEND,
  seed: 1
}

/** Merges `options` over the defaults and validates them. */
export function resolveConsensusOptions (options: Partial<ConsensusOptions> = {}): ConsensusOptions {
  const resolved = mergeOptions(DEFAULT_CONSENSUS_OPTIONS, options)
  const fail = (message: string): never => { throw new P2pchatError('INVALID_OPTION', `consensus: ${message}`) }
  requirePositiveNumbers(resolved, ['heartbeatIntervalMs', 'electionTimeoutMs'], fail)
  requirePositiveIntegers(resolved, ['maxEntriesPerAppend'], fail)
  if (!Number.isSafeInteger(resolved.seed)) fail(`seed must be an integer, got ${String(resolved.seed)}`)
  if (resolved.electionTimeoutMs <= resolved.heartbeatIntervalMs) fail(`electionTimeoutMs (${resolved.electionTimeoutMs}) must exceed heartbeatIntervalMs (${resolved.heartbeatIntervalMs})`)
  return resolved
}
