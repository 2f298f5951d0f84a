/**
 * One committee member's Raft, in the etcd-io/raft shape: `step(message, now)` and
 * `tick(now)` take input, `propose`/`changeMembers`/`compact` take the application's requests,
 * and `ready()` hands over a batch to persist, send and apply. No timers, sockets or clock.
 *
 * Built in: leader election with randomized timeouts and pre-vote (thesis §9.6), a leader lease
 * and check-quorum (a member that hears its leader ignores polls; a leader that hears no
 * majority steps down), log replication with commit by majority of the leader's own term,
 * single-server membership changes (thesis §4.1), and snapshots (log compaction).
 */
import { P2pchatError } from '../errors.js'
import { createRandom, seedFromString } from '../shared/index.js'
import { membersAt, singleChange } from './config.js'
import { RaftLog } from './log.js'
import { resolveConsensusOptions, type ConsensusOptions } from './options.js'
import { majorityIndex, pollResult } from './quorum.js'
import type { ConfigAt, AppendRequest, AppendResponse, DropReason, Entry, HardState, MemberId, Message, RaftStatus, RaftStorage, Ready, Role, Snapshot, SnapshotRequest, SoftState, VoteRequest, VoteResponse, PreVoteRequest } from './types.js'

/** How a member starts: its id, the initial member list (used when storage holds none), and what it had persisted. */
export interface RaftInit extends Partial<ConsensusOptions> {
  id: MemberId
  members: readonly MemberId[]
  storage?: RaftStorage
}

/** A leader's view of one member's replication. */
interface Progress {
  /** The next index to send. */
  next: number
  /** The highest index known replicated there. */
  match: number
  /** Heard from since the last quorum check. */
  active: boolean
  /** When the leader last heard from it (its clock; since it became leader, or added it, when never). */
  heardAt?: number
  /** Set for a member being removed: the config entry that removes it. It is still sent the log until that entry commits, so it learns it was removed and stops polling. */
  leaving?: number
}

const EMPTY = new Uint8Array(0)

/** A committee member's consensus state machine. */
export class RaftCore {
  readonly id: MemberId
  private readonly options: ConsensusOptions
  private readonly random: () => number
  private readonly log: RaftLog
  private term = 0
  private vote: MemberId | undefined
  private role: Role = 'follower'
  private leader: MemberId | undefined
  /** The member list below the log: the snapshot's, or the initial one. */
  private baseMembers: readonly MemberId[]
  private members: readonly MemberId[]
  private configIndex = 0
  private snapshot: Snapshot | undefined
  private electionDeadline: number
  /** The latest time given to `tick`, `step` or the constructor. */
  private clock: number
  private lastLeaderContact = -Infinity
  private heartbeatDue = 0
  private quorumCheckDue = 0
  private readonly votes = new Map<MemberId, boolean>()
  private readonly progress = new Map<MemberId, Progress>()
  private readonly dropped: Partial<Record<DropReason, number>> = {}
  // Output waiting for ready().
  private messages: Message[] = []
  private unsaved: Entry[] = []
  private unsavedSnapshot: Snapshot | undefined
  private savedHard: HardState
  private shownSoft: SoftState = { role: 'follower' }

  constructor (init: RaftInit, now: number) {
    this.id = init.id
    this.options = resolveConsensusOptions(init)
    this.random = createRandom(seedFromString(`${this.options.seed}/${init.id}`))
    const storage = init.storage ?? {}
    this.snapshot = storage.snapshot
    this.log = new RaftLog(storage.snapshot, storage.entries ?? [])
    this.baseMembers = storage.snapshot?.members ?? [...init.members]
    this.term = storage.hardState?.term ?? 0
    this.vote = storage.hardState?.vote
    this.log.commit = Math.min(Math.max(storage.hardState?.commit ?? 0, this.log.commit), this.log.lastIndex)
    this.savedHard = this.hardState()
    const config = membersAt(this.log, this.log.lastIndex, this.baseMembers)
    this.members = config.members
    this.configIndex = config.configIndex
    this.clock = now
    this.electionDeadline = now + this.randomizedTimeout()
  }

