/**
 * The complete mutable state of one channel, as one plain object shared by the
 * functions that implement `receive`, delivery, `tick` and sending. Only
 * `ReliableChannel` creates it.
 */
import { AckTracker } from './ack-tracker.js'
import { ackThresholdFor, bloomFalsePositiveRate, RollingBloomFilter } from './bloom.js'
import { BoundedIdSet } from '../shared/index.js'
import { CausalBuffer } from './causal-buffer.js'
import type { ChannelEvent } from './events.js'
import { LamportClock } from './lamport.js'
import { MessageStore } from './message-store.js'
import { MissingTracker } from './missing-tracker.js'
import type { ResolvedChannelOptions } from './options.js'
import type { OrderKey } from './order.js'
import { PeerTracker } from './peer-tracker.js'
import { createRandom, seedFromString } from '../shared/index.js'
import { RecentHistory } from './recent-history.js'
import { SyncScheduler } from './sync-scheduler.js'
import { TailPusher } from './tail-pusher.js'
import { AckDebt } from './ack-debt.js'
import { DROP_REASONS, type DropReason, type PullRequest, type ReliableMessage } from './types.js'

/** Running totals reported by `status()`. */
export interface ChannelCounters {
  delivered: number
  ephemeralDelivered: number
  lost: number
  pullsMade: number
  pullsServed: number
  resends: number
  /** Own messages pushed again because no later message named them (counted in `resends` too). */
  tailPushes: number
  syncsSent: number
  /** Syncs sent to acknowledge others' lines in a quiet room. */
  ackSyncs: number
  /** Syncs of peers that showed them behind us, answered with ours. */
  behindAnswers: number
  dropped: Record<DropReason, number>
}

/** Everything a channel knows. */
export interface ChannelState {
  readonly selfId: string
  readonly channelId: string
  readonly options: ResolvedChannelOptions
  readonly random: () => number
  readonly ackThreshold: number
  readonly clock: LamportClock
  /** Exact dedup of accepted content ids. */
  readonly seenContent: BoundedIdSet
  /** Exact dedup of sync and ephemeral ids. */
  readonly seenOther: BoundedIdSet
  /** Ids declared lost (a dependency on them no longer waits). */
  readonly lost: BoundedIdSet
  /** Ids beyond the late-joiner catch-up bound (never pulled, never waited on). */
  readonly beyondCatchUp: BoundedIdSet
  readonly store: MessageStore
  readonly buffer: CausalBuffer
  /** Dependencies something waits for. */
  readonly missing: MissingTracker
  /** Lost ids still pulled in the background. */
  readonly repairs: MissingTracker
  readonly acks: AckTracker
  readonly sync: SyncScheduler
  /** Own messages no later message names yet. */
  readonly tail: TailPusher
  /** Others' lines we owe an acknowledgement for (quiet rooms). */
  readonly ackDebt: AckDebt
  readonly bloom: RollingBloomFilter
  readonly peers: PeerTracker
  readonly recent: RecentHistory
  readonly outgoing: ReliableMessage[]
  readonly pulls: PullRequest[]
  readonly events: ChannelEvent[]
  readonly counters: ChannelCounters
  /** The first `now` this channel saw: messages with a lower Lamport value predate the join. */
  joinedAt: number | undefined
  /** The latest `now` an input carried (for steps deep in a call that has no `now` of their own). */
  now: number
  /** Pre-join ids requested so far on behalf of pre-join messages (≤ catchUpLimit). */
  catchUpRequested: number
  /**
   * Until when a deep pull is taken to be in flight (0 = none): one at a time, so parallel
   * walks over the same backlog do not bring the same messages twice. Cleared when a pulled
   * message arrives; otherwise it lapses after `pullBackoffBaseMs`.
   */
  deepPullUntil: number
  /** Canonically greatest delivered content message. */
  maxDelivered: OrderKey | undefined
}

/** Builds the initial state of a channel. */
export function createChannelState (selfId: string, channelId: string, options: ResolvedChannelOptions): ChannelState {
  const random = options.random ?? createRandom(seedFromString(`${selfId}\u0000${channelId}`))
  const fp = bloomFalsePositiveRate(options.bloomBits, options.bloomHashes, 2 * options.bloomCapacity)
  const ackThreshold = ackThresholdFor(fp)
  const pullTiming = {
    initialDelayMs: options.pullInitialDelayMs,
    baseMs: options.pullBackoffBaseMs,
    maxMs: options.pullBackoffMaxMs,
    jitter: options.jitter,
    maxHolders: options.maxPullCandidates
  }
  // Background repairs of lost ids retry at the capped pull interval.
  const slow = options.pullBackoffMaxMs
  const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>
  return {
    selfId,
    channelId,
    options,
    random,
    ackThreshold,
    clock: new LamportClock(),
    seenContent: new BoundedIdSet(options.seenIdCapacity),
    seenOther: new BoundedIdSet(Math.max(1, Math.floor(options.seenIdCapacity / 4))),
    lost: new BoundedIdSet(options.lostIdCapacity),
    beyondCatchUp: new BoundedIdSet(options.lostIdCapacity),
    store: new MessageStore(options.storeMaxMessages, options.storeMaxBytes),
    buffer: new CausalBuffer(),
    missing: new MissingTracker(pullTiming, random),
    repairs: new MissingTracker({ ...pullTiming, initialDelayMs: slow, baseMs: slow, maxMs: slow }, random, options.lostIdCapacity),
    acks: new AckTracker(selfId, ackThreshold, {
      baseMs: options.resendBaseMs,
      maxMs: options.resendMaxMs,
      maxAttempts: options.maxResendAttempts,
      jitter: options.jitter
    }, random),
    sync: new SyncScheduler({
      intervalMs: options.syncIntervalMs,
      maxIntervalMs: options.syncMaxIntervalMs,
      jitter: options.jitter
    }, random),
    tail: new TailPusher({ baseMs: options.tailPushMs, maxPushes: options.maxTailPushes, jitter: options.jitter }, random),
    ackDebt: new AckDebt({ delayMs: options.ackSyncMs, ackers: options.quietAckers, capacity: options.historyLength * 10 }, random),
    bloom: new RollingBloomFilter(options.bloomBits, options.bloomHashes, options.bloomCapacity, options.bloomRollMs),
    peers: new PeerTracker(options.recentPeersCapacity, selfId),
    recent: new RecentHistory(options.historyLength),
    outgoing: [],
    pulls: [],
    events: [],
    counters: {
      delivered: 0,
      ephemeralDelivered: 0,
      lost: 0,
      pullsMade: 0,
      pullsServed: 0,
      resends: 0,
      tailPushes: 0,
      syncsSent: 0,
      ackSyncs: 0,
      behindAnswers: 0,
      dropped
    },
    joinedAt: undefined,
    now: 0,
    catchUpRequested: 0,
    deepPullUntil: 0,
    maxDelivered: undefined
  }
}

/** Records the first `now` seen as the join time, and the latest `now`. */
export function noteTime (state: ChannelState, now: number): void {
  if (state.joinedAt === undefined) state.joinedAt = now
  if (now > state.now) state.now = now
}

/** True when the message id was delivered here (held in the store, or seen and not waiting). */
export function isDelivered (state: ChannelState, id: string): boolean {
  return state.store.has(id) || (state.seenContent.has(id) && !state.buffer.has(id))
}
