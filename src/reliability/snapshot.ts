/**
 * Persistence API of the core: `snapshot()` turns a channel's durable state into
 * plain JSON-serialisable data, and `restore()` rebuilds a fresh channel from it
 * (or from the same parts read back from a store) after a restart.
 *
 * What survives a restart, and what does not:
 * - delivered content messages (the store's contents): restored into `history()` and
 *   `answerPull()`, remembered as seen (a copy arriving again is dropped as a duplicate),
 *   counted as delivered for causal dependencies, named again by our next causal
 *   history, and re-added to the bloom filter (the last `bloomCapacity` from others) so
 *   peers still resending them get acked. They are NOT re-delivered: `restore` emits no
 *   events at all; the driver shows them from `history()`, marked as history.
 * - ids seen beyond the store (`seen`): dedup only. Each keeps the time it was first
 *   remembered (a store passes the message's Lamport value), so the replay horizon of
 *   the bounded seen set means what it meant before the restart.
 * - own unacknowledged messages: tracked again with their resend count, re-broadcast
 *   once at once (queued on `drainOutgoing()`, not counted as a resend: a crash may have
 *   come between the durable write and the publish), then resent on the usual backoff
 *   from `now` (the old process's resend times mean nothing to the new clock).
 * - the Lamport clock: max(stored value, every restored message); the next send uses
 *   max(now, that + 1), so it never goes backwards even if the wall clock did.
 * Not kept: the causal buffer (messages still waiting for dependencies are neither in
 * `messages` nor in `seen`, so they are pulled or resent again), missing/lost/repair
 * trackers, peers heard, bloom generations, counters and the join time (a restarted
 * channel is a late joiner for what it missed: see the catch-up rule in receive.ts).
 *
 * A driver with a message store does not need `snapshot()` for messages: persisting
 * each delivered content message (own ones durably, before they are published) plus a
 * small periodic `snapshot({ messages: false, seen: false })` for the clock and resend
 * counts is enough to call `restore({ lamport, messages, unacked, seen }, now)`.
 */
import { reliabilityError } from './errors.js'
import { computeMessageId, isMessageId } from './message-id.js'
import { compareCanonical } from './order.js'
import { noteTime, type ChannelState } from './state.js'
import type { HistoryEntry, MessageId, ReliableMessage } from './types.js'
import { validateMessage } from './validate.js'

/** Version of the snapshot format written by `snapshot()`. */
export const SNAPSHOT_VERSION = 1

/** A delivered content message in JSON form (bytes as base64; the channel id is the snapshot's). */
export interface SnapshotMessage {
  id: MessageId
  sender: string
  lamport: number
  history: HistoryEntry[]
  /** base64 of the serialised bloom filter the message carried. */
  bloom: string
  /** base64 of the content. */
  content: string
}

/** An own message still waiting for an acknowledgement. */
export interface UnackedSnapshot {
  messageId: MessageId
  /** Rebroadcasts made so far. */
  resends: number
  /** When the next was due, on the clock of the process that took the snapshot (informational). */
  nextResendAt?: number
}

/** An id remembered for dedup, with the time it was first remembered. */
export interface SeenSnapshot { messageId: MessageId, at: number }

/** A channel's durable state as plain JSON-serialisable data. */
export interface ChannelSnapshot {
  v: typeof SNAPSHOT_VERSION
  channelId: string
  selfId: string
  /** The Lamport clock's value (high-water mark). */
  lamport: number
  /** Delivered content messages in canonical order (empty with `messages: false`). */
  messages: SnapshotMessage[]
  unacked: UnackedSnapshot[]
  /** Own messages given up on (`out:not-confirmed`) and still watched for a late acknowledgement. */
  notConfirmed?: MessageId[]
  /** Delivered ids remembered for dedup, oldest first (empty with `seen: false`). */
  seen: SeenSnapshot[]
}

/** What `snapshot()` includes. */
export interface SnapshotOptions {
  /** Include delivered messages: true = all the channel holds, a number = the newest that many. @default true */
  messages?: boolean | number
  /** Include the seen-id set. @default true */
  seen?: boolean
}

