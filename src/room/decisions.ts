/**
 * The room driver's part for the committee's decisions, pure: batches from the topic, catch-up
 * answers and this peer's own committee member go to `RoomGovernance`; what they change becomes
 * `governance` events with nicks; a peer that finds itself behind asks one peer at a time for
 * what follows (`RoomReady.catchUps`); a finality checkpoint is checked against our own history;
 * and the leader's next checkpoint is computed here from that history.
 */
import type { CertifiedBatch } from '../consensus/index.js'
import type { ReliableChannel } from '../reliability/index.js'
import type { RoomReady } from './driver-types.js'
import { finalityDigest } from './finality.js'
import type { GovernanceEvent } from './governance.js'
import type { GovernanceAction } from './governance-codec.js'
import { RoomGovernance } from './room-governance.js'
import type { ChatLine, GovernanceNotice } from './types.js'

/** Timing of catch-ups and checkpoints. */
export interface DecisionTiming {
  /** How long a catch-up may take before another peer is asked. */
  catchUpTimeoutMs: number
  /** Least time between two catch-ups started by a peer joining (a newcomer, a reconnect). */
  catchUpOnJoinMs: number
  /** Catch-up attempts (one peer each) after one trigger. */
  catchUpAttempts: number
  /** How often the leader commits a finality checkpoint (when there is new history). */
  checkpointIntervalMs: number
  /** A checkpoint covers lines at least this old (ms): later ones may still be in flight. */
  finalityLagMs: number
  /** A member the leader has not heard from this long (ms) is replaced from the online trusted peers. */
  memberSilenceMs: number
  /** A trusted peer must be in the room this long (ms) before the leader adds it. */
  candidateSettleMs: number
  /**
   * A member replaces its Raft log by a snapshot of the room's governance every this many entries;
   * 0 (the default): never. Off until a catch-up can carry a certified snapshot: a peer that
   * restarts catches the room's decisions up from others' logs, so after every peer has compacted
   * and restarted, the decisions before the snapshot could not be served.
   */
  compactEvery: number
}

/** Defaults: a checkpoint every 30 s over lines at least 10 s old; a member silent for 10 s is replaced. */
export const DEFAULT_DECISION_TIMING: DecisionTiming = {
  catchUpTimeoutMs: 3_000,
  catchUpOnJoinMs: 10_000,
  catchUpAttempts: 5,
  checkpointIntervalMs: 30_000,
  finalityLagMs: 10_000,
  memberSilenceMs: 10_000,
  candidateSettleMs: 5_000,
  compactEvery: 0
}

/** What the decisions part needs from its driver. */
export interface DecisionHost {
  selfId: string
  channel: ReliableChannel
  timing: DecisionTiming
  /** Topic peers, connected first. */
  peers: () => string[]
  nickFor: (peer: string) => string | undefined
  /** The chat line of a message id, when this peer holds it (for pins). */
  lineOf: (id: string) => ChatLine | undefined
  out: () => RoomReady
}

/** Checkpoint windows remembered to tell a late line from a repaired one. */
export const WINDOWS_KEPT = 128

/** A checkpoint's window (after, lamport], and how our history compared with its digest. */
interface Window { after: number, lamport: number, digest: string, agree?: boolean }

/** One room's decisions. */
export class Decisions {
  /** The newest checkpoint windows, oldest first. */
  private readonly windows: Window[] = []
  private inFlight?: { target: string, after: number, until: number }
  private attemptsLeft = 0
  private readonly failedTargets = new Set<string>()
  private lastJoinCatchUp = Number.NEGATIVE_INFINITY
  private lastCheckpointProposal = Number.NEGATIVE_INFINITY
  private proposedLamport = 0
  /** Catch-ups that failed (a timeout, a dial failure, a garbled or refused answer). */
  catchUpsFailed = 0
  /** Decision messages that came over the topic (one per distinct message; gossipsub drops copies), and their content bytes. */
  readonly traffic = { topicBatches: 0, topicBytes: 0, catchUps: 0 }

  constructor (readonly governance: RoomGovernance, private readonly host: DecisionHost) {}

  /** Lamport value up to which the order is final (0: none yet). */
  get finalLamport (): number { return this.governance.governance.finalLamport }