  /** Advances time: a follower polls for an election after its timeout; a leader heartbeats and checks its quorum. */
  tick (now: number): void {
    this.clock = Math.max(this.clock, now)
    if (this.role === 'leader') {
      if (now >= this.quorumCheckDue) this.checkQuorum(now)
      if (this.role === 'leader' && now >= this.heartbeatDue) {
        this.heartbeatDue = now + this.options.heartbeatIntervalMs
        this.broadcastAppend()
      }
      return
    }
    if (now >= this.electionDeadline) {
      this.electionDeadline = now + this.randomizedTimeout()
      if (this.members.includes(this.id)) this.preCampaign(now)
    }
  }

  /**
   * Polls for an election now, as if the election timeout had passed (etcd's `Campaign`): for
   * a member chosen to go first when a committee forms, or a test. Ignored on a leader or a non-member.
   */
  campaignNow (now: number): void {
    this.clock = Math.max(this.clock, now)
    if (this.role === 'leader' || !this.members.includes(this.id)) return
    this.electionDeadline = now + this.randomizedTimeout()
    this.preCampaign(now)
  }

  /** Takes one message from another member. Never throws on what the network delivers: bad input is dropped and counted. */
  step (message: Message, now: number): void {
    this.clock = Math.max(this.clock, now)
    if (message.to !== this.id || message.from === this.id) { this.drop('misaddressed'); return }
    if (!wellFormed(message)) { this.drop('malformed'); return }
    if (message.term > this.term) {
      if (message.type === 'pre-vote' || (message.type === 'pre-vote-response' && message.granted)) {
        // Polls never change anyone's term.
      } else if (message.type === 'vote' && this.inLease(now)) {
        this.drop('stale-term')
        return
      } else {
        const fromLeader = message.type === 'append' || message.type === 'snapshot'
        this.becomeFollower(message.term, fromLeader ? message.from : undefined, now)
      }
    } else if (message.term < this.term) {
      this.answerStale(message)
      return
    }
    switch (message.type) {
      case 'pre-vote': this.onPreVote(message, now); break
      case 'vote': this.onVote(message, now); break
      case 'pre-vote-response': this.onPreVoteResponse(message, now); break
      case 'vote-response': this.onVoteResponse(message, now); break
      case 'append': this.onAppend(message, now); break
      case 'append-response': this.onAppendResponse(message); break
      case 'snapshot': this.onSnapshot(message, now); break
    }
  }

  /** Appends an application command (leader only); returns its index. */
  propose (data: Uint8Array): number {
    this.requireLeader()
    const index = this.appendOwn({ kind: 'command', data })
    this.broadcastAppend()
    this.maybeCommit()
    return index
  }

  /**
   * Adds or removes one member (leader only), by appending the whole new list; it is in force
   * at once. Refused while an earlier change is uncommitted, or before the leader has committed
   * an entry of its own term (the fix to the single-server algorithm in Ongaro's errata).
   */
  changeMembers (members: readonly MemberId[]): number {
    this.requireLeader()
    if (this.configIndex > this.log.commit || this.log.termAt(this.log.commit) !== this.term) {
      throw new P2pchatError('CHANGE_PENDING', 'a membership change is still being committed; try again when it is')
    }
    const change = singleChange(this.members, members)
    if (change === undefined) throw new P2pchatError('INVALID_ARGUMENT', 'a membership change adds or removes exactly one member')
    const index = this.appendOwn({ kind: 'config', data: EMPTY, members: [...members] })
    if (change.added !== undefined) this.progress.set(change.added, { next: index, match: 0, active: true, heardAt: this.clock })
    const leaving = change.removed === undefined ? undefined : this.progress.get(change.removed)
    if (leaving !== undefined) leaving.leaving = index
    this.broadcastAppend()
    this.maybeCommit()
    return index
  }

