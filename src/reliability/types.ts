/**
 * Plain data types of the reliability core: the message as the core sees it,
 * pull requests it asks the driver to make, and the results of `receive()`.
 * No protobuf here: the wire layer converts between these and `proto/p2pchat.proto`.
 */

/** What a message is for: ordered chat content, a history/ack beacon, or presence-style data. */
export type MessageKind = 'content' | 'sync' | 'ephemeral'

/** Lowercase hex of the 16-byte message id (32 characters). */
export type MessageId = string

/** One entry of a causal history: an id, optionally with a peer known to hold the message. */
export interface HistoryEntry {
  messageId: MessageId
  /** Peer id string of a peer known to hold the message. */
  retrievalHint?: string
}

/**
 * A message of a reliable channel. The core never mutates one: objects given to
 * `receive()` or returned by `send()` are stored and handed back (by `answerPull()`,
 * `history()`) as the same instances, so a driver may attach the signed wire record
 * to them in a `WeakMap`.
 */
export interface ReliableMessage {
  kind: MessageKind
  messageId: MessageId
  /** libp2p peer id string; the driver guarantees it equals the signed gossipsub `from`. */
  senderId: string
  channelId: string
  /** Lamport timestamp in ms (uint64 on the wire; a safe integer here). */
  lamport: number
  /** Ids the sender had delivered before sending, oldest first. */
  causalHistory: HistoryEntry[]
  /** Serialised rolling bloom filter of the sender (may be empty). */
  bloomFilter: Uint8Array
  /** Opaque application bytes; empty for sync. */
  content: Uint8Array
}

/** A request the driver should make over the repair protocol. */
export interface PullRequest {
  messageIds: MessageId[]
  /** Ask this peer first; undefined = any peer. */
  peer?: string
  /** Other peers to try, in order, if `peer` cannot be reached. */
  candidates: string[]
  /**
   * Deep repair: the answerer may add up to this many further messages from the causal
   * histories of the ones asked for (transitively) that are not in `have`. Absent or 0 for
   * a late joiner's catch-up, which is bounded by `catchUpLimit` instead.
   */
  maxAncestors?: number
  /** The requester's serialised rolling bloom filter: ids it has received (sent with `maxAncestors`). */
  have?: Uint8Array
  /** No ancestor with a lower Lamport value is added (the requester's join time). */
  minLamport?: number
}

/** What a pull asks beyond its ids (see `PullRequest.maxAncestors`). */
export interface PullScope {
  maxAncestors?: number
  have?: Uint8Array
  minLamport?: number
}

/** Why `receive()` dropped a message. */
export type DropReason =
  | 'wrong-channel'
  | 'bad-id'
  | 'clock-skew'
  | 'oversized'
  | 'malformed'
  | 'duplicate'
  | 'own'

/** Every drop reason, for counters. */
export const DROP_REASONS: readonly DropReason[] = [
  'wrong-channel', 'bad-id', 'clock-skew', 'oversized', 'malformed', 'duplicate', 'own'
]

/** The outcome of one `receive()` call. */
export type ReceiveResult =
  /** Content or ephemeral message delivered now (possibly releasing buffered ones too). */
  | { status: 'delivered' }
  /** Content message held until the listed dependencies are delivered or declared lost. */
  | { status: 'buffered', waitingOn: MessageId[] }
  /** Sync message: its history and bloom filter were taken into account. */
  | { status: 'accepted' }
  | { status: 'dropped', reason: DropReason }

/** A snapshot of a channel's counters and queue sizes. */
export interface ChannelStatus {
  lamport: number
  unacknowledged: number
  buffered: number
  /** Dependencies being pulled that a buffered message waits for. */
  missing: number
  /** Lost ids still pulled in the background. */
  repairing: number
  /** Ids declared lost so far (total). */
  lost: number
  pullsMade: number
  pullsServed: number
  /** Content messages delivered (own and received). */
  delivered: number
  ephemeralDelivered: number
  resends: number
  /** Of `resends`: own messages pushed again because no later message named them. */
  tailPushes: number
  syncsSent: number
  /** Of `syncsSent`: syncs that acknowledged others' lines in a quiet room. */
  ackSyncs: number
  /** Of `syncsSent`: answers to a peer's sync that showed it lacks what we announce. */
  behindAnswers: number
  dropped: Record<DropReason, number>
}
