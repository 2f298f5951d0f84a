/**
 * The typed events a channel emits, namespaced like js-waku SDS (`out:` for our own
 * messages, `in:` for received ones). Drained with `ReliableChannel.drainEvents()`.
 */
import type { DropReason, MessageId, ReliableMessage } from './types.js'

/** A message of ours was queued for broadcast for the first time. */
export interface SentEvent { type: 'out:sent', id: MessageId }

/** A content or ephemeral message was delivered to the application. */
export interface DeliveredEvent {
  type: 'in:delivered'
  message: ReliableMessage
  /** True when a message that sorts after this one (canonical order) was delivered earlier. */
  outOfOrder: boolean
  /** Causal dependencies declared lost (or never obtainable) that this message was released without. */
  gapBefore?: MessageId[]
  /**
   * Dependencies not waited on because they lie beyond a late joiner's catch-up bound
   * (`catchUpLimit`). Not a loss: they predate this peer's join.
   */
  beyondCatchUp?: MessageId[]
}

/** Dependencies noticed missing; pulls for them are being scheduled. */
export interface MissingEvent { type: 'in:missing', ids: MessageId[] }

/** An own message is known to be held by another peer. */
export interface AcknowledgedEvent { type: 'out:acknowledged', id: MessageId }

/** An own message hit the bloom filters of `count` distinct peers (below the ack threshold). */
export interface PossiblyAcknowledgedEvent { type: 'out:possibly-acknowledged', id: MessageId, count: number }

/** Dependencies that could not be obtained before the deadline (or were evicted from a full buffer). */
export interface LostEvent { type: 'in:lost', ids: MessageId[] }

/** An own message was resent the maximum number of times without an acknowledgement. */
export interface NotConfirmedEvent { type: 'out:not-confirmed', id: MessageId }

/** An incoming message was rejected (duplicates and own echoes are counted but not reported). */
export interface DroppedEvent { type: 'in:dropped', reason: DropReason, messageId?: MessageId }

/** Every event a channel emits. */
export type ChannelEvent =
  | SentEvent
  | DeliveredEvent
  | MissingEvent
  | AcknowledgedEvent
  | PossiblyAcknowledgedEvent
  | LostEvent
  | NotConfirmedEvent
  | DroppedEvent