/** The parts `restore()` takes; every field is optional. */
export interface RestoreInput {
  /** Stored Lamport high-water mark. */
  lamport?: number
  /** Delivered content messages of this channel, any order (unacked ones must be among them). */
  messages?: readonly ReliableMessage[]
  /** Own messages (ids among `messages`) not yet acknowledged. */
  unacked?: ReadonlyArray<Pick<UnackedSnapshot, 'messageId'> & Partial<UnackedSnapshot>>
  /** Own messages (ids among `messages`) given up on before: watched again for a late acknowledgement. */
  notConfirmed?: readonly MessageId[]
  /** Further delivered ids for dedup, oldest first. */
  seen?: readonly SeenSnapshot[]
}

/** What `restore()` did. */
export interface RestoreSummary {
  messages: number
  unacked: number
  seen: number
  /** Unacked entries ignored: no such message, or not our own. */
  skippedUnacked: number
  /** Messages over the size limits now in effect (lowered since they were stored): not restored. */
  skippedOversized: number
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'))

/** Converts a message to its snapshot form. */
export function toSnapshotMessage (msg: ReliableMessage): SnapshotMessage {
  return {
    id: msg.messageId,
    sender: msg.senderId,
    lamport: msg.lamport,
    history: msg.causalHistory.map((h) => h.retrievalHint === undefined ? { messageId: h.messageId } : { messageId: h.messageId, retrievalHint: h.retrievalHint }),
    bloom: toBase64(msg.bloomFilter),
    content: toBase64(msg.content)
  }
}

/** Converts a snapshot message back (checked later by `restore`). */
export function fromSnapshotMessage (msg: SnapshotMessage, channelId: string): ReliableMessage {
  if (typeof msg !== 'object' || msg === null || typeof msg.bloom !== 'string' || typeof msg.content !== 'string' || !Array.isArray(msg.history)) {
    throw reliabilityError('INVALID_ARGUMENT', 'restore: malformed snapshot message')
  }
  return {
    kind: 'content',
    messageId: msg.id,
    senderId: msg.sender,
    channelId,
    lamport: msg.lamport,
    causalHistory: msg.history.map((h) => h.retrievalHint === undefined ? { messageId: h.messageId } : { messageId: h.messageId, retrievalHint: h.retrievalHint }),
    bloomFilter: fromBase64(msg.bloom),
    content: fromBase64(msg.content)
  }
}

/** Takes a snapshot of a channel's durable state. */
export function takeSnapshot (state: ChannelState, options: SnapshotOptions = {}): ChannelSnapshot {
  const wantMessages = options.messages ?? true
  const messages = wantMessages === false
    ? []
    : state.store.last(wantMessages === true ? undefined : wantMessages).map(toSnapshotMessage)
  const seen: SeenSnapshot[] = []
  if (options.seen ?? true) {
    for (const [id, at] of state.seenContent.list()) {
      if (!state.buffer.has(id)) seen.push({ messageId: id, at })
    }
  }
  return {
    v: SNAPSHOT_VERSION,
    channelId: state.channelId,
    selfId: state.selfId,
    lamport: state.clock.value,
    messages,
    unacked: state.acks.entries().map((e) => ({ messageId: e.message.messageId, resends: e.resends, nextResendAt: e.nextAt })),
    notConfirmed: state.acks.watchedIds(),
    seen
  }
}

/** True when `input` is a `ChannelSnapshot` rather than a `RestoreInput`. */
export function isChannelSnapshot (input: RestoreInput | ChannelSnapshot): input is ChannelSnapshot {
  return typeof input === 'object' && input !== null && 'v' in input
}

/** Converts a snapshot to restore input (checking version and channel). */
export function snapshotToInput (snapshot: ChannelSnapshot, channelId: string): RestoreInput {
  if (snapshot.v !== SNAPSHOT_VERSION) {
    throw reliabilityError('INVALID_ARGUMENT', `restore: unsupported snapshot version ${String(snapshot.v)}`)
  }
  if (snapshot.channelId !== channelId) {
    throw reliabilityError('INVALID_ARGUMENT', `restore: snapshot of channel "${snapshot.channelId}" given to "${channelId}"`)
  }
  return {
    lamport: snapshot.lamport,
    messages: (snapshot.messages ?? []).map((m) => fromSnapshotMessage(m, channelId)),
    unacked: snapshot.unacked ?? [],
    notConfirmed: snapshot.notConfirmed ?? [],
    seen: snapshot.seen ?? []
  }
}

function fail (detail: string): never {
  throw reliabilityError('INVALID_ARGUMENT', `restore: ${detail}`)
}

function isTime (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function checkFresh (state: ChannelState): void {
  if (state.store.size > 0 || state.seenContent.size > 0 || state.buffer.size > 0 || state.acks.size > 0 || state.clock.value > 0) {
    fail('the channel is not fresh: call restore() right after construction, before any send or receive')
  }
}

/**
 * Checks the messages; returns the sound ones sorted canonically, and how many were over
 * the size limits now in effect (skipped: the limits may have been lowered since).
 */
function checkMessages (state: ChannelState, messages: readonly ReliableMessage[]): { sorted: ReliableMessage[], oversized: number } {
  const byId = new Map<MessageId, ReliableMessage>()
  let oversized = 0
  for (const msg of messages) {
    if (typeof msg !== 'object' || msg === null || msg.kind !== 'content') fail('only content messages can be restored')
    // Infinity as `now`: a restored message is never "from the future" (the clock may have gone back).
    const invalid = validateMessage(msg, state.channelId, Number.POSITIVE_INFINITY, state.options)
    if (invalid === 'oversized') { oversized++; continue }
    if (invalid !== undefined) fail(`message ${String(msg.messageId)} is invalid (${invalid})`)
    if (computeMessageId(msg) !== msg.messageId) fail(`message ${msg.messageId} does not match its id`)
    byId.set(msg.messageId, msg)
  }
  return { sorted: [...byId.values()].sort(compareCanonical), oversized }
}

/**
 * Rebuilds a fresh channel's state from `input` at `now` (see the module header). Throws
 * `P2pchatError('INVALID_ARGUMENT')` for a channel that is not fresh, or a message that
 * is malformed, of another channel or does not match its id; skips (and counts) messages
 * over the size limits now in effect.
 */
export function restoreState (state: ChannelState, input: RestoreInput, now: number): RestoreSummary {
  checkFresh(state)
  if (input.lamport !== undefined && !isTime(input.lamport)) fail(`bad lamport ${String(input.lamport)}`)
  const { sorted, oversized } = checkMessages(state, input.messages ?? [])
  const seen = input.seen ?? []
  for (const entry of seen) {
    if (!isMessageId(entry?.messageId) || typeof entry.at !== 'number' || Number.isNaN(entry.at)) fail('malformed seen entry')
  }
  noteTime(state, now)
  // Older ids first, so the restored messages are the last ones a full seen set forgets.
  for (const entry of seen) state.seenContent.add(entry.messageId, entry.at)
  for (const msg of sorted) {
    state.seenContent.add(msg.messageId, msg.lamport)
    state.store.add(msg)
    state.recent.push(msg.messageId, msg.senderId, msg.causalHistory, false)
    state.clock.observe(msg.lamport)
  }
  const newest = sorted[sorted.length - 1]
  if (newest !== undefined) state.maxDelivered = { lamport: newest.lamport, messageId: newest.messageId }
  const others = sorted.filter((m) => m.senderId !== state.selfId)
  for (const msg of others.slice(-state.options.bloomCapacity)) state.bloom.add(msg.messageId, now)
  if (input.lamport !== undefined) state.clock.observe(input.lamport)

  const byId = new Map(sorted.map((m) => [m.messageId, m]))
  const tracked = new Set<MessageId>()
  let skippedUnacked = 0
  for (const entry of input.unacked ?? []) {
    const msg = byId.get(entry?.messageId)
    if (msg === undefined || msg.senderId !== state.selfId || tracked.has(msg.messageId)) {
      skippedUnacked++
      continue
    }
    tracked.add(msg.messageId)
    state.acks.restore(msg, isTime(entry.resends) ? entry.resends : 0, now)
    state.outgoing.push(msg)
  }
  for (const id of input.notConfirmed ?? []) {
    const msg = byId.get(id)
    if (msg !== undefined && msg.senderId === state.selfId && !tracked.has(id)) state.acks.rewatch(id)
  }
  if (sorted.length > 0) {
    state.sync.historyChanged()
    state.sync.activity(now, false)
  }
  return { messages: sorted.length, unacked: tracked.size, seen: seen.length, skippedUnacked, skippedOversized: oversized }
}
