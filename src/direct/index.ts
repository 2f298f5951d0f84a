/**
 * Direct messages, pure: the per-peer streams that make each message arrive exactly once and in
 * order, their codec and limits. Layers above enter here.
 */
export type * from './types.js'
export { DirectCore, type DirectReady, type DirectSnapshot } from './core.js'
export { decodeDirectAck, decodeDirectBatch, decodeDirectMessage, directMessageId, directSigningBytes, encodeDirectAck, encodeDirectBatch, encodeDirectMessage, type DirectAck, type DirectRefusal, type SignedDirect } from './codec.js'
export { DIRECT_LIMITS, DIRECT_RATE_BURST, DIRECT_RATE_PER_SECOND, DIRECT_RATE_SENDERS, DIRECT_RETENTION_MS, DIRECT_RETRY_MAX_MS, DIRECT_RETRY_MIN_MS, DIRECT_SIGNING_DOMAIN } from './constants.js'
