/**
 * A room's view of its committee's decisions, for every peer (member or not), pure: certified
 * batches in (from the topic, a catch-up answer, or this peer's own committee member), checked by
 * a `CommitteeFollower` against the committee the registry starts it with, applied in log order to
 * `Governance`. It keeps what it applied, so it can answer another peer's catch-up with a batch
 * that peer can check alone, and it holds batches that arrive ahead of a gap until the gap fills.
 */
import { CommitteeFollower, initialTrustedCommittee, MAX_BATCH_ENTRIES, verifyCertificate, type CertifiedBatch, type Entry, type MemberId, type QuorumCertificate, type SignatureCheck } from '../consensus/index.js'
import { Governance, type GovernanceEvent } from './governance.js'

/** Batches held ahead of a gap, at most (the oldest are dropped; a catch-up brings them again). */
export const HELD_BATCHES = 64

/** Applied entries kept to answer catch-ups (a longer log needs snapshots, not built yet). */
export const KEPT_ENTRIES = 100_000

/** The outcome of offering one batch. */
export interface OfferOutcome {
  /** What the applied commands changed, in log order. */
  events: GovernanceEvent[]
  /** Entries applied (commands, changes of members and no-ops). */
  applied: number
  /** The batch (or a held one) lies past a gap: ask a peer for what comes after `appliedIndex`. */
  behind: boolean
  /** Why the batch was refused, when it was (a stale or duplicate batch is no refusal). */
  refused?: string
  /** The committee changed. */
  membersChanged: boolean
  /** A majority of the committee we know signed its certificate (so it is worth forwarding, applied or not). */
  vouched: boolean
}

/** What a room needs to follow its committee. */
export interface RoomGovernanceInit {
  topic: string
  /** Trusted peers from the registry: the committee starts as `initialTrustedCommittee` of them. */
  trustedPeers: readonly string[]
  check: SignatureCheck
}

/** One room's certified decisions. */
export class RoomGovernance {
  readonly governance: Governance
  readonly mode: 'trusted' | 'none'
  private readonly follower: CommitteeFollower
  /** Applied entries, in index order: `entries[i].index === firstIndex + i`. */
  private entries: Entry[] = []
  private firstIndex = 1
  /** The certificate of each applied batch, in index order (a catch-up answer ends at one of them). */
  private certificates: QuorumCertificate[] = []
  private readonly held = new Map<number, CertifiedBatch>()
  /** Refusals by reason (`governance-<reason>` in the room's drop counts). */
  readonly refused: Record<string, number> = {}
  /** Changes of members applied. */
  membershipChanges = 0
  /** Who published the last batch we applied from the topic: the leader, as far as we know. */
  lastPublisher?: string

  constructor (private readonly init: RoomGovernanceInit) {
    const trusted = [...new Set(init.trustedPeers)]
    this.mode = trusted.length > 0 ? 'trusted' : 'none'
    this.governance = new Governance(this.mode === 'trusted', new Set(trusted))
    this.follower = new CommitteeFollower(init.topic, init.check, { members: trusted.length > 0 ? initialTrustedCommittee(trusted) : [] })
  }

  /** The committee every peer starts from (the registry's trusted peers, ranked). */
  get genesisMembers (): MemberId[] { return initialTrustedCommittee(this.init.trustedPeers) }
  /** The committee in force after the last applied change. */
  get members (): readonly MemberId[] { return this.follower.members }
  /** The last index applied. */
  get appliedIndex (): number { return this.follower.appliedIndex }
  /** True when `peer` is banned. */
  isBanned (peer: string): boolean { return this.governance.isBanned(peer) }