  /**
   * A batch from the topic (published by `publisher`), a catch-up answer (`earlier`: decided
   * before we learned of it), or our own member. Returns a refusal reason.
   */
  offer (batch: CertifiedBatch, publisher: string | undefined, now: number, earlier = false): { refused?: string, applied: number, vouched: boolean } {
    const outcome = this.governance.offer(batch, publisher)
    if (outcome.refused !== undefined) return { refused: outcome.refused, applied: 0, vouched: false }
    this.announce(outcome.events, now, earlier)
    // A catch-up answer that leaves us behind is the catch-up's to follow up, not a new one.
    if (outcome.behind && !earlier) this.wantCatchUp(publisher, now)
    return { applied: outcome.applied, vouched: outcome.vouched }
  }

  /** A catch-up was answered (`batch` undefined: the peer holds nothing newer). */
  caughtUp (target: string, batch: CertifiedBatch | undefined, now: number): void {
    if (this.inFlight?.target !== target) return
    this.inFlight = undefined
    if (batch === undefined) {
      if (this.governance.counts().held > 0) this.next(now)
      return
    }
    const before = this.governance.appliedIndex
    const { refused } = this.offer(batch, undefined, now, true)
    // A refused answer, or one that moved us nowhere (a batch past our gap), is that peer's last
    // chance in this round: the next peer is asked.
    if (refused !== undefined || this.governance.appliedIndex === before) { this.failedTargets.add(target); this.next(now); return }
    // The peer may hold more: ask it again at once.
    this.ask(target, now, false)
  }

  /** A catch-up failed (timeout, dial failure, garbled answer). */
  catchUpFailed (target: string, now: number): void {
    if (this.inFlight?.target !== target) return
    this.inFlight = undefined
    this.catchUpsFailed++
    this.failedTargets.add(target)
    this.next(now)
  }

  /** Peers joined the topic: a newcomer, or our own return, may carry decisions we missed. */
  joined (joined: readonly string[], now: number): void {
    if (this.governance.mode === 'none' || joined.length === 0 || now - this.lastJoinCatchUp < this.host.timing.catchUpOnJoinMs) return
    this.lastJoinCatchUp = now
    this.wantCatchUp(joined[0], now)
  }

  /** Time: a catch-up that took too long goes to the next peer. */
  tick (now: number): void {
    if (this.inFlight !== undefined && now >= this.inFlight.until) this.catchUpFailed(this.inFlight.target, now)
  }

  /** When `tick` has work. */
  nextDeadline (): number { return this.inFlight?.until ?? Number.POSITIVE_INFINITY }

  /**
   * The leader's next finality checkpoint: "the order is final up to L", L the newest line at
   * least `finalityLagMs` old, with the digest of the window since the last checkpoint. Undefined
   * when one is not due or there is nothing new to make final.
   */
  checkpointDue (now: number): Extract<GovernanceAction, { type: 'checkpoint' }> | undefined {
    const { checkpointIntervalMs, finalityLagMs } = this.host.timing
    if (this.governance.mode === 'none' || now - this.lastCheckpointProposal < checkpointIntervalMs) return undefined
    const after = this.finalLamport
    const upTo = now - finalityLagMs
    const window = this.host.channel.history().filter(m => m.kind === 'content' && m.lamport > after && m.lamport <= upTo)
    if (window.length === 0) return undefined
    const lamport = Math.max(...window.map(m => m.lamport))
    if (lamport <= this.proposedLamport) return undefined
    this.lastCheckpointProposal = now
    this.proposedLamport = lamport
    return { type: 'checkpoint', lamport, digest: finalityDigest(window.map(m => ({ lamport: m.lamport, id: m.messageId })), lamport, after) }
  }

  private announce (events: GovernanceEvent[], now: number, earlier: boolean): void {
    for (const e of events) {
      const notice = this.notice(e, now)
      if (notice !== undefined) this.host.out().events.push({ type: 'governance', detail: earlier ? { ...notice, earlier: true } : notice })
    }
  }

