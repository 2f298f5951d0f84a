/**
 * The I/O side of a room's committee: the decisions protocol for every peer (answering catch-ups
 * from what the driver applied, making the driver's catch-ups, asking the leader to take a
 * command), and, on a peer the registry puts on the committee, the Raft member itself. The
 * member's certified entries go to the driver like any batch; the leader also publishes them on
 * the topic, and commits a finality checkpoint when the driver says one is due.
 */
import { createHash } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { nextMembershipChange, steadyTrustedCommittee, type CertifiedBatch, type ConsensusOptions, type Entry, type QuorumCertificate, type SoftState } from '../consensus/index.js'
import type { ChatNode } from '../node/create-node.js'
import { KvCommitteeStorage, MemoryCommitteeStorage, type ChatStore } from '../store/index.js'
import { P2pchatError, isP2pchatError } from '../errors.js'
import { CommitteeLinks } from './committee-protocol.js'
import { CommitteeService } from './committee-service.js'
import { catchUpFrom, handleDecisions, proposeTo, type ProposalAnswer } from './decision-protocol.js'
import type { DropCounter } from './drop-counter.js'
import type { RoomDriver } from './driver.js'
import { decodeGovernanceCommand, encodeGovernanceCommand, type GovernanceAction } from './governance-codec.js'

/** A command a trusted peer may ask for (checkpoints are the leader's own). */
export type GoverningAction = Exclude<GovernanceAction, { type: 'checkpoint' }>

/** How long one proposal or catch-up request may take. */
export const DECISION_REQUEST_TIMEOUT_MS = 3_000

/**
 * The leader publishes its newest batch again this often while nothing new is decided, and this
 * long after a peer joins: a batch lost on its way (or sent before a newcomer's subscription
 * arrived) reaches everyone within this time, and a peer that finds a gap catches up.
 */
export const REPUBLISH_MS = 30_000
export const REPUBLISH_ON_JOIN_MS = 1_000

/** Committed entries a member keeps while they wait to go to the room's view as a batch. */
const MAX_COMMITTED_KEPT = 10_000

/** Least time between two changes of members the leader proposes. */
export const CHANGE_SPACING_MS = 2_000

/** Proposals remembered by (proposer, issued at), so a retried one is not appended twice. */
const RECENT_PROPOSALS = 256

/** What a room's committee needs from its room. */
export interface RoomCommitteeInit {
  node: ChatNode
  privateKey: PrivateKey
  topic: string
  driver: RoomDriver
  drops: DropCounter
  store?: ChatStore
  consensus?: Partial<ConsensusOptions>
  now: () => number
  log: (line: string) => void
  /** Applies the driver's output after an input. */
  flush: () => void
}

/** A member's Raft seed from its peer id (48 bits of its SHA-256). */
function seedOf (id: string): number {
  return createHash('sha256').update(id).digest().readUIntBE(0, 6)
}

/** One room's committee, live. */
export class RoomCommittee {
  private member?: CommitteeService
  private links?: CommitteeLinks
  private unhandle?: () => Promise<void>
  private stopped = false
  /** Committed entries not yet applied as a batch, by index. */
  private readonly committed = new Map<number, Entry>()
  private readonly recentProposals = new Set<string>()
  private soft: SoftState = { role: 'follower' }
  private starting = false
  private stopping: Promise<void> = Promise.resolve()
  private compacting = false
  /** Since when each trusted peer has been in the room (the leader's view, for adding members). */
  private readonly candidateSince = new Map<string, number>()
  private lastChangeAt = Number.NEGATIVE_INFINITY
  /** Changes of members this peer proposed as leader. */
  membershipChanges = 0
  private readonly leaderWaiters: Array<() => void> = []
  /** The leader's newest published batch, when it was published, and an earlier republication due (a newcomer). */
  private lastBatch?: CertifiedBatch
  private lastPublishedAt = Number.NEGATIVE_INFINITY
  private republishAt = Number.POSITIVE_INFINITY

  constructor (private readonly init: RoomCommitteeInit) {}

  private get self (): string { return this.init.driver.selfId }
  private get governance (): RoomDriver['decisions']['governance'] { return this.init.driver.decisions.governance }

  /** Serves catch-ups and proposals; starts the Raft member when the registry puts us on the committee. */
  async start (): Promise<void> {
    if (this.governance.mode === 'none') return
    this.unhandle = await handleDecisions(this.init.node, {
      room: this.init.topic,
      catchUp: after => this.governance.serve(after),
      propose: (command, from) => this.proposal(command, from),
      failed: reason => { this.init.drops.add(`decisions-${reason}`) }
    }, DECISION_REQUEST_TIMEOUT_MS)
    if (this.governance.genesisMembers.includes(this.self)) await this.startMember(this.governance.genesisMembers)
  }

