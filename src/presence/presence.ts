/**
 * `Presence`: the pure presence-roster and room-size-census state machine of one
 * room. Inputs are the own-record setters, `join`, `leave`, `validate`, `receive`,
 * `startCensus` / `finishCensus` and `tick` (time is always the `now` argument, in
 * ms); outputs are drained by the driver: encoded `Ephemeral` messages to publish as
 * KIND_EPHEMERAL content, and typed events. No timers, I/O, promises or ambient
 * clock/randomness, like the reliability core.
 *
 * The driver's contract:
 * - `sender` is the signed gossipsub `from` as a peer id string; every record's
 *   `origin` (a reply's `responder`) must equal it, else `forged-origin`.
 * - In the topic validator call `validate(content, sender, now)` (it only looks, it
 *   changes nothing but drop counters) and map accept/ignore/reject to gossipsub's;
 *   call `receive(content, sender, now)` when the message is delivered.
 * - Call `tick(now)` periodically (every 250 ms–1 s; `nextDeadline()` says when it
 *   has work), then publish `drainOutgoing()` and handle `drainEvents()`.
 * - `leave(now)` returns the leave message to publish before unsubscribing; it is
 *   not queued in `drainOutgoing()`.
 */
import { BoundedIdSet } from '../shared/index.js'
import { createRandom, seedFromString } from '../shared/index.js'
import { CensusState } from './census.js'
import { decodeEphemeral, encodeEphemeral, type EphemeralMessage } from './codec.js'
import { PRESENCE_LIMITS, type PresenceOptions } from './constants.js'
import { presenceError } from './errors.js'
import { resolvePresenceOptions, type ResolvedPresenceOptions } from './options.js'
import { defaultPeerIdFromBytes, defaultPeerIdToBytes, sameBytes } from './peer-bytes.js'
import { TokenBuckets } from '../shared/index.js'
import { Roster, type PeerState } from './roster.js'
import { Suspicions, type Suspicion } from './suspicion.js'
import {
  PRESENCE_DROP_REASONS,
  REJECT_REASONS,
  SILENT_REASONS,
  type CensusResult,
  type PresenceDropReason,
  type PresenceEvent,
  type PresenceReceiveResult,
  type PresenceStatus,
  type PresenceVerdict,
  type RosterEntry,
  type StartCensusResult
} from './types.js'

/** When a refutation is said again, after the first (ms): 1, 3 and 7 s. */
const REFUTE_REPEATS_MS = [1_000, 3_000, 7_000]

/** The fields of our own record that the user changes. */
export interface OwnPresenceFields {
  nick?: string
  status?: string
  away?: boolean
  client?: string
}

/** One peer's presence in one room: its own record, the roster of the others, and censuses. */
export class Presence {
  readonly options: ResolvedPresenceOptions
  private readonly peers: Roster
  private readonly census: CensusState
  private readonly seen: BoundedIdSet
  private readonly limiter: TokenBuckets
  private readonly suspectLimiter: TokenBuckets
  private readonly suspicions: Suspicions
  private nextSuspectSendAt = Number.NEGATIVE_INFINITY
  private readonly peerIdToBytes: (peerId: string) => Uint8Array | undefined
  private readonly peerIdFromBytes: (bytes: Uint8Array) => string | undefined
  private readonly selfBytes: Uint8Array
  private readonly direct = new Set<string>()
  private outgoing: Uint8Array[] = []
  private events: PresenceEvent[] = []
  private random?: () => number

  private nick: string
  private statusText = ''
  private away = false
  private client: string
  private joinedAt = 0
  private version = 0
  private joined = false
  private periodMs: number
  private lastAnnounceAt = Number.NEGATIVE_INFINITY
  private nextAnnounceAt = Number.POSITIVE_INFINITY
  private changePending = false
  /** The room's size when the host knows it better than the roster (0 = the roster's count). */
  private roomSizeHint = 0
  /** Repeats of our last refutation still to send, and when the next is due. */
  private refuteRepeats = 0
  private nextRefuteAt = Number.POSITIVE_INFINITY