  private notice (e: GovernanceEvent, now: number): GovernanceNotice | undefined {
    const nick = (peer: string): { nick?: string } => { const n = this.host.nickFor(peer); return n === undefined ? {} : { nick: n } }
    const byNick = (peer: string): { byNick?: string } => { const n = this.host.nickFor(peer); return n === undefined ? {} : { byNick: n } }
    switch (e.type) {
      case 'banned': return { type: 'banned', peer: e.peer, ...nick(e.peer), reason: e.reason, by: e.by, ...byNick(e.by), self: e.peer === this.host.selfId }
      case 'unbanned': return { type: 'unbanned', peer: e.peer, ...nick(e.peer), by: e.by, ...byNick(e.by), self: e.peer === this.host.selfId }
      case 'title': return { type: 'title', text: e.text, by: e.by, ...byNick(e.by) }
      case 'pinned':
      case 'unpinned': {
        const line = this.host.lineOf(e.messageId)
        return { type: e.type, messageId: e.messageId, ...(line === undefined ? {} : { line }), by: e.by, ...byNick(e.by) }
      }
      case 'final': return this.checkFinal(e, now)
    }
  }

  /**
   * A content line was just delivered: true when it is late, i.e. it lies in a checkpoint's window
   * that our history matched without it (so the committee's final order does not hold it). In a
   * window our history differed from, a line that makes the digests match was one we lacked: it
   * is in the final order, not late. In a window we could not check (before we joined), it is
   * history, not late.
   */
  lateArrival (msg: { lamport: number, messageId: string }): boolean {
    if (msg.lamport > this.finalLamport) return false
    const w = this.windows.find(x => msg.lamport > x.after && msg.lamport <= x.lamport)
    if (w === undefined || w.agree === undefined) return false
    if (w.agree) return true
    if (this.digestOf(w) === w.digest) w.agree = true
    return false
  }

  private digestOf (w: Window): string {
    return finalityDigest(this.host.channel.history().filter(m => m.kind === 'content').map(m => ({ lamport: m.lamport, id: m.messageId })), w.lamport, w.after)
  }

  /** Our history over a checkpoint's window against the committee's digest; a mismatch asks peers for what we lack. */
  private checkFinal (e: Extract<GovernanceEvent, { type: 'final' }>, now: number): GovernanceNotice {
    const base = { type: 'final' as const, lamport: e.lamport, digest: e.digest }
    const window: Window = { after: e.after, lamport: e.lamport, digest: e.digest }
    this.windows.push(window)
    if (this.windows.length > WINDOWS_KEPT) this.windows.shift()
    const joinedAt = this.host.channel.joinedAt
    const held = this.host.channel.history()
    // A window before we joined holds pre-join history we pulled only in part; one older than
    // what memory keeps cannot be recomputed here. Neither is checked.
    const oldest = held.length > 0 ? held[0].lamport : Number.POSITIVE_INFINITY
    if (joinedAt === undefined || e.after < joinedAt || (held.length >= this.host.channel.options.storeMaxMessages && oldest > e.after)) return base
    window.agree = this.digestOf(window) === e.digest
    if (window.agree) return { ...base, agree: true }
    this.host.channel.syncSoon(now, 0)
    return { ...base, agree: false }
  }

  private wantCatchUp (preferred: string | undefined, now: number): void {
    if (this.inFlight !== undefined) return
    this.attemptsLeft = this.host.timing.catchUpAttempts
    this.failedTargets.clear()
    const target = preferred !== undefined && preferred !== this.host.selfId ? preferred : this.pick()
    if (target !== undefined) this.ask(target, now)
  }

  private next (now: number): void {
    if (this.attemptsLeft <= 0) return
    const target = this.pick()
    if (target !== undefined) this.ask(target, now)
  }

  private pick (): string | undefined {
    return this.host.peers().find(p => p !== this.host.selfId && !this.failedTargets.has(p))
  }

  /** Asks `target`; `counted`: this uses up one of the trigger's attempts (a follow-up after progress does not). */
  private ask (target: string, now: number, counted = true): void {
    if (counted) this.attemptsLeft--
    this.traffic.catchUps++
    const after = this.governance.appliedIndex
    this.inFlight = { target, after, until: now + this.host.timing.catchUpTimeoutMs }
    this.host.out().catchUps.push({ target, after })
  }
}