  /**
   * Runs this peer's Raft member: from the registry's committee at start, or, when certified
   * decisions add this peer later, from the committee it joins (without itself, as Raft's joiner;
   * the leader's log brings the rest).
   */
  private async startMember (members: readonly string[]): Promise<void> {
    if (this.member !== undefined || this.starting) return
    this.starting = true
    try {
      // A member being stopped finishes its writes first: the new one loads what it saved.
      await this.stopping
      if (this.links === undefined) {
        this.links = new CommitteeLinks(this.init.node)
        await this.links.start()
      }
      const store = this.init.store
      const member = new CommitteeService({
        id: this.self,
        room: this.init.topic,
        members,
        links: this.links,
        storage: store === undefined ? new MemoryCommitteeStorage() : new KvCommitteeStorage(store.kv, this.init.topic),
        sign: async payload => await this.init.privateKey.sign(payload),
        // Each member draws its election timeouts from its own seed, so members do not time out together.
        consensus: { seed: seedOf(this.self), ...this.init.consensus },
        now: this.init.now,
        onCommitted: (entry, certificate) => { this.certified(entry, certificate) },
        onSoftState: state => {
          this.soft = state
          this.init.log(`committee: ${state.role}${state.leader === undefined ? '' : `, leader ${state.leader}`}`)
          if (state.leader !== undefined) for (const resolve of this.leaderWaiters.splice(0)) resolve()
        }
      })
      await member.start()
      if (this.stopped) { await member.stop(); return }
      this.member = member
      this.init.log(`committee: this peer is a member (${members.length} others known)`)
      // The member the registry ranks first polls at once (pre-vote keeps this from unseating a
      // live leader after a restart); the others wait out their election timeouts.
      if (this.governance.genesisMembers[0] === this.self && this.governance.appliedIndex === 0) member.campaign()
    } finally {
      this.starting = false
    }
  }

  /** Certified decisions took this peer off the committee: its member stops. */
  private async stopMember (): Promise<void> {
    const member = this.member
    if (member === undefined) return
    this.member = undefined
    this.soft = { role: 'follower' }
    this.committed.clear()
    this.stopping = member.stop()
    await this.stopping
    this.init.log('committee: this peer is no longer a member')
  }

  /** Stops the member and the protocol. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.member?.stop()
    await this.links?.stop()
    await this.unhandle?.().catch(() => {})
  }

  /** True when this peer is a committee member (it runs Raft). */
  get isMember (): boolean { return this.member !== undefined }

  /** The member's Raft status, when this peer is one. */
  memberStatus (): ReturnType<CommitteeService['status']> | undefined { return this.member?.status() }

  /** The leader as far as we know: Raft's, else whoever published the last decision we applied. */
  get leader (): string | undefined {
    if (this.member !== undefined) return this.soft.leader
    // Anyone can republish a certified batch: its publisher is taken for the leader only when
    // it is on the committee.
    const publisher = this.governance.lastPublisher
    return publisher !== undefined && this.governance.members.includes(publisher) ? publisher : undefined
  }

  /** Peers joined the topic: the leader publishes its newest batch again soon, for them. */
  joined (now: number): void {
    if (this.soft.role === 'leader') this.republishAt = Math.min(this.republishAt, now + REPUBLISH_ON_JOIN_MS)
  }

  /**
   * Time: this peer's member starts or stops as certified decisions put it on or off the
   * committee; the leader publishes its newest batch again when due, moves the committee one
   * member at a time toward the online trusted peers, and commits a finality checkpoint when due.
   */
  tick (now: number): void {
    if (this.stopped || this.governance.mode === 'none') return
    const onCommittee = this.governance.members.includes(this.self)
    if (onCommittee && this.member === undefined) void this.startMember(this.governance.members.filter(m => m !== this.self))
    else if (!onCommittee && this.member !== undefined && this.governance.appliedIndex > 0) void this.stopMember()
    if (this.member === undefined || this.soft.role !== 'leader') return
    this.maintainMembers(now)
    if (this.lastBatch !== undefined && (now >= this.republishAt || now - this.lastPublishedAt >= REPUBLISH_MS)) this.publish(this.lastBatch, now)
    const checkpoint = this.init.driver.decisions.checkpointDue(now)
    if (checkpoint === undefined) return
    try {
      this.member.propose(encodeGovernanceCommand({ ...checkpoint, by: this.self, issuedAt: now }))
    } catch (err) {
      this.init.log(`committee: checkpoint not proposed: ${(err as Error).message}`)
    }
  }