  /**
   * Replaces the log up to `index` (already applied) by the application's state there. The
   * caller persists the returned snapshot itself; it is sent to members too far behind for the log.
   */
  compact (index: number, data: Uint8Array): Snapshot {
    if (!Number.isSafeInteger(index) || index <= this.log.snapshotIndex || index > this.log.applied) {
      throw new P2pchatError('INVALID_ARGUMENT', `can only compact up to the applied index ${this.log.applied}, past the snapshot at ${this.log.snapshotIndex}; got ${index}`)
    }
    const term = this.log.termAt(index) ?? 0
    const members = membersAt(this.log, index, this.baseMembers).members
    const snapshot: Snapshot = { index, term, members, data }
    this.snapshot = snapshot
    this.baseMembers = members
    this.log.compact(index)
    return snapshot
  }

  /** The config in force at `index` and the list before it (exact from the snapshot's index on). */
  configAt (index: number): ConfigAt {
    const at = membersAt(this.log, index, this.baseMembers)
    if (at.configIndex === 0) return { members: at.members, configIndex: 0 }
    return { members: at.members, configIndex: at.configIndex, before: membersAt(this.log, at.configIndex - 1, this.baseMembers).members }
  }

  /** The index of the latest config entry in the log (0 with none). */
  get latestConfigIndex (): number {
    return this.configIndex
  }

  /** True when `ready()` has something. */
  hasReady (): boolean {
    return this.messages.length > 0 || this.unsaved.length > 0 || this.unsavedSnapshot !== undefined ||
      this.log.commit > this.log.applied || !sameHard(this.savedHard, this.hardState()) || !sameSoft(this.shownSoft, this.softState())
  }

  /** Everything produced since the last call: persist, then send, then apply (see `Ready`). */
  ready (): Ready {
    const hard = this.hardState()
    const soft = this.softState()
    const committed = this.log.slice(this.log.applied + 1, this.log.commit)
    this.log.applied = Math.max(this.log.applied, this.log.commit)
    const out: Ready = {
      ...(sameHard(this.savedHard, hard) ? {} : { hardState: hard }),
      entries: this.unsaved,
      ...(this.unsavedSnapshot === undefined ? {} : { snapshot: this.unsavedSnapshot }),
      committed,
      messages: this.messages,
      ...(sameSoft(this.shownSoft, soft) ? {} : { softState: soft })
    }
    this.savedHard = hard
    this.shownSoft = soft
    this.unsaved = []
    this.unsavedSnapshot = undefined
    this.messages = []
    return out
  }

  /** This member's state, for `/committee` and tests. */
  status (): RaftStatus {
    return {
      id: this.id,
      role: this.role,
      term: this.term,
      ...(this.leader === undefined ? {} : { leader: this.leader }),
      commit: this.log.commit,
      applied: this.log.applied,
      lastIndex: this.log.lastIndex,
      snapshotIndex: this.log.snapshotIndex,
      members: this.members,
      ...(this.role === 'leader' ? { heardAt: Object.fromEntries([...this.progress].map(([member, p]) => [member, p.heardAt ?? this.clock])) } : {}),
      dropped: { ...this.dropped }
    }
  }

  // ---- elections

  private preCampaign (now: number): void {
    this.role = 'pre-candidate'
    this.leader = undefined
    this.votes.clear()
    this.votes.set(this.id, true)
    if (pollResult(this.members, this.votes) === 'won') { this.campaign(now); return }
    for (const m of this.others()) {
      this.send({ type: 'pre-vote', from: this.id, to: m, term: this.term + 1, lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm })
    }
  }

  private campaign (now: number): void {
    this.term += 1
    this.vote = this.id
    this.role = 'candidate'
    this.leader = undefined
    this.votes.clear()
    this.votes.set(this.id, true)
    this.electionDeadline = now + this.randomizedTimeout()
    if (pollResult(this.members, this.votes) === 'won') { this.becomeLeader(now); return }
    for (const m of this.others()) {
      this.send({ type: 'vote', from: this.id, to: m, term: this.term, lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm })
    }
  }

