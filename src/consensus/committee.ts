/**
 * Who sits on a room's committee: PeerPrint's log-sized group, k = 2 + floor(ln N) for a room
 * of N (15 at a million), capped by the candidates there are, chosen by a public deterministic
 * rule, and reached from the current members one Raft membership change at a time.
 */
import { createHash } from 'node:crypto'
import type { MemberId } from './types.js'

/** The committee size for a room of `roomSize` peers: 2 + floor(ln N), at most N (PeerPrint's rule). */
export function committeeSize (roomSize: number): number {
  if (!Number.isFinite(roomSize) || roomSize < 1) return 1
  return Math.min(Math.floor(roomSize), 2 + Math.floor(Math.log(roomSize)))
}

/**
 * The `k` candidates with the lowest SHA-256 of `"<peer id>/<epoch>"`: anyone can recompute
 * it, nobody can choose a good rank without grinding peer ids, and a new epoch reshuffles.
 */
export function rankCandidates (candidates: Iterable<MemberId>, epoch: number, k: number): MemberId[] {
  const ranked = [...new Set(candidates)].map(id => ({ id, rank: createHash('sha256').update(`${id}/${epoch}`).digest('hex') }))
  ranked.sort((a, b) => a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)
  return ranked.slice(0, Math.max(0, k)).map(r => r.id)
}

/**
 * The next single-member change from `current` toward `desired`: a missing member is added
 * before an extra one is removed (so the group never shrinks below its quorum mid-way), and the
 * leader (`keep`) is removed last. Undefined when they already agree.
 */
export function nextMembershipChange (current: readonly MemberId[], desired: readonly MemberId[], keep?: MemberId): MemberId[] | undefined {
  const want = new Set(desired)
  const have = new Set(current)
  const missing = desired.find(m => !have.has(m))
  if (missing !== undefined) return [...current, missing]
  const extra = current.filter(m => !want.has(m)).sort((a, b) => (a === keep ? 1 : 0) - (b === keep ? 1 : 0))[0]
  if (extra !== undefined && current.length > 1) return current.filter(m => m !== extra)
  return undefined
}

/**
 * The committee a trusted (registry) room starts with, which every peer computes alike from the
 * registry alone: the top 2 + floor(ln T) of its T trusted peers by the public rank at epoch 0.
 * No log is needed to agree on it; the leader then moves toward `trustedCommittee` one member
 * at a time. (If a majority of these are never online, the committee cannot form: a limit to
 * document, not to hide.)
 */
export function initialTrustedCommittee (trustedPeers: readonly MemberId[]): MemberId[] {
  const trusted = [...new Set(trustedPeers)]
  return rankCandidates(trusted, 0, committeeSize(trusted.length))
}

/**
 * The committee a trusted room should have now: k = min(online trusted peers, 2 + floor(ln N))
 * with N the room's size (census or roster), the online trusted peers ranked at `epoch`.
 */
export function trustedCommittee (trustedPeers: readonly MemberId[], online: ReadonlySet<MemberId>, roomSize: number, epoch: number): MemberId[] {
  const candidates = [...new Set(trustedPeers)].filter(p => online.has(p))
  return rankCandidates(candidates, epoch, Math.min(candidates.length, committeeSize(Math.max(roomSize, candidates.length))))
}

/**
 * A committee grows as soon as the room's size calls for more members, but shrinks only once the
 * room is this much smaller than the size that made it grow: near a step of 2 + floor(ln N)
 * (N = 7 and 8, 20 and 21…) a peer coming and going would otherwise change the members each time.
 */
export const SHRINK_MARGIN = 1.3

/**
 * `trustedCommittee` with hysteresis toward the committee in force (`current`): when the room's
 * size alone would make it smaller, the size is taken `SHRINK_MARGIN` times larger. Silent members
 * still leave (they are not `online`), and a smaller set of online trusted peers still caps it.
 */
export function steadyTrustedCommittee (trustedPeers: readonly MemberId[], online: ReadonlySet<MemberId>, roomSize: number, epoch: number, current: readonly MemberId[]): MemberId[] {
  const desired = trustedCommittee(trustedPeers, online, roomSize, epoch)
  return desired.length < current.length ? trustedCommittee(trustedPeers, online, Math.ceil(roomSize * SHRINK_MARGIN), epoch) : desired
}
