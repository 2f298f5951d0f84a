/**
 * The RainTree core's vocabulary: what it asks its driver to send, and the batch `ready()` hands
 * over. Plain data, so a driver can encode it, a test can compare it, and a simulation can lose it.
 */

/** How a copy travels, as the receiver must be told (both false: an ordinary tree send, which is ACKed). */
export interface SendFlags {
  /** A resend to a silent target's successor: played like a tree send, never ACKed. */
  readonly adjustment?: boolean
  /** The originator's redundancy-layer copy (layer 0): delivered, never forwarded or ACKed. */
  readonly redundancy?: boolean
}

/** One copy of a message to send to a peer. */
export interface RainTreeSend {
  /** The peer id to send to. */
  readonly to: string
  readonly messageId: string
  /** The layer the receiver is sent: it plays rounds layer − 1 … 0. */
  readonly layer: number
  /** A resend to a silent target's successor; the receiver must not ACK it. */
  readonly adjustment: boolean
  /** A redundancy-layer copy from the originator; the receiver must not ACK it. */
  readonly redundancy: boolean
}

/** An ACK to send: "I got `messageId` from you". */
export interface RainTreeAck {
  readonly to: string
  readonly messageId: string
}

/** Running totals since the core was made. */
export interface RainTreeCounters {
  /** Messages this peer originated. */
  broadcasts: number
  /** Copies received, every kind. */
  received: number
  /** Copies of a message already seen (or originated) here. */
  duplicates: number
  /** Messages handed to the application (first copies). */
  delivered: number
  /** Tree sends: the rounds this peer played (not adjustments or redundancy copies). */
  sends: number
  /** Resends to a silent target's successor. */
  adjustments: number
  /** Redundancy-layer copies sent as originator. */
  redundancySends: number
  acksSent: number
  acksReceived: number
  /** ACKs for nothing awaited (late, after the timeout, or unknown). */
  unexpectedAcks: number
  /** Tree sends whose ACK did not come in time. */
  timeouts: number
  /** Copies received at a higher layer than already played, which made this peer play the rounds in between. */
  upgrades: number
  /** Awaited ACKs dropped at `maxPendingAcks`. */
  pendingEvicted: number
  /** Message ids forgotten at `dedupCapacity`. */
  seenEvicted: number
}

/** What the driver must do now: send these copies and ACKs, hand these message ids to the application. */
export interface RainTreeReady {
  readonly sends: RainTreeSend[]
  readonly acks: RainTreeAck[]
  /** Message ids received for the first time, in order of arrival. */
  readonly delivered: string[]
  /** A snapshot of the running totals. */
  readonly counters: RainTreeCounters
}