  private onPreVote (m: PreVoteRequest, now: number): void {
    // Granted only for a later term, to an up-to-date log, when this member hears no leader.
    const granted = m.term > this.term && this.log.isUpToDate(m.lastIndex, m.lastTerm) && !this.inLease(now)
    this.send({ type: 'pre-vote-response', from: this.id, to: m.from, term: granted ? m.term : this.term, granted })
  }

  private onVote (m: VoteRequest, now: number): void {
    const canVote = this.vote === m.from || (this.vote === undefined && this.leader === undefined)
    const granted = canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm)
    if (granted) {
      this.vote = m.from
      this.electionDeadline = now + this.randomizedTimeout()
    }
    this.send({ type: 'vote-response', from: this.id, to: m.from, term: this.term, granted })
  }

  private onPreVoteResponse (m: VoteResponse, now: number): void {
    if (this.role !== 'pre-candidate') return
    if (m.granted && m.term !== this.term + 1) return
    this.votes.set(m.from, m.granted)
    const result = pollResult(this.members, this.votes)
    if (result === 'won') this.campaign(now)
    else if (result === 'lost') this.becomeFollower(this.term, undefined, now)
  }

  private onVoteResponse (m: VoteResponse, now: number): void {
    if (this.role !== 'candidate') return
    this.votes.set(m.from, m.granted)
    const result = pollResult(this.members, this.votes)
    if (result === 'won') this.becomeLeader(now)
    else if (result === 'lost') this.becomeFollower(this.term, undefined, now)
  }

  private becomeFollower (term: number, leader: MemberId | undefined, now: number): void {
    if (term !== this.term) {
      this.term = term
      this.vote = undefined
    }
    this.role = 'follower'
    this.leader = leader
    this.progress.clear()
    this.electionDeadline = now + this.randomizedTimeout()
  }

  private becomeLeader (now: number): void {
    this.role = 'leader'
    this.leader = this.id
    this.progress.clear()
    for (const m of this.others()) this.progress.set(m, { next: this.log.lastIndex + 1, match: 0, active: true, heardAt: now })
    this.heartbeatDue = now + this.options.heartbeatIntervalMs
    this.quorumCheckDue = now + this.options.electionTimeoutMs
    this.appendOwn({ kind: 'noop', data: EMPTY })
    this.broadcastAppend()
    this.maybeCommit()
  }

  /** A leader that heard from no majority in an election timeout steps down (it may be cut off). */
  private checkQuorum (now: number): void {
    this.quorumCheckDue = now + this.options.electionTimeoutMs
    const votes = new Map<MemberId, boolean>([[this.id, true]])
    for (const [m, p] of this.progress) { votes.set(m, p.active); p.active = false }
    if (pollResult(this.members, votes) !== 'won') this.becomeFollower(this.term, undefined, now)
  }

  /** True while this member has heard its leader within the election timeout (or leads). */
  private inLease (now: number): boolean {
    if (this.role === 'leader') return true
    return this.leader !== undefined && now - this.lastLeaderContact < this.options.electionTimeoutMs
  }

  /** A message of an older term: tell a stale leader or poller the newer term, drop the rest. */
  private answerStale (m: Message): void {
    this.drop('stale-term')
    if (m.type === 'append' || m.type === 'snapshot') {
      this.send({ type: 'append-response', from: this.id, to: m.from, term: this.term, success: false, index: this.log.lastIndex })
    } else if (m.type === 'pre-vote') {
      this.send({ type: 'pre-vote-response', from: this.id, to: m.from, term: this.term, granted: false })
    }
  }

  // ---- replication

  private onAppend (m: AppendRequest, now: number): void {
    this.heardLeader(m.from, now)
    const reply = (success: boolean, index: number): void => {
      this.send({ type: 'append-response', from: this.id, to: m.from, term: this.term, success, index })
    }
    if (m.prevIndex < this.log.commit) {
      // Everything up to our commit is settled and the leader holds it too (leader completeness):
      // take only what follows it.
      const lastNew = m.prevIndex + m.entries.length
      if (lastNew <= this.log.commit) { reply(true, this.log.commit); return }
      const commit = this.log.commit
      m = { ...m, prevIndex: commit, prevTerm: this.log.termAt(commit) ?? 0, entries: m.entries.slice(commit - m.prevIndex) }
    }
    if (!this.log.matches(m.prevIndex, m.prevTerm)) {
      // The leader should retry below the rejected point: at our last index if we are short,
      // else one entry lower.
      reply(false, Math.max(0, Math.min(m.prevIndex - 1, this.log.lastIndex)))
      return
    }
    const fresh = this.log.merge(m.entries)
    if (fresh === undefined) { this.drop('conflicts-committed'); return }
    if (fresh.length > 0) this.persist(fresh)
    const lastNew = m.prevIndex + m.entries.length
    if (m.commit > this.log.commit) this.log.commit = Math.max(this.log.commit, Math.min(m.commit, lastNew))
    reply(true, lastNew)
  }

  private onSnapshot (m: SnapshotRequest, now: number): void {
    this.heardLeader(m.from, now)
    const s = m.snapshot
    if (s.index <= this.log.commit) {
      this.send({ type: 'append-response', from: this.id, to: m.from, term: this.term, success: true, index: this.log.commit })
      return
    }
    if (this.log.matches(s.index, s.term)) {
      // The log already holds the snapshot's last entry: only the commit moves.
      this.log.commit = s.index
    } else {
      this.log.restore(s)
      this.snapshot = s
      this.unsavedSnapshot = s
      this.unsaved = []
      this.baseMembers = s.members
      this.refreshConfig()
    }
    this.send({ type: 'append-response', from: this.id, to: m.from, term: this.term, success: true, index: s.index })
  }

  private onAppendResponse (m: AppendResponse): void {
    if (this.role !== 'leader') return
    const p = this.progress.get(m.from)
    if (p === undefined) { this.drop('not-a-member'); return }
    p.active = true
    p.heardAt = this.clock
    if (m.success) {
      if (m.index > p.match) p.match = Math.min(m.index, this.log.lastIndex)
      p.next = Math.max(p.next, p.match + 1)
      this.maybeCommit()
      if (this.role === 'leader' && p.next <= this.log.lastIndex) this.sendAppend(m.from, p)
    } else {
      // Retry just past the follower's hint (below the rejected prev index), never below what it is
      // known to hold; a stale rejection never raises next. (Backing off from next - 1 instead
      // undid the optimistic advance of the retry itself: a livelock the interaction tests found.)
      p.next = Math.max(p.match + 1, Math.min(p.next, m.index + 1))
      this.sendAppend(m.from, p)
    }
  }

  private heardLeader (leader: MemberId, now: number): void {
    if (this.role !== 'follower' || this.leader !== leader) this.becomeFollower(this.term, leader, now)
    this.lastLeaderContact = now
    this.electionDeadline = now + this.randomizedTimeout()
  }

  private broadcastAppend (): void {
    for (const [m, p] of this.progress) this.sendAppend(m, p)
  }

  /** Sends a member what it lacks from `next` (or the snapshot, when that is compacted away); optimistic: `next` moves past what is sent. */
  private sendAppend (to: MemberId, p: Progress): void {
    const prevIndex = p.next - 1
    const prevTerm = this.log.termAt(prevIndex)
    if (prevTerm === undefined || p.next < this.log.firstIndex) {
      if (this.snapshot === undefined) return
      this.send({ type: 'snapshot', from: this.id, to, term: this.term, snapshot: this.snapshot })
      p.next = this.snapshot.index + 1
      return
    }
    const entries = this.log.slice(p.next, p.next + this.options.maxEntriesPerAppend - 1)
    this.send({ type: 'append', from: this.id, to, term: this.term, prevIndex, prevTerm, entries, commit: this.log.commit })
    if (entries.length > 0) p.next = entries[entries.length - 1].index + 1
  }

  /** Commits the highest index a majority holds, if it is of this leader's term (Raft §5.4.2). */
  private maybeCommit (): void {
    if (this.role !== 'leader') return
    const index = majorityIndex(this.members, m => m === this.id ? this.log.lastIndex : this.progress.get(m)?.match ?? 0)
    if (index > this.log.commit && this.log.termAt(index) === this.term) {
      this.log.commit = index
      for (const [m, p] of this.progress) if (p.leaving !== undefined && p.leaving <= index) this.progress.delete(m)
      // A leader that committed its own removal steps down; it will not campaign.
      if (!this.members.includes(this.id) && this.configIndex <= index) this.becomeFollower(this.term, undefined, this.clock)
    }
  }

  private appendOwn (fields: { kind: Entry['kind'], data: Uint8Array, members?: readonly MemberId[] }): number {
    const entry: Entry = { index: this.log.lastIndex + 1, term: this.term, ...fields }
    this.log.append(entry)
    this.persist([entry])
    return entry.index
  }

  /** Queues entries to persist (replacing queued ones at the same indices) and refreshes the member list. */
  private persist (entries: readonly Entry[]): void {
    const from = entries[0].index
    this.unsaved = this.unsaved.filter(e => e.index < from).concat(entries)
    this.refreshConfig()
  }

  private refreshConfig (): void {
    const config = membersAt(this.log, this.log.lastIndex, this.baseMembers)
    this.members = config.members
    this.configIndex = config.configIndex
  }

  // ---- helpers

  private requireLeader (): void {
    if (this.role !== 'leader') {
      throw new P2pchatError('NOT_LEADER', this.leader === undefined ? 'this member is not the committee leader, and no leader is known' : `this member is not the committee leader; ${this.leader} is`)
    }
  }

  private others (): MemberId[] {
    return this.members.filter(m => m !== this.id)
  }

  private send (message: Message): void {
    this.messages.push(message)
  }

  private drop (reason: DropReason): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1
  }

  private randomizedTimeout (): number {
    return this.options.electionTimeoutMs * (1 + this.random())
  }

  private hardState (): HardState {
    return { term: this.term, ...(this.vote === undefined ? {} : { vote: this.vote }), commit: this.log.commit }
  }

  private softState (): SoftState {
    return { role: this.role, ...(this.leader === undefined ? {} : { leader: this.leader }) }
  }
}

