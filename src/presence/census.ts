/**
 * The census state of one peer: polls it has seen (its own and others'), who replied
 * to each, the replies it still has to send, and the latest size estimate.
 *
 * - A poll is answered at most once per poll id, with probability
 *   min(p, censusReplyCap / our roster size) (the second term is a flood guard
 *   against a poll whose p is far too large for the room), after a random delay in
 *   [0, censusReplySpreadMs).
 * - Polls are rate-limited per origin (one per `pollRateLimitMs`) and globally
 *   (`pollGlobalBurst` per `pollGlobalBurst × pollGlobalRefillMs`); the excess is ignored,
 *   so gossipsub does not forward it either.
 * - Replies are accepted (and so forwarded) only for a poll we know, once per responder.
 *   Non-origins do not report a result, but they count the replies passively: when the
 *   poll expires with at least `passiveMinReplies` replies, its estimate becomes our
 *   `lastEstimate`, which sizes the p of our own next census.
 */
import { BoundedIdSet } from '../shared/index.js'
import { estimateSize, replyProbability } from './census-math.js'
import type { CensusPollMessage } from './codec.js'
import type { ResolvedPresenceOptions } from './options.js'
import { TokenBuckets } from '../shared/index.js'
import type { CensusResult, LastEstimate, PresenceDropReason } from './types.js'

interface PollState {
  pollId: string
  originId: string
  p: number
  own: boolean
  /** Our clock: when we started it or first saw it. */
  startedAt: number
  /** Until when replies are accepted and forwarded. */
  expiresAt: number
  /** Own polls: when `tick` finishes it. */
  finishAt: number
  responders: Set<string>
  result?: CensusResult
}

interface PendingReply { dueAt: number, pollId: string }

const KEPT_RESULTS = 8

/** Polls, replies and the size estimate. */
export class CensusState {
  private readonly polls = new Map<string, PollState>()
  private readonly seenPolls: BoundedIdSet
  private readonly perOrigin: TokenBuckets
  private readonly global: TokenBuckets
  private pending: PendingReply[] = []
  private readonly results = new Map<string, CensusResult>()
  private lastOwnAt = Number.NEGATIVE_INFINITY
  latest?: LastEstimate

  constructor (private readonly options: ResolvedPresenceOptions) {
    this.seenPolls = new BoundedIdSet(Math.max(1024, options.maxTrackedPolls * 4))
    this.perOrigin = new TokenBuckets(1, options.pollRateLimitMs, 4096)
    this.global = new TokenBuckets(options.pollGlobalBurst, options.pollGlobalRefillMs, 1)
  }

  get tracked (): number {
    return this.polls.size
  }

  /** Earliest time `tick` has something to do. */
  get deadline (): number {
    let next = Number.POSITIVE_INFINITY
    for (const r of this.pending) if (r.dueAt < next) next = r.dueAt
    for (const poll of this.polls.values()) {
      const at = poll.own && poll.result === undefined ? Math.min(poll.finishAt, poll.expiresAt) : poll.expiresAt
      if (at < next) next = at
    }
    return next
  }

  // --- polls ------------------------------------------------------------------

  /** Why a poll from `originId` would be dropped now, or undefined when it would be accepted. */
  checkPoll (msg: CensusPollMessage, originId: string, now: number): PresenceDropReason | undefined {
    const o = this.options
    if (this.seenPolls.has(msg.pollId)) return 'duplicate'
    if (msg.issuedAt > now + o.maxClockSkewMs) return 'clock-skew'
    if (msg.issuedAt + o.pollLifetimeMs + o.maxClockSkewMs < now) return 'expired'
    if (msg.p < o.censusMinP) return 'p-too-small'
    if (!this.perOrigin.available(originId, now) || !this.global.available('', now)) return 'rate-limited'
    return undefined
  }

  /**
   * Accepts a poll that `checkPoll` passed and decides (once) whether to answer it:
   * returns true when a reply was scheduled. `rosterSize` counts ourselves.
   */
  acceptPoll (msg: CensusPollMessage, originId: string, selfId: string, now: number, answer: boolean, rosterSize: number, random: () => number): boolean {
    this.perOrigin.take(originId, now)
    this.global.take('', now)
    this.seenPolls.add(msg.pollId, now)
    const poll = this.track({
      pollId: msg.pollId,
      originId,
      p: msg.p,
      own: false,
      startedAt: now,
      expiresAt: now + this.options.pollLifetimeMs,
      finishAt: Number.POSITIVE_INFINITY,
      responders: new Set()
    })
    if (!answer) return false
    const p = Math.min(msg.p, this.options.censusReplyCap / Math.max(1, rosterSize))
    if (random() >= p) return false
    poll.responders.add(selfId)
    this.pending.push({ dueAt: now + random() * this.options.censusReplySpreadMs, pollId: msg.pollId })
    return true
  }

