/**
 * Which member list is in force: the latest `config` entry in the log, committed or not
 * (single-server changes, Raft thesis §4.1), else the snapshot's list, else the initial one.
 */
import type { RaftLog } from './log.js'
import type { MemberId } from './types.js'

/** The member list in force at `index` of `log`, falling back to `base` (the snapshot's or the initial list). */
export function membersAt (log: RaftLog, index: number, base: readonly MemberId[]): { members: readonly MemberId[], configIndex: number } {
  for (let i = Math.min(index, log.lastIndex); i >= log.firstIndex; i--) {
    const e = log.entry(i)
    if (e?.kind === 'config' && e.members !== undefined) return { members: e.members, configIndex: i }
  }
  return { members: base, configIndex: 0 }
}

/** The one member added or removed between two lists, or undefined if they differ by anything else. */
export function singleChange (from: readonly MemberId[], to: readonly MemberId[]): { added?: MemberId, removed?: MemberId } | undefined {
  const a = new Set(from)
  const b = new Set(to)
  if (b.size !== to.length) return undefined
  const added = to.filter(m => !a.has(m))
  const removed = from.filter(m => !b.has(m))
  if (added.length + removed.length !== 1) return undefined
  return added.length === 1 ? { added: added[0] } : { removed: removed[0] }
}
