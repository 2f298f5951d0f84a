/**
 * Limits and timing of direct messages, named.
 */
import { MAX_NICK_LENGTH, MAX_TEXT_LENGTH } from '../wire/limits.js'

/** What a receiver accepts. */
export const DIRECT_LIMITS = {
  /** Longest text (UTF-16 code units), as for room lines. */
  maxTextLength: MAX_TEXT_LENGTH,
  maxNickLength: MAX_NICK_LENGTH,
  /** Most messages in one batch (the sender sends at most this many per attempt). */
  maxBatch: 64,
  /** Largest batch frame. */
  maxBatchBytes: 256 * 1024,
  /** Largest peer id (multihash bytes). */
  maxPeerIdBytes: 128,
  /** Largest signature. */
  maxSignatureBytes: 128,
  /** Messages held per sender past a gap, waiting for the one before them. */
  maxBuffered: 256,
  /** Senders' streams remembered (the least recently heard are forgotten: a forgotten stream is taken up again where its sender stands). */
  maxStreams: 10_000
} as const

/** The signing domain of a direct message. */
export const DIRECT_SIGNING_DOMAIN = 'p2pchat/dm/1'

/** How long an undelivered own message is retried before it expires (ms): a week. */
export const DIRECT_RETENTION_MS = 7 * 24 * 3600_000

/** First retry delay after a failed attempt, and the most it doubles to (ms). */
export const DIRECT_RETRY_MIN_MS = 1_000
export const DIRECT_RETRY_MAX_MS = 60_000

/** Per-sender rate limit: a burst, then this many messages a second; at most this many senders remembered. */
export const DIRECT_RATE_BURST = 30
export const DIRECT_RATE_PER_SECOND = 5
export const DIRECT_RATE_SENDERS = 10_000