function sameHard (a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit
}

function sameSoft (a: SoftState, b: SoftState): boolean {
  return a.role === b.role && a.leader === b.leader
}

const nonNegative = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0

/** Structural checks a forged or broken message fails: indices and terms are sane, entries run on from `prevIndex`. */
function wellFormed (m: Message): boolean {
  if (!nonNegative(m.term)) return false
  switch (m.type) {
    case 'pre-vote':
    case 'vote': return nonNegative(m.lastIndex) && nonNegative(m.lastTerm) && m.lastTerm <= m.term
    case 'pre-vote-response':
    case 'vote-response': return typeof m.granted === 'boolean'
    case 'append-response': return typeof m.success === 'boolean' && nonNegative(m.index)
    case 'append':
      if (!nonNegative(m.prevIndex) || !nonNegative(m.prevTerm) || !nonNegative(m.commit) || m.prevTerm > m.term) return false
      if (m.prevIndex === 0 && m.prevTerm !== 0) return false
      return m.entries.every((e, i) => e.index === m.prevIndex + 1 + i && nonNegative(e.term) && e.term >= (i === 0 ? m.prevTerm : m.entries[i - 1].term) && e.term <= m.term &&
        (e.kind !== 'config' || (Array.isArray(e.members) && e.members.length > 0)))
    case 'snapshot': {
      const s = m.snapshot
      return nonNegative(s.index) && s.index > 0 && nonNegative(s.term) && s.term <= m.term && Array.isArray(s.members) && s.members.length > 0
    }
  }
}