  private readonly counters = {
    announcementsSent: 0,
    pollsSent: 0,
    repliesSent: 0,
    bytesSent: 0,
    suspectsSent: 0,
    refutations: 0,
    received: { presence: 0, leave: 0, lost: 0, suspect: 0, poll: 0, reply: 0 },
    dropped: Object.fromEntries(PRESENCE_DROP_REASONS.map((r) => [r, 0])) as Record<PresenceDropReason, number>
  }

  /**
   * Creates the presence of `selfId` (a peer id string; with the default codec it must
   * be a libp2p peer id). Call `join(now)` to start announcing.
   */
  constructor (readonly selfId: string, options: Partial<PresenceOptions> = {}) {
    this.options = resolvePresenceOptions(options)
    this.peerIdToBytes = this.options.peerIdToBytes ?? defaultPeerIdToBytes
    this.peerIdFromBytes = this.options.peerIdFromBytes ?? defaultPeerIdFromBytes
    const selfBytes = this.peerIdToBytes(selfId)
    if (selfBytes === undefined || selfBytes.byteLength === 0 || selfBytes.byteLength > PRESENCE_LIMITS.maxPeerIdBytes) {
      throw presenceError('INVALID_OPTION', `selfId "${selfId.slice(0, 60)}" is not a peer id`)
    }
    this.selfBytes = selfBytes
    this.peers = new Roster(this.options)
    this.census = new CensusState(this.options)
    this.seen = new BoundedIdSet(this.options.seenCapacity)
    this.limiter = new TokenBuckets(this.options.presenceBurst, this.options.presenceRefillMs, this.options.maxRosterSize)
    this.suspectLimiter = new TokenBuckets(this.options.suspectBurst, this.options.suspectRefillMs, this.options.maxRosterSize)
    this.suspicions = new Suspicions(this.options, this.options.suspectRepeatMs, this.options.maxRosterSize)
    this.nick = this.options.nick
    this.client = this.options.client
    this.periodMs = this.options.basePeriodMs
  }

  // --- own record ---------------------------------------------------------------

  /** True between `join` and `leave`. */
  get isJoined (): boolean {
    return this.joined
  }

  /** Changes our nick (≤ 32 characters); announced at once (at most one record per `minAnnounceIntervalMs`). */
  setNick (nick: string, now: number): void {
    this.update({ nick }, now)
  }

  /** Changes our status text (≤ 100 characters; empty clears it). */
  setStatus (status: string, now: number): void {
    this.update({ status }, now)
  }

  /** Sets or clears away. */
  setAway (away: boolean, now: number): void {
    this.update({ away }, now)
  }

  /** Changes several fields under one new version. Throws `P2pchatError('INVALID_FIELD')` on a field over its limit. */
  update (fields: OwnPresenceFields, now: number): void {
    const { nick, status, away, client } = fields
    if (nick !== undefined) checkText(nick, 'nick', PRESENCE_LIMITS.maxNickLength)
    if (status !== undefined) checkText(status, 'status', PRESENCE_LIMITS.maxStatusLength)
    if (client !== undefined) checkText(client, 'client', PRESENCE_LIMITS.maxClientLength)
    let changed = false
    if (nick !== undefined && nick !== this.nick) { this.nick = nick; changed = true }
    if (status !== undefined && status !== this.statusText) { this.statusText = status; changed = true }
    if (away !== undefined && away !== this.away) { this.away = away; changed = true }
    if (client !== undefined && client !== this.client) { this.client = client; changed = true }
    if (!changed) return
    this.version = this.nextVersion(now)
    if (!this.joined) return
    this.changePending = true
    if (now >= this.lastAnnounceAt + this.options.minAnnounceIntervalMs) this.announce(now)
  }

  /** Starts announcing: our join time is `now`, the first record is queued at once. No-op when joined. */
  join (now: number): void {
    if (this.joined) return
    this.joined = true
    this.joinedAt = now
    this.version = this.nextVersion(now)
    this.announce(now)
  }

  /**
   * A clean quit: returns the encoded `PresenceLeave` (a newer version than our last
   * record) to publish now. It is not queued in `drainOutgoing()`. Undefined when not joined.
   */
  leave (now: number): Uint8Array | undefined {
    if (!this.joined) return undefined
    this.joined = false
    this.changePending = false
    this.nextAnnounceAt = Number.POSITIVE_INFINITY
    this.census.cancelReplies()
    this.version = this.nextVersion(now)
    const bytes = encodeEphemeral({ type: 'leave', envelopeId: this.newId(now), origin: this.selfBytes, version: this.version, issuedAt: now })
    this.counters.bytesSent += bytes.byteLength
    return bytes
  }

