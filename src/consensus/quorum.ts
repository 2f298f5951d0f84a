/**
 * Majority arithmetic of a member list: how many make a quorum, the highest index a majority
 * holds, and whether a poll is won or lost.
 */
import type { MemberId } from './types.js'

/** The number of members that make a majority of `size`. */
export function quorumSize (size: number): number {
  return Math.floor(size / 2) + 1
}

/** The highest index held by a majority of `members`, given each member's match index. */
export function majorityIndex (members: readonly MemberId[], matchOf: (member: MemberId) => number): number {
  if (members.length === 0) return 0
  const matches = members.map(matchOf).sort((a, b) => b - a)
  return matches[quorumSize(members.length) - 1]
}

/** A poll's outcome over `members`: won with a majority of grants, lost with a majority of refusals. */
export function pollResult (members: readonly MemberId[], votes: ReadonlyMap<MemberId, boolean>): 'won' | 'lost' | 'pending' {
  let granted = 0
  let refused = 0
  for (const m of members) {
    const v = votes.get(m)
    if (v === true) granted++
    else if (v === false) refused++
  }
  const need = quorumSize(members.length)
  if (granted >= need) return 'won'
  if (refused >= need || members.length - refused < need) return 'lost'
  return 'pending'
}
