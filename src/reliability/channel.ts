/**
 * `ReliableChannel`: the pure reliability state machine of one chat channel.
 * Inputs are `send`, `sendEphemeral`, `receive` and `tick` (time is always the `now`
 * argument, in ms); outputs are drained by the driver: messages to broadcast,
 * pull requests to make, and typed events. No timers, I/O, promises or ambient
 * clock/randomness: the same instance runs live, in tests and in the simulator.
 * `snapshot()` / `restore()` carry its durable state across restarts (snapshot.ts).
 */
import type { ChannelOptions } from './constants.js'
import type { ChannelEvent } from './events.js'
import { resolveChannelOptions, type ResolvedChannelOptions } from './options.js'
import { sendContent, sendEphemeral, type ContentSource } from './outgoing.js'
import { answerPull } from './pull-planner.js'
import { receiveMessage } from './receive.js'
import { computeMessageId } from './message-id.js'
import { validateMessage } from './validate.js'
import {
  isChannelSnapshot, restoreState, snapshotToInput, takeSnapshot,
  type ChannelSnapshot, type RestoreInput, type RestoreSummary, type SnapshotOptions
} from './snapshot.js'
import { createChannelState, type ChannelState } from './state.js'
import { nextDeadline, tickChannel } from './timers.js'
import type { ChannelStatus, DropReason, MessageId, MessageKind, PullRequest, PullScope, ReceiveResult, ReliableMessage } from './types.js'

/** One peer's view of one channel: causal delivery, acks, repair and sync. */
export class ReliableChannel {
  private readonly state: ChannelState

  /**
   * Creates a channel for `selfId` (a peer id string) on `channelId` (the topic).
   * The first `now` the channel sees is its join time (see the late-joiner rule in
   * receive.ts), so a driver should call `tick(now)` right after construction.
   */
  constructor (readonly selfId: string, readonly channelId: string, options: Partial<ChannelOptions> = {}) {
    this.state = createChannelState(selfId, channelId, resolveChannelOptions(options))
  }

  /** A fresh channel restored from a snapshot (or stored parts) at `now`; see `restore`. */
  static fromSnapshot (
    selfId: string,
    channelId: string,
    options: Partial<ChannelOptions>,
    snapshot: ChannelSnapshot | RestoreInput,
    now: number
  ): ReliableChannel {
    const channel = new ReliableChannel(selfId, channelId, options)
    channel.restore(snapshot, now)
    return channel
  }

  /** The options in effect (defaults applied). */
  get options (): ResolvedChannelOptions {
    return this.state.options
  }

  /** Distinct peers whose bloom hits make an ack (derived from the filter's FP rate). */
  get ackThreshold (): number {
    return this.state.ackThreshold
  }

  /**
   * Sends content: queued for broadcast, tracked until acked, and delivered locally at once.
   * `content` may be a function of the message's Lamport value (a private room's sealing).
   */
  send (content: ContentSource, now: number): ReliableMessage {
    return sendContent(this.state, content, now)
  }

  /** Sends an ephemeral message: no history dependency, no acks, no storage. */
  sendEphemeral (content: ContentSource, now: number): ReliableMessage {
    return sendEphemeral(this.state, content, now)
  }

  /**
   * Would `receive` refuse `msg` as invalid (shape, channel, sizes, Lamport skew, history, the id
   * hash)? Changes nothing, counts nothing: for the topic validator, before gossipsub forwards it.
   */
  check (msg: ReliableMessage, now: number): DropReason | undefined {
    return validateMessage(msg, this.state.channelId, now, this.state.options) ??
      (computeMessageId(msg) !== msg.messageId ? 'bad-id' : undefined)
  }

  /** Takes an incoming message; `from` is the peer it came from when not its sender (a pull answer). */
  receive (msg: ReliableMessage, now: number, from?: string): ReceiveResult {
    return receiveMessage(this.state, msg, now, from)
  }

  /**
   * A new peer joined: send a sync message within `withinMs` (if the history is not empty),
   * so it learns the recent history without waiting for the quiet-room timer.
   */
  syncSoon (now: number, withinMs: number): void {
    this.state.sync.soon(now, withinMs)
  }