  /**
   * The announce period for a roster of `size` peers (ourselves included):
   * basePeriodMs × max(1, size / largeRoomThreshold), capped at maxPeriodMs.
   */
  periodFor (size: number): number {
    const o = this.options
    return Math.round(Math.min(o.maxPeriodMs, o.basePeriodMs * Math.max(1, size / o.largeRoomThreshold)))
  }

  // --- time ---------------------------------------------------------------------

  /**
   * Suspects peers that fell silent, removes those whose suspicion ran out, repeats our own
   * suspicions, announces when due, sends due census replies, finishes own censuses.
   */
  tick (now: number): void {
    for (const state of this.peers.expire(now)) {
      // Silence is suspicion, not death: the peer may only have lost our copies. After a random
      // delay we say so; a live peer refutes. When others already suspect it, our silence is an
      // independent confirmation (Lifeguard), which shortens everyone's timer: we say it too while
      // the room has heard fewer than `suspicionConfirmations` besides the first (see `receive`).
      const earlier = this.suspicions.get(state.peerId)
      if (earlier !== undefined && (earlier.own || earlier.confirmers.size > this.options.suspicionConfirmations)) continue
      this.suspicions.suspect(state.peerId, state.version, this.selfId, true, this.suspicionRoomSize(now), now)
      const s = this.suspicions.get(state.peerId)
      if (s !== undefined) { s.nextRepeatAt = now + this.rng(now)() * this.options.silentSuspectSpreadMs; s.silent = true }
    }
    const { ranOut, lapsed } = this.suspicions.expired(now)
    for (const s of ranOut) this.suspicionRanOut(s, now)
    for (const s of lapsed) this.peers.release(s.peerId, now)
    this.sendSuspicions(now)
    if (this.joined) {
      // A room that shrank shortens our period at once (never lengthens the wait already scheduled).
      const period = this.periodFor(this.rosterCount(now))
      if (this.lastAnnounceAt + period < this.nextAnnounceAt) this.nextAnnounceAt = this.lastAnnounceAt + period
      if (now >= this.nextAnnounceAt || (this.changePending && now >= this.lastAnnounceAt + this.options.minAnnounceIntervalMs)) {
        this.announce(now)
      }
      if (this.refuteRepeats > 0 && now >= this.nextRefuteAt) {
        this.refuteRepeats--
        const sent = REFUTE_REPEATS_MS.length - this.refuteRepeats
        this.nextRefuteAt = this.refuteRepeats > 0 ? now + REFUTE_REPEATS_MS[sent] - REFUTE_REPEATS_MS[sent - 1] : Number.POSITIVE_INFINITY
        if (now >= this.lastAnnounceAt + this.options.minWelcomeIntervalMs) this.announce(now)
      }
    }
    const { replies, finished } = this.census.tick(now, this.rosterCount(now))
    if (this.joined) {
      for (const pollId of replies) {
        this.push({ type: 'reply', pollId, responder: this.selfBytes })
        this.counters.repliesSent++
      }
    }
    for (const { pollId, result } of finished) this.events.push({ type: 'census', pollId, result })
  }

  /**
   * A new peer appeared: bring our next announcement forward to within `welcomeSpreadMs`,
   * so the newcomer learns of us in seconds. In a large room only a threshold/size share of
   * peers does this, keeping the cost of one join about `largeRoomThreshold` records.
   * Called on a newcomer's first record, and by the driver when a peer subscribes to the
   * room's topic (a newcomer whose own first record reached nobody, since it was sent
   * before anyone knew it was subscribed).
   */
  welcome (now: number): void {
    if (!this.joined) return
    const random = this.rng(now)
    const share = Math.min(1, this.options.largeRoomThreshold / Math.max(1, this.rosterCount(now)))
    if (random() >= share) return
    const at = Math.max(this.lastAnnounceAt + this.options.minWelcomeIntervalMs, now + random() * this.options.welcomeSpreadMs)
    if (at < this.nextAnnounceAt) this.nextAnnounceAt = at
  }