  /**
   * The leader's move toward the committee a trusted room should have: k = min(online trusted
   * peers, 2 + floor(ln N)) of them by rank (shrinking only once N is well below the step that
   * grew it: `steadyTrustedCommittee`). A trusted peer counts as online once it has been in
   * the room `candidateSettleMs`; a member stops counting once the leader has not heard from it
   * for `memberSilenceMs`. One change at a time, at most one per 2 s, and none while the previous
   * one is not certified.
   */
  private maintainMembers (now: number): void {
    const member = this.member
    if (member === undefined || now - this.lastChangeAt < CHANGE_SPACING_MS) return
    const { memberSilenceMs, candidateSettleMs } = this.init.driver.options.decisions
    const status = member.status()
    const trusted = this.init.driver.options.trustedPeers
    for (const peer of trusted) {
      if (peer === this.self || this.init.driver.isTopicPeer(peer)) { if (!this.candidateSince.has(peer)) this.candidateSince.set(peer, now) } else this.candidateSince.delete(peer)
    }
    const online = new Set<string>([this.self])
    for (const [peer, since] of this.candidateSince) if (now - since >= candidateSettleMs) online.add(peer)
    for (const m of status.members) {
      if (m === this.self) continue
      if (now - (status.heardAt?.[m] ?? now) < memberSilenceMs) online.add(m)
      else online.delete(m)
    }
    const next = nextMembershipChange(status.members, steadyTrustedCommittee(trusted, online, this.init.driver.roomSize(now), 0, status.members), this.self)
    if (next === undefined) return
    try {
      member.changeMembers(next)
      this.lastChangeAt = now
      this.membershipChanges++
      this.init.log(`committee: changing members to ${next.join(', ')}`)
    } catch (err) {
      // The previous change is not certified yet, or leadership just moved: try again later.
      if (!isP2pchatError(err, 'CHANGE_PENDING')) this.init.log(`committee: change of members refused: ${(err as Error).message}`)
      this.lastChangeAt = now
    }
  }

  /** Makes one catch-up of the driver's output. */
  catchUp (target: string, after: number): void {
    void (async () => {
      try {
        const batch = await catchUpFrom(this.init.node, peerIdFromString(target), this.init.topic, after, DECISION_REQUEST_TIMEOUT_MS)
        if (this.stopped) return
        this.init.driver.caughtUp(target, batch, this.init.now())
      } catch (err) {
        if (this.stopped) return
        this.init.log(`catch-up from ${target} failed: ${(err as Error).message}`)
        this.init.driver.catchUpFailed(target, this.init.now())
      }
      this.init.flush()
    })()
  }

  /**
   * Asks the committee to take a command: our own member when it leads, else the leader we know,
   * else each member in turn (a refusal names the leader, which is asked next).
   */
  async govern (action: GoverningAction): Promise<void> {
    if (this.governance.mode === 'none') throw new P2pchatError('INVALID_COMMAND', 'this room has no committee: only a registry room with trusted peers can ban, set a title or pin')
    if (!this.init.driver.options.trustedPeers.includes(this.self)) throw new P2pchatError('INVALID_COMMAND', "only the room's trusted peers can ban, set the title or pin")
    let data: Uint8Array
    try {
      data = encodeGovernanceCommand({ ...action, by: this.self, issuedAt: this.init.now() })
    } catch (err) {
      throw new P2pchatError('INVALID_COMMAND', isP2pchatError(err) ? err.message : 'that command cannot be encoded')
    }
    // A member that knows no leader yet (the committee is still electing one) waits for the election.
    if (this.member !== undefined && this.soft.leader === undefined) await this.leaderKnown(DECISION_REQUEST_TIMEOUT_MS)
    if (this.member !== undefined && this.soft.role === 'leader') { this.member.propose(data); return }
    const members = this.governance.members.filter(m => m !== this.self)
    const queue = [...new Set([...(this.leader !== undefined && this.leader !== this.self ? [this.leader] : []), ...members])]
    const tried = new Set<string>()
    let last: ProposalAnswer | undefined
    while (queue.length > 0 && tried.size <= members.length) {
      const target = queue.shift() as string
      if (tried.has(target)) continue
      tried.add(target)
      try {
        last = await proposeTo(this.init.node, peerIdFromString(target), this.init.topic, data, DECISION_REQUEST_TIMEOUT_MS)
      } catch {
        continue
      }
      if (last.accepted) return
      if (last.leader !== undefined && !tried.has(last.leader) && last.leader !== this.self && this.governance.members.includes(last.leader)) queue.unshift(last.leader)
      if (last.refusal !== undefined) break
    }
    if (last?.refusal !== undefined) throw new P2pchatError('INVALID_COMMAND', `the committee refused: ${last.refusal}`)
    if (members.length === 0) throw new P2pchatError('INVALID_COMMAND', 'the committee has no leader yet; try again in a moment')
    throw new P2pchatError('INVALID_COMMAND', `no committee leader took the command (asked ${tried.size} of ${members.length} other members); try again in a moment`)
  }

