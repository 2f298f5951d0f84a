/**
 * Raft's safety properties (Raft paper, figure 3), checked incrementally on a `Cluster`'s
 * events across all of its history, crashes included: election safety, leader append-only,
 * log matching, leader completeness and state machine safety, plus what a member persists
 * (term never decreases, one vote per term, commit never decreases, and a vote or an
 * acknowledgement is on disk before the message saying so is sent). The first breach throws
 * `SafetyViolation`, out of whatever cluster call caused it.
 */
import type { HardState, MemberId, RaftStatus, Ready } from '../../../src/consensus/index.js'
import type { Cluster, ClusterEvent, Member } from './cluster.js'
import { entryKey, snapshotDigest } from './disk.js'

/** A safety property does not hold. */
export class SafetyViolation extends Error {
  override name = 'SafetyViolation'
}

/** What a new leader's log held when it was elected: the term of each index after its snapshot. */
interface LeaderLog {
  readonly id: MemberId
  readonly term: number
  readonly snapshotIndex: number
  readonly terms: readonly number[]
}

/** A committed index: its entry's term and content, and the earliest term it was seen committed in. */
interface Committed {
  readonly term: number
  readonly key: string
  commitTerm: number
}

/** Watches a cluster and throws at the first broken property. */
export class SafetyChecker {
  /** Every leader seen, by term. */
  readonly leaders = new Map<number, MemberId>()
  private readonly leaderLogs: LeaderLog[] = []
  /** `index/term` → `prevTerm|content` of every entry ever persisted anywhere. */
  private readonly entries = new Map<string, string>()
  private readonly committed = new Map<number, Committed>()
  private readonly appliedKeys = new Map<number, string>()
  private readonly appliedDigests = new Map<number, string>()
  private readonly hardStates = new Map<MemberId, HardState>()
  private readonly cluster: Cluster

  constructor (cluster: Cluster) {
    this.cluster = cluster
    cluster.observe(event => this.on(event))
  }

  /** The highest index known committed. */
  get commitIndex (): number {
    let max = 0
    for (const i of this.committed.keys()) max = Math.max(max, i)
    return max
  }

  private on (event: ClusterEvent): void {
    switch (event.type) {
      case 'ready': this.onReady(event.member, event.ready, event.before, event.after); break
      case 'apply': {
        const { member, entry } = event
        const key = entryKey(entry)
        const known = this.appliedKeys.get(entry.index)
        if (known !== undefined && known !== key) this.fail(`state machine safety: ${member.id} applied ${entry.index} as ${key}, another member applied ${known}`)
        this.appliedKeys.set(entry.index, key)
        const c = this.committed.get(entry.index)
        if (c === undefined || c.key !== key) this.fail(`${member.id} applied ${entry.index} as ${key}, which was never seen committed (committed: ${c?.key ?? 'nothing'})`)
        this.digestAt(member, entry.index, member.app.digest, 'applied')
        break
      }
      case 'install':
      case 'compact':
        this.digestAt(event.member, event.snapshot.index, snapshotDigest(event.snapshot), event.type === 'install' ? 'installed a snapshot' : 'compacted')
        break
      default:
    }
  }

  private onReady (member: Member, ready: Ready, before: RaftStatus, after: RaftStatus): void {
    const id = member.id
    if (ready.hardState !== undefined) this.hardState(id, ready.hardState)
    const stillLeader = before.role === 'leader' && after.role === 'leader' && before.term === after.term
    if (stillLeader) {
      if (ready.snapshot !== undefined) this.fail(`leader append-only: leader ${id} of term ${after.term} installed a snapshot`)
      if (ready.entries.length > 0 && ready.entries[0].index <= before.lastIndex) {
        this.fail(`leader append-only: leader ${id} of term ${after.term} rewrote its log from ${ready.entries[0].index} (last was ${before.lastIndex})`)
      }
      if (after.lastIndex < before.lastIndex) this.fail(`leader append-only: leader ${id} of term ${after.term} shrank its log from ${before.lastIndex} to ${after.lastIndex}`)
    }
    for (const e of ready.entries) {
      const prevTerm = member.disk.termAt(e.index - 1)
      const key = `${e.index}/${e.term}`
      const value = `${prevTerm ?? '?'}|${entryKey(e)}`
      const known = this.entries.get(key)
      if (known !== undefined && known !== value) this.fail(`log matching: ${id} holds ${key} as ${value}, another log held it as ${known}`)
      this.entries.set(key, value)
    }
    this.durable(member, ready)
    if (after.role === 'leader' && !stillLeader) this.newLeader(member, after.term)
    if (after.commit > before.commit) this.commits(member, before.commit, after.commit, after.term)
  }