  /** Earliest `now` at which `tick` has something to do (Infinity when idle). */
  nextDeadline (): number {
    let next = Math.min(this.peers.deadline, this.census.deadline, this.suspicions.deadline)
    if (this.joined) {
      next = Math.min(next, this.nextAnnounceAt, this.nextRefuteAt)
      if (this.changePending) next = Math.min(next, this.lastAnnounceAt + this.options.minAnnounceIntervalMs)
    }
    return next
  }

  // --- network input --------------------------------------------------------------

  /**
   * The gossipsub validator's answer for `bytes` signed by `sender`: accept (deliver and
   * forward), ignore or reject (neither; reject penalises the forwarder). Changes no
   * state except the drop counters and `dropped` events.
   */
  validate (bytes: Uint8Array, sender: string, now: number): PresenceVerdict {
    const decoded = decodeEphemeral(bytes)
    if (!decoded.ok) return this.verdict(decoded.reason)
    const reason = this.classify(decoded.value, sender, now)
    if (reason !== undefined) return this.verdict(reason)
    return { action: 'accept', type: decoded.value.type }
  }

  /** Takes a delivered ephemeral message signed by `sender`. Runs every check of `validate` again. */
  receive (bytes: Uint8Array, sender: string, now: number): PresenceReceiveResult {
    const decoded = decodeEphemeral(bytes)
    if (!decoded.ok) return this.dropped(decoded.reason)
    const msg = decoded.value
    const reason = this.classify(msg, sender, now)
    if (reason !== undefined) return this.dropped(reason)
    this.counters.received[msg.type]++
    switch (msg.type) {
      case 'presence': {
        this.limiter.take(sender, now)
        this.seen.add(msg.envelopeId, now)
        const result = this.peers.applyRecord(sender, msg, now)
        // A newer version is the peer's own word that it is alive: every suspicion of it ends.
        const suspicion = this.suspicions.get(sender)
        if (suspicion !== undefined && msg.version > suspicion.version) this.endSuspicion(sender, now)
        if (result.kind === 'joined') {
          this.events.push({ type: 'roster:joined', entry: this.toEntry(result.state) })
          this.welcome(now)
        }
        else if (result.kind === 'changed') {
          this.events.push({ type: 'roster:changed', entry: this.toEntry(result.state), previous: this.toEntry(result.previous) })
        }
        break
      }
      case 'leave': {
        this.limiter.take(sender, now)
        this.seen.add(msg.envelopeId, now)
        const removed = this.peers.applyLeave(sender, msg.version, now, this.periodMs)
        this.suspicions.clear(sender)
        if (removed !== undefined) this.events.push({ type: 'roster:left', entry: this.toEntry(removed), reason: 'leave' })
        break
      }
      case 'lost': {
        this.limiter.take(sender, now)
        this.seen.add(msg.envelopeId, now)
        this.applyLostClaim(msg.subject, msg.version, now)
        break
      }
      case 'suspect': {
        this.suspectLimiter.take(sender, now)
        this.seen.add(msg.envelopeId, now)
        this.applySuspicion(msg.subject, msg.version, sender, now)
        break
      }
      case 'poll':
        this.census.acceptPoll(msg, sender, this.selfId, now, this.joined, this.rosterCount(now), this.rng(now))
        break
      case 'reply':
        this.census.acceptReply(msg.pollId, sender)
        break
    }
    return { status: 'accepted', type: msg.type }
  }

  /**
   * The transport saw `peerId` unsubscribe from the room's topic while still connected: its
   * own word that it left (a room switch or a quit), as final as a leave record, which may
   * have been lost or may still come. Emits `roster:left` with reason `leave` when it was in
   * the roster; a later record of the same version is stale, a newer one (a rejoin) is accepted.
   */
  departed (peerId: string, now: number): void {
    const removed = this.peers.applyDeparture(peerId, now, this.periodMs)
    this.suspicions.clear(peerId)
    if (removed !== undefined) this.events.push({ type: 'roster:left', entry: this.toEntry(removed), reason: 'leave' })
  }

