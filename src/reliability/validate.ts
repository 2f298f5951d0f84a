/**
 * Structural validation of an incoming message before any state is touched. Input
 * may be arbitrary (decoders have bugs, peers lie), so every field is type-checked
 * at run time; the result is a drop reason or undefined. Never throws.
 */
import type { ResolvedChannelOptions } from './options.js'
import { isMessageId } from './message-id.js'
import type { DropReason, ReliableMessage } from './types.js'

const KINDS = new Set(['content', 'sync', 'ephemeral'])

/** Options the validator needs. */
export type ValidationLimits = Pick<ResolvedChannelOptions,
'maxHistoryEntries' | 'maxContentBytes' | 'maxBloomBytes' | 'maxClockSkewMs'>

/**
 * Checks shape, channel, sizes, Lamport sanity and history entries (not the id hash,
 * not dedup). Returns why the message must be dropped, or undefined when it is sound.
 */
export function validateMessage (
  msg: ReliableMessage,
  channelId: string,
  now: number,
  limits: ValidationLimits
): DropReason | undefined {
  if (typeof msg !== 'object' || msg === null) return 'malformed'
  if (typeof msg.kind !== 'string' || !KINDS.has(msg.kind)) return 'malformed'
  if (typeof msg.senderId !== 'string' || msg.senderId.length === 0 || msg.senderId.length > 256) return 'malformed'
  if (typeof msg.channelId !== 'string') return 'malformed'
  if (msg.channelId !== channelId) return 'wrong-channel'
  if (!(msg.content instanceof Uint8Array) || !(msg.bloomFilter instanceof Uint8Array)) return 'malformed'
  if (!Array.isArray(msg.causalHistory)) return 'malformed'
  if (msg.content.length > limits.maxContentBytes) return 'oversized'
  if (msg.causalHistory.length > limits.maxHistoryEntries) return 'oversized'
  if (msg.bloomFilter.length > limits.maxBloomBytes) return 'oversized'
  const lamport = msg.lamport
  if (typeof lamport !== 'number' || Number.isNaN(lamport) || lamport < 0) return 'malformed'
  if (lamport > Number.MAX_SAFE_INTEGER || lamport > now + limits.maxClockSkewMs) return 'clock-skew'
  if (!Number.isInteger(lamport)) return 'malformed'
  if (msg.kind === 'sync' && msg.content.length !== 0) return 'malformed'
  for (const entry of msg.causalHistory) {
    if (typeof entry !== 'object' || entry === null || !isMessageId(entry.messageId)) return 'malformed'
    if (entry.messageId === msg.messageId) return 'malformed'
    const hint: unknown = entry.retrievalHint
    if (hint !== undefined && (typeof hint !== 'string' || hint.length > 256)) return 'malformed'
  }
  if (!isMessageId(msg.messageId)) return 'bad-id'
  return undefined
}