  /**
   * How many peers the room has, ourselves included (the host's best count: the presence
   * roster or the topic peers). Scales how many peers acknowledge each line of a quiet room.
   */
  setRoomSize (peers: number): void {
    this.state.ackDebt.setRoomSize(peers)
  }

  /** Runs timers: resends, pull retries, lost deadlines, sync messages, bloom rolling. */
  tick (now: number): void {
    tickChannel(this.state, now)
  }

  /** Earliest `now` at which `tick` has something to do (a lower bound; Infinity when idle). */
  nextDeadline (): number {
    return nextDeadline(this.state)
  }

  /** Messages to broadcast on the topic (new sends, resends, syncs, ephemerals), oldest first. */
  drainOutgoing (): ReliableMessage[] {
    return this.state.outgoing.splice(0)
  }

  /**
   * True when a message of this kind and id was received already, so `receive()` would drop it
   * as a duplicate: a driver can skip costly checks (a signature) of such a copy.
   */
  hasReceived (id: MessageId, kind: MessageKind): boolean {
    return (kind === 'content' ? this.state.seenContent : this.state.seenOther).has(id)
  }

  /** Pull requests to make over the repair protocol. */
  drainPulls (): PullRequest[] {
    return this.state.pulls.splice(0)
  }

  /** Events since the last drain, in the order they happened. */
  drainEvents (): ChannelEvent[] {
    return this.state.events.splice(0)
  }

  /**
   * Answers a peer's pull from the bounded store (count and byte capped); with a scope
   * (the request's `maxAncestors`, `have` filter and `minLamport` floor), also the causal
   * ancestors it lacks that are not older than the floor.
   */
  answerPull (messageIds: MessageId[], scope?: PullScope): ReliableMessage[] {
    return answerPull(this.state, messageIds, scope)
  }

  /** Delivered content messages in canonical order (lamport, then id), the last `limit`. */
  history (limit?: number): ReliableMessage[] {
    return this.state.store.last(limit)
  }

  /** When this channel joined (its first `now`); older content is pre-join history, pulled only in part. */
  get joinedAt (): number | undefined { return this.state.joinedAt }

  /**
   * The durable state as plain JSON-serialisable data: Lamport clock, own unacknowledged
   * messages with their resend counts, delivered messages and seen ids (the last two
   * can be left out, e.g. for a small periodic state record next to a message store).
   */
  snapshot (options?: SnapshotOptions): ChannelSnapshot {
    return takeSnapshot(this.state, options)
  }

  /**
   * Rebuilds state after a restart; call it on a fresh channel, before anything else.
   * Restored messages are in `history()` and `answerPull()`, deduplicated and count as
   * delivered, but no events are emitted for them. Unacknowledged own messages are
   * queued for broadcast at once and resent on the usual backoff. The clock becomes
   * max(stored, restored messages). Throws `P2pchatError('INVALID_ARGUMENT')` for a
   * channel that is not fresh or input that does not belong to this channel.
   */
  restore (input: ChannelSnapshot | RestoreInput, now: number): RestoreSummary {
    return restoreState(this.state, isChannelSnapshot(input) ? snapshotToInput(input, this.channelId) : input, now)
  }

  /** Counters and queue sizes. */
  status (): ChannelStatus {
    const { counters } = this.state
    return {
      lamport: this.state.clock.value,
      unacknowledged: this.state.acks.size,
      buffered: this.state.buffer.size,
      missing: this.state.missing.size,
      repairing: this.state.repairs.size,
      lost: counters.lost,
      pullsMade: counters.pullsMade,
      pullsServed: counters.pullsServed,
      delivered: counters.delivered,
      ephemeralDelivered: counters.ephemeralDelivered,
      resends: counters.resends,
      tailPushes: counters.tailPushes,
      syncsSent: counters.syncsSent,
      ackSyncs: counters.ackSyncs,
      behindAnswers: counters.behindAnswers,
      dropped: { ...counters.dropped }
    }
  }
}