  /**
   * The host lost its connection to `peerId` at `since` and could not reach it again: it leaves
   * the roster now (reason `lost`) unless a record of it arrived since. Its next record brings it
   * back. Not a leave: nothing is buried that would refuse that record.
   */
  lost (peerId: string, since: number, now: number): void {
    const removed = this.peers.applyLost(peerId, since, now)
    if (removed === undefined) return
    this.suspicions.clear(peerId)
    this.events.push({ type: 'roster:left', entry: this.toEntry(removed), reason: 'lost' })
    // Tell the room: peers with no connection of their own to it would keep it for 3 periods.
    const subject = this.peerIdToBytes(peerId)
    if (this.joined && subject !== undefined) {
      this.push({ type: 'lost', envelopeId: this.newId(now), origin: this.selfBytes, subject, version: removed.version, issuedAt: now })
    }
  }

  /**
   * Our probes of `peerId` failed, directly and through others (the prober's verdict), or our
   * connection to it dropped: we suspect it at its latest version and tell the room at once (and
   * again every `suspectRepeatMs` until the suspicion ends). It leaves when the suspicion runs out
   * (Lifeguard's timeout), unless it refutes with a newer record first. No-op for a peer not in
   * the roster or already suspected by us.
   */
  suspect (peerId: string, now: number): void {
    const entry = this.peers.get(peerId)
    if (entry === undefined || peerId === this.selfId) return
    const current = this.suspicions.get(peerId)
    if (current?.own === true && current.version >= entry.version) return
    this.suspicions.suspect(peerId, entry.version, this.selfId, true, this.suspicionRoomSize(now), now)
    this.peers.hold(peerId)
    const s = this.suspicions.get(peerId)
    if (s !== undefined) { s.nextRepeatAt = now; s.silent = false }
    this.sendSuspicions(now)
  }

  /** The room's size as the host knows it (topic peers, a census): scales the suspicion timer when larger than the roster. */
  setRoomSize (n: number): void {
    this.roomSizeHint = Number.isFinite(n) && n > 0 ? n : 0
  }

  /** The room size the suspicion timer scales with. */
  private suspicionRoomSize (now: number): number {
    return Math.max(this.rosterCount(now), this.roomSizeHint)
  }

  /** True while `peerId` is suspected (by us or by others we heard). */
  isSuspected (peerId: string): boolean {
    return this.suspicions.get(peerId) !== undefined
  }

  // --- census -----------------------------------------------------------------------

  /**
   * Starts a census: queues a poll with a fresh 16-byte id and p = target / (expected − 1)
   * capped to [censusMinP, 1], where expected is the larger of the latest estimate and the
   * roster size. `tick` finishes it after `censusWindowMs` (a `census` event); the driver
   * may also call `finishCensus` itself. Refused within `censusMinIntervalMs` of the last one.
   */
  startCensus (now: number): StartCensusResult {
    if (now < this.census.nextOwnAt) return { ok: false, reason: 'rate-limited', retryAt: this.census.nextOwnAt }
    const p = this.census.nextP(this.rosterCount(now))
    const pollId = this.newId(now)
    const finishAt = this.census.startOwn(pollId, this.selfId, p, now)
    this.push({ type: 'poll', pollId, origin: this.selfBytes, p, issuedAt: now })
    this.counters.pollsSent++
    return { ok: true, pollId, p, finishAt }
  }

  /**
   * Finishes our census `pollId` now (emitting its `census` event) and returns the result;
   * for a census already finished returns the same result again; undefined for an unknown id.
   */
  finishCensus (pollId: string, now: number): CensusResult | undefined {
    const done = this.census.finishOwn(pollId, now, this.rosterCount(now))
    if (done === undefined) return undefined
    if (done.fresh) this.events.push({ type: 'census', pollId, result: done.result })
    return done.result
  }

  // --- output -------------------------------------------------------------------------

  /** Encoded `Ephemeral` messages to publish (KIND_EPHEMERAL content), oldest first. */
  drainOutgoing (): Uint8Array[] {
    const out = this.outgoing
    this.outgoing = []
    return out
  }

  /** Events since the last drain, in the order they happened. */
  drainEvents (): PresenceEvent[] {
    const out = this.events
    this.events = []
    return out
  }

