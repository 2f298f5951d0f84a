/**
 * Quorum certificates over the committee's log. Entries are chained: each entry's digest is
 * SHA-256 over the previous digest and the entry's canonical bytes, so one signature over
 * (room, term, index, digest) vouches for the whole log up to `index`. A certificate is a
 * majority of the committee in force signing that. Raft tolerates crashes, not liars; the
 * certificate is what stops one peer from claiming to lead and broadcasting a decision.
 */
import { createHash } from 'node:crypto'
import { quorumSize } from './quorum.js'
import type { CommitteeAt, Entry, MemberId, QuorumCertificate } from './types.js'

export type { CertificateSignature, QuorumCertificate } from './types.js'

const ENTRY_DOMAIN = 'p2pchat/committee/entry/1'
const CERT_DOMAIN = 'p2pchat/committee/certificate/1'
const KIND_BYTE = { command: 0, config: 1, noop: 2 } as const

/** The digest before the first entry: 32 zero bytes. */
export const GENESIS_DIGEST = new Uint8Array(32)

/** Checks one signature by `member` over `payload` (the driver resolves the member's public key). */
export type SignatureCheck = (member: MemberId, payload: Uint8Array, signature: Uint8Array) => boolean

function u64 (n: number): Uint8Array {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n))
  return b
}

function lengthPrefixed (bytes: Uint8Array): Uint8Array[] {
  return [u64(bytes.byteLength), bytes]
}

/** The chained digest of `entry` after the digest `previous` (see README, "Committee"). */
export function chainDigest (previous: Uint8Array, entry: Entry): Uint8Array {
  const h = createHash('sha256').update(ENTRY_DOMAIN).update(previous).update(u64(entry.index)).update(u64(entry.term)).update(Uint8Array.of(KIND_BYTE[entry.kind]))
  for (const part of lengthPrefixed(entry.data)) h.update(part)
  const members = entry.members ?? []
  h.update(u64(members.length))
  for (const m of members) for (const part of lengthPrefixed(new TextEncoder().encode(m))) h.update(part)
  return new Uint8Array(h.digest())
}

/** The bytes a member signs to vouch that the room's log up to `index` has `digest`. */
export function certificatePayload (room: string, term: number, index: number, digest: Uint8Array): Uint8Array {
  const h = createHash('sha256').update(CERT_DOMAIN)
  for (const part of lengthPrefixed(new TextEncoder().encode(room))) h.update(part)
  h.update(u64(term)).update(u64(index)).update(digest)
  return new Uint8Array(h.digest())
}

/** A member list as a `CommitteeAt` (no change at that index). */
export function committeeOf (committee: CommitteeAt | readonly MemberId[]): CommitteeAt {
  return Array.isArray(committee) ? { members: committee as readonly MemberId[] } : committee as CommitteeAt
}

/** True when `signers` hold a majority of `committee`'s members, and of its previous list at a change. */
export function hasQuorum (signers: ReadonlySet<MemberId>, committee: CommitteeAt): boolean {
  const majorityOf = (list: readonly MemberId[]): boolean => {
    const members = new Set(list)
    let count = 0
    for (const m of members) if (signers.has(m)) count++
    return members.size > 0 && count >= quorumSize(members.size)
  }
  return majorityOf(committee.members) && (committee.previous === undefined || majorityOf(committee.previous))
}

/**
 * True when `certificate` carries valid signatures of a majority of the committee in force at
 * its index (and of the previous committee, at a change). Each member counts once; signatures
 * by others are ignored.
 */
export function verifyCertificate (room: string, certificate: QuorumCertificate, committee: CommitteeAt | readonly MemberId[], check: SignatureCheck): boolean {
  const at = committeeOf(committee)
  if (at.members.length === 0 || certificate.digest.byteLength !== 32) return false
  const payload = certificatePayload(room, certificate.term, certificate.index, certificate.digest)
  const eligible = new Set([...at.members, ...(at.previous ?? [])])
  const valid = new Set<MemberId>()
  for (const s of certificate.signatures) {
    if (!eligible.has(s.member) || valid.has(s.member)) continue
    if (check(s.member, payload, s.signature)) valid.add(s.member)
  }
  return hasQuorum(valid, at)
}
