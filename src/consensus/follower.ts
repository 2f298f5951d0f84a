/**
 * A peer outside the committee following its decisions from certified batches alone: the
 * entries after the last one it applied, and a quorum certificate at the last of them. It checks
 * that the entries run on from its own chain to the certificate's digest, and that the
 * certificate carries a majority of the committee it knows (and of the new one, when the batch
 * changes the members). It never needs to trust whoever relayed the batch.
 */
import { equals } from 'uint8arrays/equals'
import { chainDigest, GENESIS_DIGEST, verifyCertificate, type SignatureCheck } from './certificate.js'
import type { CommitteeAt, Entry, MemberId, QuorumCertificate } from './types.js'

/** Entries after a follower's last one, and a certificate at the last of them. */
export interface CertifiedBatch {
  readonly entries: readonly Entry[]
  readonly certificate: QuorumCertificate
}

/** Why a batch was refused, counted. */
export type FollowerRefusal = 'stale' | 'gap' | 'malformed' | 'two-changes' | 'digest-mismatch' | 'bad-certificate'

/** What a follower knows at the start: the committee in force at `index`, and the chained digest there. */
export interface FollowerStart {
  members: readonly MemberId[]
  index?: number
  digest?: Uint8Array
}

/** The certified log as seen from outside the committee. */
export class CommitteeFollower {
  private committee: readonly MemberId[]
  private index: number
  private digest: Uint8Array
  /** Batches refused, by reason. */
  readonly refused: Partial<Record<FollowerRefusal, number>> = {}

  constructor (private readonly room: string, private readonly check: SignatureCheck, start: FollowerStart) {
    this.committee = [...start.members]
    this.index = start.index ?? 0
    this.digest = start.digest ?? GENESIS_DIGEST
  }

  /** The last index applied. */
  get appliedIndex (): number { return this.index }

  /** The committee in force now. */
  get members (): readonly MemberId[] { return this.committee }

  /** Checks a batch; on success it is applied and its new entries returned, in order. */
  offer (batch: CertifiedBatch): { ok: true, entries: Entry[] } | { ok: false, reason: FollowerRefusal } {
    const { entries, certificate } = batch
    if (certificate.index <= this.index) return this.refuse('stale')
    if (entries.length === 0 || entries[entries.length - 1].index !== certificate.index || entries.some((e, i) => i > 0 && e.index !== entries[i - 1].index + 1)) return this.refuse('malformed')
    if (entries[0].index > this.index + 1) return this.refuse('gap')
    const fresh = entries.filter(e => e.index > this.index)
    const changes = fresh.filter(e => e.kind === 'config')
    if (changes.length > 1) return this.refuse('two-changes')
    const change = changes[0]
    if (change !== undefined && (change.members === undefined || change.members.length === 0)) return this.refuse('malformed')
    let digest = this.digest
    for (const e of fresh) digest = chainDigest(digest, e)
    if (!equals(digest, certificate.digest)) return this.refuse('digest-mismatch')
    const required: CommitteeAt = change?.members !== undefined ? { members: change.members, previous: this.committee } : { members: this.committee }
    if (!verifyCertificate(this.room, certificate, required, this.check)) return this.refuse('bad-certificate')
    this.index = certificate.index
    this.digest = digest
    if (change?.members !== undefined) this.committee = [...change.members]
    return { ok: true, entries: fresh }
  }

  private refuse (reason: FollowerRefusal): { ok: false, reason: FollowerRefusal } {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1
    return { ok: false, reason }
  }
}