  /** Marks a peer as directly connected (or not), for `RosterEntry.direct`. */
  markDirect (peerId: string, direct: boolean): void {
    if (direct) this.direct.add(peerId)
    else this.direct.delete(peerId)
  }

  /** The roster at `now`, ourselves first when joined, then most recently heard first. */
  roster (now: number): RosterEntry[] {
    const others = this.peers.live()
      .sort((a, b) => b.lastSeen - a.lastSeen || (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0))
      .map((s) => this.toEntry(s))
    return this.joined ? [this.selfEntry(now), ...others] : others
  }

  /** Peers in the roster at `now`, ourselves included when joined. */
  rosterCount (now: number): number {
    return this.peers.liveCount() + (this.joined ? 1 : 0)
  }

  /** How a peer no longer in the roster left (while we remember it): a clean `leave` or a `timeout`. */
  departure (peerId: string): 'leave' | 'timeout' | undefined {
    return this.peers.departure(peerId)
  }

  /** One peer's entry (ourselves included), or undefined. */
  entry (peerId: string, now: number): RosterEntry | undefined {
    if (peerId === this.selfId) return this.joined ? this.selfEntry(now) : undefined
    const state = this.peers.get(peerId)
    return state !== undefined ? this.toEntry(state) : undefined
  }

  /** Counters and sizes. */
  status (now: number): PresenceStatus {
    const latest = this.census.latest
    return {
      joined: this.joined,
      version: this.version,
      periodMs: this.periodMs,
      rosterSize: this.rosterCount(now),
      tombstones: this.peers.tombstoneCount,
      suspected: this.suspicions.size,
      refutations: this.counters.refutations,
      suspectsSent: this.counters.suspectsSent,
      trackedPolls: this.census.tracked,
      announcementsSent: this.counters.announcementsSent,
      pollsSent: this.counters.pollsSent,
      repliesSent: this.counters.repliesSent,
      bytesSent: this.counters.bytesSent,
      received: { ...this.counters.received },
      dropped: { ...this.counters.dropped },
      ...(latest === undefined ? {} : { lastEstimate: { ...latest } })
    }
  }

  // --- internals ----------------------------------------------------------------------

  /**
   * `origin` suspects `subject` at `version`. About us: we refute with a newer version (at most
   * one record per `minWelcomeIntervalMs`); a suspicion of a version we already refuted gets our
   * record again, at most once per `suspectRepeatMs`. About another: unless we know a newer version of it,
   * the suspicion starts (or gains a confirmation, which shortens it). A silence suspicion of our
   * own that we had not yet sent is then spared once the room has heard enough confirmations.
   */
  private applySuspicion (subject: Uint8Array, version: number, origin: string, now: number): void {
    if (sameBytes(subject, this.selfBytes)) {
      if (!this.joined) return
      if (version < this.version) {
        // Already refuted: this suspecter missed our newer record. The repeats still due reach it;
        // after them, one more copy at most every suspectRepeatMs (as often as it repeats), so a
        // room of suspecters cannot make us flood records that its rate limits then drop.
        if (this.refuteRepeats === 0) this.nextAnnounceAt = Math.min(this.nextAnnounceAt, Math.max(now, this.lastAnnounceAt + this.options.suspectRepeatMs))
        return
      }
      this.counters.refutations++
      this.version = this.nextVersion(now)
      this.changePending = true
      const at = this.lastAnnounceAt + this.options.minWelcomeIntervalMs
      if (now >= at) this.announce(now)
      else this.nextAnnounceAt = Math.min(this.nextAnnounceAt, at)
      // Said again after 1, 3 and 7 s: a peer that missed one copy still hears the refutation
      // before its suspicion runs out (4 probe periods at the shortest).
      this.refuteRepeats = REFUTE_REPEATS_MS.length
      this.nextRefuteAt = now + REFUTE_REPEATS_MS[0]
      return
    }
    const peerId = this.peerIdFromBytes(subject)
    if (peerId === undefined) return
    const entry = this.peers.get(peerId)
    if (entry === undefined || entry.version > version) return
    this.suspicions.suspect(peerId, version, origin, false, this.suspicionRoomSize(now), now)
    this.peers.hold(peerId)
    // A silence suspicion of our own not yet sent is spared once the room has heard enough
    // confirmations: more would not shorten anyone's timer.
    const s = this.suspicions.get(peerId)
    if (s !== undefined && s.own && s.silent === true && s.sent === 0 && s.confirmers.size > this.options.suspicionConfirmations + 1) s.own = false
  }