  // --- replies ----------------------------------------------------------------

  /** Why a reply from `responderId` would be dropped now, or undefined. */
  checkReply (pollId: string, responderId: string, now: number): PresenceDropReason | undefined {
    const poll = this.polls.get(pollId)
    if (poll === undefined || now > poll.expiresAt) return 'unknown-poll'
    if (poll.responders.has(responderId)) return 'duplicate'
    if (!poll.own && poll.responders.size >= 2 * this.options.censusReplyCap) return 'poll-full'
    return undefined
  }

  /** Counts a reply that `checkReply` passed. */
  acceptReply (pollId: string, responderId: string): void {
    this.polls.get(pollId)?.responders.add(responderId)
  }

  // --- own censuses -------------------------------------------------------------

  /** Earliest time `startCensus` is allowed again. */
  get nextOwnAt (): number {
    return this.lastOwnAt + this.options.censusMinIntervalMs
  }

  /** The p our next census asks for: sized by the latest estimate, or the roster when larger (or when there is none). */
  nextP (rosterSize: number): number {
    const expected = Math.max(this.latest?.estimate ?? 0, rosterSize)
    // With an assumed loss, ask for proportionally more so about `target` replies still arrive.
    const target = this.options.censusTargetReplies / (1 - this.options.censusAssumedLoss)
    return replyProbability(target, expected, this.options.censusMinP)
  }

  /** Registers our own poll. */
  startOwn (pollId: string, selfId: string, p: number, now: number): number {
    this.lastOwnAt = now
    this.seenPolls.add(pollId, now)
    const finishAt = now + this.options.censusWindowMs
    this.track({
      pollId,
      originId: selfId,
      p,
      own: true,
      startedAt: now,
      expiresAt: now + this.options.pollLifetimeMs,
      finishAt,
      responders: new Set()
    })
    return finishAt
  }

  /** Finishes our own poll now (if still open); returns its result, or undefined for an unknown poll. */
  finishOwn (pollId: string, now: number, rosterSize: number): { result: CensusResult, fresh: boolean } | undefined {
    const poll = this.polls.get(pollId)
    if (poll === undefined || !poll.own) {
      const kept = this.results.get(pollId)
      return kept === undefined ? undefined : { result: kept, fresh: false }
    }
    if (poll.result !== undefined) return { result: poll.result, fresh: false }
    const replies = poll.responders.size
    const size = estimateSize(replies, poll.p, this.options.censusAssumedLoss)
    const result: CensusResult = {
      estimate: Math.round(size.estimate),
      low: Math.floor(size.low),
      high: Number.isFinite(size.high) ? Math.ceil(size.high) : size.high,
      replies,
      p: poll.p,
      rosterCount: rosterSize,
      durationMs: now - poll.startedAt
    }
    poll.result = result
    this.results.set(pollId, result)
    if (this.results.size > KEPT_RESULTS) {
      const oldest = this.results.keys().next().value
      if (oldest !== undefined) this.results.delete(oldest)
    }
    this.latest = { estimate: size.estimate, at: now, source: 'own' }
    return { result, fresh: true }
  }

  // --- time ---------------------------------------------------------------------

  /** Replies due now (their poll ids), own polls whose window closed, and expiry of old polls. */
  tick (now: number, rosterSize: number): { replies: string[], finished: Array<{ pollId: string, result: CensusResult }> } {
    const replies: string[] = []
    if (this.pending.length > 0) {
      const keep: PendingReply[] = []
      for (const r of this.pending) {
        if (r.dueAt <= now) replies.push(r.pollId)
        else keep.push(r)
      }
      this.pending = keep
    }
    const finished: Array<{ pollId: string, result: CensusResult }> = []
    for (const [pollId, poll] of this.polls) {
      if (poll.own && poll.result === undefined && now >= Math.min(poll.finishAt, poll.expiresAt)) {
        const done = this.finishOwn(pollId, now, rosterSize)
        if (done?.fresh === true) finished.push({ pollId, result: done.result })
      }
      if (now > poll.expiresAt) {
        this.polls.delete(pollId)
        if (!poll.own && poll.responders.size >= this.options.passiveMinReplies) {
          const size = estimateSize(poll.responders.size, poll.p, this.options.censusAssumedLoss)
          this.latest = { estimate: size.estimate, at: now, source: 'overheard' }
        }
      }
    }
    return { replies, finished }
  }

  /** Stops answering: pending replies are dropped (we left). */
  cancelReplies (): void {
    this.pending = []
  }

  private track (poll: PollState): PollState {
    if (this.polls.size >= this.options.maxTrackedPolls) {
      for (const [id, old] of this.polls) {
        if (old.own && old.result === undefined) continue
        this.polls.delete(id)
        break
      }
    }
    this.polls.set(poll.pollId, poll)
    return poll
  }
}