  /** Resolves once a leader is known, or after `timeoutMs`. */
  private async leaderKnown (timeoutMs: number): Promise<void> {
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, timeoutMs)
      this.leaderWaiters.push(() => { clearTimeout(timer); resolve() })
    })
  }

  /** A trusted peer asks us to put a command in the log: only the leader does. */
  private proposal (command: Uint8Array, from: string): ProposalAnswer {
    const leader = this.leader
    const hint = leader !== undefined && leader !== this.self ? { leader } : {}
    if (this.member === undefined || this.soft.role !== 'leader') return { accepted: false, ...hint }
    if (!this.init.driver.options.trustedPeers.includes(from)) return { accepted: false, refusal: 'only trusted peers may govern this room' }
    const decoded = decodeGovernanceCommand(command)
    if (!decoded.ok) return { accepted: false, refusal: decoded.detail }
    if (decoded.command.by !== from) return { accepted: false, refusal: 'a command must be made by the peer that sends it' }
    if (decoded.command.type === 'checkpoint') return { accepted: false, refusal: 'only the leader makes checkpoints' }
    const key = `${from}/${decoded.command.issuedAt}`
    if (this.recentProposals.has(key)) return { accepted: true }
    try {
      this.member.propose(command)
    } catch (err) {
      return { accepted: false, ...hint, ...(isP2pchatError(err, 'NOT_LEADER') ? {} : { refusal: (err as Error).message }) }
    }
    this.recentProposals.add(key)
    if (this.recentProposals.size > RECENT_PROPOSALS) this.recentProposals.delete(this.recentProposals.values().next().value as string)
    return { accepted: true }
  }

  private publish (batch: CertifiedBatch, now: number): void {
    this.lastBatch = batch
    this.lastPublishedAt = now
    this.republishAt = Number.POSITIVE_INFINITY
    this.init.driver.publishDecision(batch, now)
  }

  /**
   * An entry our member applied under `certificate`. Once the entries up to the certificate are
   * all here they go to the driver as one batch; the leader also publishes that batch.
   */
  private certified (entry: Entry, certificate: QuorumCertificate): void {
    if (this.stopped) return
    this.committed.set(entry.index, entry)
    // Bounded while the room's view waits for a catch-up (entries it lacks came in a snapshot).
    if (this.committed.size > MAX_COMMITTED_KEPT) this.committed.delete(this.committed.keys().next().value as number)
    if (entry.index !== certificate.index) return
    const from = this.governance.appliedIndex + 1
    for (const index of [...this.committed.keys()]) if (index < from) this.committed.delete(index)
    const entries: Entry[] = []
    for (let i = from; i <= certificate.index; i++) {
      const e = this.committed.get(i)
      if (e === undefined) return
      entries.push(e)
    }
    if (entries.length === 0) return
    const batch = { entries, certificate }
    const now = this.init.now()
    const refused = this.init.driver.offerDecision(batch, now)
    if (refused !== undefined) this.init.log(`committee: our own batch was refused: ${refused}`)
    else if (this.soft.role === 'leader') this.publish(batch, now)
    for (const e of entries) this.committed.delete(e.index)
    this.init.flush()
    this.maybeCompact()
  }

  /**
   * Keeps the member's log bounded: every `compactEvery` entries it is replaced by a snapshot of
   * the room's governance at the last index both Raft and the room applied. A member that falls
   * behind a snapshot gets it from the leader; the room's own view catches up from any peer.
   */
  private maybeCompact (): void {
    const member = this.member
    if (member === undefined || this.compacting) return
    const every = this.init.driver.options.decisions.compactEvery
    const index = this.governance.appliedIndex
    const status = member.status()
    if (every === 0 || index - status.snapshotIndex < every || index > status.applied) return
    this.compacting = true
    member.compact(index, this.governance.governance.snapshot()).then(
      () => { this.init.log(`committee: log compacted up to ${index}`) },
      (err: Error) => { this.init.log(`committee: compaction failed: ${err.message}`) }
    ).finally(() => { this.compacting = false })
  }
}