  /** A suspicion ended: the peer showed it is alive. */
  private endSuspicion (peerId: string, now: number): void {
    this.suspicions.clear(peerId)
    this.peers.release(peerId, now)
  }

  /** A suspicion ran out unrefuted: the peer leaves (`lost`). */
  private suspicionRanOut (s: Suspicion, now: number): void {
    const removed = this.peers.remove(s.peerId, now)
    if (removed === undefined) return
    // Not told to the room: everyone who heard the suspicion runs its own timer, and a `lost`
    // claim would remove the peer at once wherever its refutation was missed.
    this.events.push({ type: 'roster:left', entry: this.toEntry(removed), reason: 'lost' })
  }

  /** Sends our due suspicions, one per `suspectRefillMs` (receivers' rate). */
  private sendSuspicions (now: number): void {
    if (!this.joined || now < this.nextSuspectSendAt) return
    const [s] = this.suspicions.repeatsDue(now, 1)
    if (s === undefined) return
    const subject = this.peerIdToBytes(s.peerId)
    if (subject === undefined) return
    s.sent++
    this.counters.suspectsSent++
    this.nextSuspectSendAt = now + this.options.suspectRefillMs
    this.push({ type: 'suspect', envelopeId: this.newId(now), origin: this.selfBytes, subject, version: s.version, issuedAt: now })
  }

  /**
   * Another peer says `subject` (at `version`) is gone. About us: we refute at once with a
   * newer version, which brings us back wherever the claim removed us. About another: it
   * leaves our roster (reason `lost`) unless we hold a connection to it (we know better),
   * heard from it within `lostGraceMs`, or know a newer version of it.
   */
  private applyLostClaim (subject: Uint8Array, version: number, now: number): void {
    if (sameBytes(subject, this.selfBytes)) {
      if (!this.joined) return
      this.version = this.nextVersion(now)
      this.announce(now)
      return
    }
    const peerId = this.peerIdFromBytes(subject)
    if (peerId === undefined) return
    const entry = this.peers.get(peerId)
    if (entry === undefined || entry.version > version || this.options.connectedTo?.(peerId) === true) return
    const removed = this.peers.applyLost(peerId, now - this.options.lostGraceMs, now)
    if (removed !== undefined) this.suspicions.clear(peerId)
    if (removed !== undefined) this.events.push({ type: 'roster:left', entry: this.toEntry(removed), reason: 'lost' })
  }

  /** Why `msg` from `sender` would be dropped now, or undefined when it would be accepted. Read-only. */
  private classify (msg: EphemeralMessage, sender: string, now: number): PresenceDropReason | undefined {
    if (sender === this.selfId) return 'own'
    const senderBytes = this.peerIdToBytes(sender)
    const claimed = msg.type === 'reply' ? msg.responder : msg.origin
    if (senderBytes === undefined || !sameBytes(claimed, senderBytes)) return 'forged-origin'
    const o = this.options
    switch (msg.type) {
      case 'presence':
      case 'leave': {
        if (this.seen.has(msg.envelopeId)) return 'duplicate'
        if (msg.issuedAt > now + o.maxClockSkewMs) return 'clock-skew'
        const ttlMs = msg.type === 'presence' ? msg.ttlSeconds * 1000 : o.leaveTtlMs
        if (msg.issuedAt + ttlMs + o.maxClockSkewMs < now) return 'expired'
        const check = msg.type === 'presence' ? this.peers.checkRecord(sender, msg.version) : this.peers.checkLeave(sender, msg.version)
        if (check !== 'ok') return check
        if (!this.limiter.available(sender, now)) return 'rate-limited'
        return undefined
      }
      case 'lost':
      case 'suspect': {
        if (this.seen.has(msg.envelopeId)) return 'duplicate'
        if (sameBytes(msg.subject, msg.origin)) return 'malformed'
        if (msg.issuedAt > now + o.maxClockSkewMs) return 'clock-skew'
        if (msg.issuedAt + o.leaveTtlMs + o.maxClockSkewMs < now) return 'expired'
        if (!(msg.type === 'lost' ? this.limiter : this.suspectLimiter).available(sender, now)) return 'rate-limited'
        return undefined
      }
      case 'poll':
        return this.census.checkPoll(msg, sender, now)
      case 'reply':
        return this.census.checkReply(msg.pollId, sender, now)
    }
  }

