/**
 * Canonical order of content messages: by Lamport value, then by message id. Ids are
 * fixed-length lowercase hex, so string order equals byte order and every peer sorts
 * the same set identically. Causal delivery is consistent with it, because a sender's
 * Lamport value exceeds every value it had delivered.
 */
import type { MessageId } from './types.js'

/** The fields canonical order looks at. */
export interface OrderKey { lamport: number, messageId: MessageId }

/** Negative if a sorts before b, positive if after, 0 if equal. */
export function compareCanonical (a: OrderKey, b: OrderKey): number {
  if (a.lamport !== b.lamport) return a.lamport < b.lamport ? -1 : 1
  if (a.messageId === b.messageId) return 0
  return a.messageId < b.messageId ? -1 : 1
}

/** Sorts a copy of `messages` into canonical order. */
export function sortCanonical<T extends OrderKey> (messages: readonly T[]): T[] {
  return [...messages].sort(compareCanonical)
}