  /** What a member promises in a message must be on its disk before it is sent (it may crash right after). */
  private durable (member: Member, ready: Ready): void {
    const hs = member.disk.hardState
    for (const m of ready.messages) {
      const polling = m.type === 'pre-vote' || (m.type === 'pre-vote-response' && m.granted)
      if (!polling && m.term > (hs?.term ?? 0)) this.fail(`durability: ${member.id} sent ${m.type} of term ${m.term} with term ${hs?.term ?? 0} on disk`)
      if (m.type === 'vote-response' && m.granted && (hs?.vote !== m.to || hs.term !== m.term)) {
        this.fail(`durability: ${member.id} granted its vote to ${m.to} in term ${m.term} with vote ${hs?.vote ?? 'none'} in term ${hs?.term ?? 0} on disk`)
      }
      if (m.type === 'append-response' && m.success && member.disk.lastIndex < m.index) {
        this.fail(`durability: ${member.id} acknowledged up to ${m.index} with only ${member.disk.lastIndex} on disk`)
      }
    }
  }

  private hardState (id: MemberId, hs: HardState): void {
    const prev = this.hardStates.get(id)
    if (prev !== undefined) {
      if (hs.term < prev.term) this.fail(`${id} persisted term ${hs.term} after ${prev.term}`)
      if (hs.term === prev.term && prev.vote !== undefined && hs.vote !== prev.vote) this.fail(`${id} voted for ${hs.vote ?? 'nobody'} in term ${hs.term} after voting for ${prev.vote}`)
      if (hs.commit < prev.commit) this.fail(`${id} persisted commit ${hs.commit} after ${prev.commit}`)
    }
    this.hardStates.set(id, hs)
  }

  private newLeader (member: Member, term: number): void {
    const known = this.leaders.get(term)
    if (known !== undefined && known !== member.id) this.fail(`election safety: ${member.id} and ${known} both led term ${term}`)
    this.leaders.set(term, member.id)
    const d = member.disk
    const log: LeaderLog = { id: member.id, term, snapshotIndex: d.snapshotIndex, terms: d.entries.map(e => e.term) }
    this.leaderLogs.push(log)
    for (const [index, c] of this.committed) this.complete(log, index, c)
  }

  /** Records indices (from, to] as committed, seen in `term`. */
  private commits (member: Member, from: number, to: number, term: number): void {
    for (let i = from + 1; i <= to; i++) {
      const e = member.disk.entry(i)
      if (e === undefined) continue // covered by a snapshot: committed earlier elsewhere
      const key = entryKey(e)
      const c = this.committed.get(i)
      if (c !== undefined && c.key !== key) this.fail(`state machine safety: ${member.id} committed ${i} as ${key}, it was committed as ${c.key}`)
      if (c !== undefined && c.commitTerm <= term) continue
      const record: Committed = c ?? { term: e.term, key, commitTerm: term }
      record.commitTerm = term
      this.committed.set(i, record)
      for (const log of this.leaderLogs) this.complete(log, i, record)
    }
  }

  /** Leader completeness: a leader of a later term than a commit holds the committed entry. */
  private complete (log: LeaderLog, index: number, c: Committed): void {
    if (log.term <= c.commitTerm || index <= log.snapshotIndex) return
    const held = log.terms[index - log.snapshotIndex - 1]
    if (held !== c.term) {
      this.fail(`leader completeness: ${log.id} became leader of term ${log.term} holding ${held === undefined ? 'no entry' : `term ${held}`} at ${index}, committed in term ${c.commitTerm} as ${c.key}`)
    }
  }

  private digestAt (member: Member, index: number, digest: string, what: string): void {
    const known = this.appliedDigests.get(index)
    if (known !== undefined && known !== digest) this.fail(`state machine safety: ${member.id} ${what} at ${index} with state ${digest}, another member had ${known}`)
    this.appliedDigests.set(index, digest)
  }

  private fail (message: string): never {
    throw new SafetyViolation(`at ${this.cluster.now} ms: ${message}`)
  }
}
