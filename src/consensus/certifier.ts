/**
 * One member's side of the quorum certificates: it keeps the chained digest of every entry it
 * holds, says what to sign when it vouches for (term, index), and, on the leader, gathers the
 * members' signatures into a certificate once a majority of the committee in force signed the
 * same (term, index, digest). Pure: signing is the shell's, checking is injected.
 */
import { equals } from 'uint8arrays/equals'
import { certificatePayload, chainDigest, committeeOf, GENESIS_DIGEST, hasQuorum, verifyCertificate, type QuorumCertificate, type SignatureCheck } from './certificate.js'
import type { CommitteeAt, ConfigAt, Entry, MemberId } from './types.js'

/** Open tallies kept at once. */
const MAX_OPEN_TALLIES = 64

/** Signatures gathered for one (term, index). */
interface Tally { term: number, index: number, digest: Uint8Array, signatures: Map<MemberId, Uint8Array> }

/** The digest chain and the certificates of one member. */
export class Certifier {
  /** The digest at `baseIndex` (the snapshot's, or the genesis). */
  private baseIndex = 0
  private baseDigest: Uint8Array = GENESIS_DIGEST
  private readonly digests: Uint8Array[] = []
  private readonly tallies = new Map<string, Tally>()
  private best: QuorumCertificate | undefined
  /** Signatures refused (bad, or not by a member), counted. */
  refused = 0

  constructor (private readonly room: string, private readonly check: SignatureCheck) {}

  /** The highest index a certificate covers (0 with none). */
  get certifiedIndex (): number { return this.best?.index ?? 0 }

  /** The best certificate held. */
  get certificate (): QuorumCertificate | undefined { return this.best }

  /** Extends (or, from a conflict, rewrites) the chain with saved entries. */
  saved (entries: readonly Entry[]): void {
    if (entries.length === 0) return
    const from = entries[0].index
    if (from <= this.baseIndex) return
    this.digests.length = Math.min(this.digests.length, from - this.baseIndex - 1)
    let previous = this.digestAt(from - 1)
    if (previous === undefined) return
    for (const e of entries) {
      previous = chainDigest(previous, e)
      this.digests.push(previous)
    }
  }

  /** Restarts the chain at a snapshot whose digest at `index` is `digest`. */
  restored (index: number, digest: Uint8Array): void {
    this.baseIndex = index
    this.baseDigest = digest
    this.digests.length = 0
  }

  /** Drops digests up to `index` after a compaction, keeping the one at `index` as the base. */
  compacted (index: number): void {
    const digest = this.digestAt(index)
    if (digest === undefined || index <= this.baseIndex) return
    this.digests.splice(0, index - this.baseIndex)
    this.baseIndex = index
    this.baseDigest = digest
  }

  /** The chained digest at `index`, if held. */
  digestAt (index: number): Uint8Array | undefined {
    if (index === this.baseIndex) return this.baseDigest
    if (index < this.baseIndex) return undefined
    return this.digests[index - this.baseIndex - 1]
  }

  /** What to sign to vouch for the log up to `index` in `term`, if this member holds it. */
  payload (term: number, index: number): Uint8Array | undefined {
    const digest = this.digestAt(index)
    return digest === undefined ? undefined : certificatePayload(this.room, term, index, digest)
  }

  /**
   * Who must sign for an index whose config is `config`: its members, and the members before its
   * change while no certificate covers that change yet.
   */
  required (config: ConfigAt | readonly MemberId[]): CommitteeAt {
    if (Array.isArray(config)) return committeeOf(config as readonly MemberId[])
    const c = config as ConfigAt
    return c.before !== undefined && c.configIndex > this.certifiedIndex ? { members: c.members, previous: c.before } : { members: c.members }
  }

  /**
   * Takes a member's signature over (term, index, our digest there). Once the committee required
   * at `index` (see `required`) signed the same, that is a certificate; returns true when it is
   * a new best.
   */
  endorse (member: MemberId, term: number, index: number, signature: Uint8Array, config: ConfigAt | readonly MemberId[]): boolean {
    const at = this.required(config)
    const eligible = at.members.includes(member) || (at.previous?.includes(member) ?? false)
    const digest = this.digestAt(index)
    if (digest === undefined || index <= this.certifiedIndex || !eligible) return false
    if (!this.check(member, certificatePayload(this.room, term, index, digest), signature)) { this.refused++; return false }
    const key = `${term}/${index}`
    let tally = this.tallies.get(key)
    if (tally === undefined) {
      tally = { term, index, digest, signatures: new Map() }
      this.tallies.set(key, tally)
      // Bounded: the oldest open tally goes first (a certificate for a later index covers it anyway).
      if (this.tallies.size > MAX_OPEN_TALLIES) this.tallies.delete(this.tallies.keys().next().value as string)
    }
    tally.signatures.set(member, signature)
    if (!hasQuorum(new Set(tally.signatures.keys()), at)) return false
    this.best = { term, index, digest, signatures: [...tally.signatures].map(([m, s]) => ({ member: m, signature: s })) }
    for (const [k, t] of this.tallies) if (t.index <= index) this.tallies.delete(k)
    return true
  }

  /** Takes a certificate from the leader: kept when it is valid for `committee`, covers more, and matches our chain. */
  accept (certificate: QuorumCertificate, config: ConfigAt | readonly MemberId[]): boolean {
    const committee = this.required(config)
    if (certificate.index <= this.certifiedIndex) return false
    const digest = this.digestAt(certificate.index)
    // Not saved that far yet: a later append brings the certificate again.
    if (digest === undefined) return false
    if (!equals(digest, certificate.digest) || !verifyCertificate(this.room, certificate, committee, this.check)) { this.refused++; return false }
    this.best = certificate
    return true
  }
}