  private count (reason: PresenceDropReason): void {
    this.counters.dropped[reason]++
    if (!SILENT_REASONS.has(reason)) this.events.push({ type: 'dropped', reason })
  }

  private verdict (reason: PresenceDropReason): PresenceVerdict {
    this.count(reason)
    return { action: REJECT_REASONS.has(reason) ? 'reject' : 'ignore', reason }
  }

  private dropped (reason: PresenceDropReason): PresenceReceiveResult {
    this.count(reason)
    return { status: 'dropped', reason }
  }

  private announce (now: number): void {
    const period = this.periodFor(this.rosterCount(now))
    this.periodMs = period
    const ttlSeconds = Math.min(0xffff_ffff, Math.ceil(this.options.expiryMultiple * period / 1000))
    this.push({
      type: 'presence',
      envelopeId: this.newId(now),
      origin: this.selfBytes,
      version: this.version,
      issuedAt: now,
      ttlSeconds,
      nick: this.nick,
      status: this.statusText,
      away: this.away,
      client: this.client,
      joinedAt: this.joinedAt,
      periodMs: period
    })
    this.counters.announcementsSent++
    this.lastAnnounceAt = now
    // Drawn from [(1 − jitter)·period, period]: the announced period is the longest gap.
    this.nextAnnounceAt = now + period * (1 - this.options.jitter * this.rng(now)())
    this.changePending = false
  }

  private push (msg: EphemeralMessage): void {
    const bytes = encodeEphemeral(msg)
    this.counters.bytesSent += bytes.byteLength
    this.outgoing.push(bytes)
  }

  /** Versions never go back, also across restarts: max(last + 1, now). */
  private nextVersion (now: number): number {
    return Math.max(this.version + 1, Math.floor(now))
  }

  /** The random source; the default PRNG is seeded from the self id and the first `now` (so a restart draws new ids). */
  private rng (now: number): () => number {
    if (this.random === undefined) {
      this.random = this.options.random ?? createRandom(seedFromString(`${this.selfId}:${now}`))
    }
    return this.random
  }

  /** 16 random bytes as hex (envelope and poll ids). */
  private newId (now: number): string {
    const random = this.rng(now)
    let hex = ''
    for (let i = 0; i < 4; i++) hex += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0')
    return hex
  }

  private selfEntry (now: number): RosterEntry {
    return {
      peerId: this.selfId,
      nick: this.nick,
      status: this.statusText,
      away: this.away,
      client: this.client,
      joinedAt: this.joinedAt,
      lastSeen: now,
      direct: false,
      self: true
    }
  }

  private toEntry (s: PeerState): RosterEntry {
    return {
      peerId: s.peerId,
      nick: s.nick,
      status: s.status,
      away: s.away,
      client: s.client,
      joinedAt: s.joinedAt,
      lastSeen: s.lastSeen,
      direct: this.direct.has(s.peerId),
      self: false
    }
  }
}

function checkText (value: string, what: string, max: number): void {
  if (typeof value !== 'string' || value.length > max) {
    throw presenceError('INVALID_FIELD', `${what} must be a string of at most ${max} characters`)
  }
}

/** Groups drained events the way the Room's `roster:change` event carries them. */
export function rosterChange (events: PresenceEvent[]): { joined: RosterEntry[], left: RosterEntry[], changed: RosterEntry[] } {
  const out = { joined: [] as RosterEntry[], left: [] as RosterEntry[], changed: [] as RosterEntry[] }
  for (const e of events) {
    if (e.type === 'roster:joined') out.joined.push(e.entry)
    else if (e.type === 'roster:left') out.left.push(e.entry)
    else if (e.type === 'roster:changed') out.changed.push(e.entry)
  }
  return out
}