  /** Checks and applies a batch, then any held batch that now follows on. */
  offer (batch: CertifiedBatch, publisher?: string): OfferOutcome {
    const out: OfferOutcome = { events: [], applied: 0, behind: false, membersChanged: false, vouched: false }
    if (this.mode === 'none') return { ...out, refused: this.refuse('no-committee') }
    // One we applied (a republication) or one past a gap cannot be checked against our chain;
    // its certificate can be, against the committee we know.
    if (batch.certificate.index <= this.appliedIndex) return { ...out, vouched: this.vouches(batch) }
    if (batch.entries[0].index > this.appliedIndex + 1) {
      // Held only when vouched for: junk cannot push a genuine held batch out.
      const vouched = this.vouches(batch)
      if (vouched) this.hold(batch)
      return { ...out, behind: true, vouched }
    }
    const first = this.apply(batch, out)
    if (first !== undefined) return { ...out, refused: first }
    out.vouched = true
    if (publisher !== undefined) this.lastPublisher = publisher
    for (let next = this.nextHeld(); next !== undefined; next = this.nextHeld()) this.apply(next, out)
    out.behind = [...this.held.values()].some(b => b.certificate.index > this.appliedIndex)
    return out
  }

  /**
   * The next certified run after `after` for a peer that asks: as many applied entries as one
   * certificate we hold covers with at most one change of members (so the asker can check it
   * against the committee it knows). Undefined when we hold nothing newer (or no longer hold
   * the entries right after `after`).
   */
  serve (after: number): CertifiedBatch | undefined {
    if (after >= this.appliedIndex || after + 1 < this.firstIndex) return undefined
    let best: QuorumCertificate | undefined
    let changes = 0
    let c = 0
    while (c < this.certificates.length && this.certificates[c].index <= after) c++
    for (let i = after + 1; i <= this.appliedIndex && i - after <= MAX_BATCH_ENTRIES; i++) {
      if (this.entryAt(i)?.kind === 'config') changes++
      if (changes > 1) break
      if (c < this.certificates.length && this.certificates[c].index === i) { best = this.certificates[c]; c++ }
    }
    if (best === undefined) return undefined
    const entries: Entry[] = []
    for (let i = after + 1; i <= best.index; i++) entries.push(this.entryAt(i) as Entry)
    return { entries, certificate: best }
  }

  /** Refusals and held batches, for `/committee`. */
  counts (): { refused: Record<string, number>, held: number, membershipChanges: number } { return { refused: { ...this.refused }, held: this.held.size, membershipChanges: this.membershipChanges } }

  /** Applies one batch through the follower; returns the refusal, if any. */
  private apply (batch: CertifiedBatch, out: OfferOutcome): string | undefined {
    const before = this.follower.members
    const result = this.follower.offer(batch)
    if (!result.ok) return result.reason === 'stale' ? undefined : this.refuse(result.reason)
    for (const entry of result.entries) {
      this.keep(entry)
      if (entry.kind !== 'command') continue
      const outcome = this.governance.apply(entry.index, entry.data)
      if (outcome.applied) out.events.push(...outcome.events)
      else this.refuse('command-ignored')
    }
    this.certificates.push(batch.certificate)
    out.applied += result.entries.length
    if (this.follower.members !== before) { out.membersChanged = true; this.membershipChanges++ }
    return undefined
  }

  private vouches (batch: CertifiedBatch): boolean {
    return verifyCertificate(this.init.topic, batch.certificate, this.follower.members, this.init.check)
  }

  private keep (entry: Entry): void {
    this.entries.push(entry)
    if (this.entries.length > KEPT_ENTRIES) {
      const drop = this.entries.length - KEPT_ENTRIES
      this.entries = this.entries.slice(drop)
      this.firstIndex += drop
      this.certificates = this.certificates.filter(c => c.index >= this.firstIndex)
    }
  }

  private entryAt (index: number): Entry | undefined { return this.entries[index - this.firstIndex] }

  private hold (batch: CertifiedBatch): void {
    this.held.set(batch.entries[0].index, batch)
    if (this.held.size > HELD_BATCHES) this.held.delete(Math.max(...this.held.keys()))
  }

  /** A held batch that starts at or before the next index (and reaches past it), removed from the hold. */
  private nextHeld (): CertifiedBatch | undefined {
    for (const [start, batch] of this.held) {
      if (batch.certificate.index <= this.appliedIndex) { this.held.delete(start); continue }
      if (start <= this.appliedIndex + 1) { this.held.delete(start); return batch }
    }
    return undefined
  }

  private refuse (reason: string): string {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1
    return reason
  }
}
