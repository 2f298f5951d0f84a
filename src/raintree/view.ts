/**
 * A peer's RainTree view: the room's members, self included, sorted by SHA-256 of the peer id
 * string (UTF-8), which spreads any set of ids uniformly around a ring. Every member computes the
 * same order from the same member list, so "the member at offset k from me" means the same peer
 * to everyone. Immutable; a membership change is a new view.
 *
 * Views of the same member list share one sorted list: `withSelf` re-centres it on another member
 * in O(1), which is what lets a simulation hold many peers' views in O(N) memory.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { P2pchatError } from '../errors.js'
import { MAX_VIEW_SIZE, rollOver } from './targets.js'

/** The sorted member list, shared by every view built from it. */
interface SortedMembers {
  readonly ids: readonly string[]
  readonly indexOf: ReadonlyMap<string, number>
}

/** The ring-position key of a peer id: hex SHA-256 of its UTF-8 bytes (hex order is byte order). */
export function ringKey (peerId: string): string {
  return bytesToHex(sha256(utf8ToBytes(peerId)))
}

function sortMembers (ids: Iterable<string>): SortedMembers {
  const keyed: Array<{ id: string, key: string }> = []
  const unique = new Set<string>()
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0) throw new P2pchatError('INVALID_ARGUMENT', `raintree: a member id must be a non-empty string, got ${JSON.stringify(id)}`)
    if (unique.has(id)) continue
    unique.add(id)
    keyed.push({ id, key: ringKey(id) })
  }
  if (keyed.length > MAX_VIEW_SIZE) throw new P2pchatError('INVALID_ARGUMENT', `raintree: at most ${MAX_VIEW_SIZE} members, got ${keyed.length}`)
  // Ties only for equal hashes of distinct ids (never seen for SHA-256); the id breaks them so the order stays total.
  keyed.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const sorted = keyed.map(k => k.id)
  return { ids: sorted, indexOf: new Map(sorted.map((id, i) => [id, i])) }
}

/** One peer's view: the sorted member list and its own place in it. */
export class RainTreeView {
  private constructor (private readonly members: SortedMembers, readonly selfIndex: number) {}

  /** The view of `selfId` over `members` (duplicates ignored; self added when missing). */
  static of (selfId: string, members: Iterable<string>): RainTreeView {
    const sorted = sortMembers([selfId, ...members])
    return new RainTreeView(sorted, sorted.indexOf.get(selfId) as number)
  }

  /** The same member list seen from another member, sharing the sorted list. */
  withSelf (selfId: string): RainTreeView {
    const index = this.members.indexOf.get(selfId)
    if (index === undefined) throw new P2pchatError('INVALID_ARGUMENT', `raintree: ${selfId} is not a member of this view`)
    return new RainTreeView(this.members, index)
  }

  /** Number of members, self included. */
  get size (): number {
    return this.members.ids.length
  }

  /** This peer's id. */
  get selfId (): string {
    return this.members.ids[this.selfIndex]
  }

  /** The members in ring order. */
  get ids (): readonly string[] {
    return this.members.ids
  }

  /** The member at `index`, rolled over the ends of the list (any integer). */
  peerAt (index: number): string {
    return this.members.ids[rollOver(index, this.members.ids.length)]
  }

  /** The index of a member, or undefined when it is not in the view. */
  indexOf (peerId: string): number | undefined {
    return this.members.indexOf.get(peerId)
  }
}
