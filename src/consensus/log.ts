/**
 * A member's Raft log: the snapshot's boundary (index and term), the entries after it, and
 * how far is committed and applied. Pure bookkeeping; the core decides what to append.
 */
import type { Entry, Snapshot } from './types.js'

/** The replicated log of one member. */
export class RaftLog {
  /** Index and term of the last entry the snapshot covers (0, 0 with none). */
  private snapIndex = 0
  private snapTerm = 0
  private entries: Entry[] = []
  commit = 0
  applied = 0

  constructor (snapshot?: Snapshot, entries: readonly Entry[] = []) {
    if (snapshot !== undefined) {
      this.snapIndex = snapshot.index
      this.snapTerm = snapshot.term
      this.commit = snapshot.index
      this.applied = snapshot.index
    }
    this.entries = entries.filter(e => e.index > this.snapIndex)
  }

  /** The first index still held as an entry (snapshot index + 1). */
  get firstIndex (): number { return this.snapIndex + 1 }

  get snapshotIndex (): number { return this.snapIndex }

  get lastIndex (): number { return this.snapIndex + this.entries.length }

  get lastTerm (): number { return this.termAt(this.lastIndex) ?? 0 }

  /** The term of the entry at `index`; undefined if it is compacted away (below the snapshot) or past the end. */
  termAt (index: number): number | undefined {
    if (index === this.snapIndex) return this.snapTerm
    if (index < this.snapIndex || index > this.lastIndex) return undefined
    return this.entries[index - this.snapIndex - 1].term
  }

  /** The entry at `index`, if held. */
  entry (index: number): Entry | undefined {
    if (index <= this.snapIndex || index > this.lastIndex) return undefined
    return this.entries[index - this.snapIndex - 1]
  }

  /** Entries in [from, to], clipped to what is held. */
  slice (from: number, to: number): Entry[] {
    const lo = Math.max(from, this.firstIndex) - this.snapIndex - 1
    const hi = Math.min(to, this.lastIndex) - this.snapIndex
    return lo < hi ? this.entries.slice(lo, hi) : []
  }

  /** True when the log holds (or its snapshot covers) an entry at `index` of `term`. */
  matches (index: number, term: number): boolean {
    return this.termAt(index) === term
  }

  /** True when a log ending at (lastIndex, lastTerm) is at least as up to date as this one (Raft §5.4.1). */
  isUpToDate (lastIndex: number, lastTerm: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex)
  }

  /** Appends at the end (a leader's own entries). */
  append (entry: Entry): void {
    this.entries.push(entry)
  }

  /**
   * Takes a leader's entries that follow a matching (prevIndex, prevTerm): entries already held
   * with the same term are kept, the first conflicting one and everything after it are replaced.
   * Returns the entries that are new to this log (to persist), from the first changed index, or
   * undefined (and changes nothing) if that would replace a committed entry.
   */
  merge (entries: readonly Entry[]): Entry[] | undefined {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]
      if (e.index <= this.snapIndex) continue
      const held = this.termAt(e.index)
      if (held === e.term) continue
      if (e.index <= this.commit) return undefined
      this.entries.length = e.index - this.snapIndex - 1
      const rest = entries.slice(i)
      for (const r of rest) this.entries.push(r)
      return [...rest]
    }
    return []
  }

  /** Drops the entries up to `index` (which must be applied), keeping its term as the boundary. */
  compact (index: number): void {
    const term = this.termAt(index)
    if (term === undefined || index <= this.snapIndex) return
    this.entries = this.entries.slice(index - this.snapIndex)
    this.snapIndex = index
    this.snapTerm = term
  }

  /** Installs a leader's snapshot in place of the whole log; commit and applied move up to it. */
  restore (snapshot: Snapshot): void {
    this.entries = []
    this.snapIndex = snapshot.index
    this.snapTerm = snapshot.term
    this.commit = Math.max(this.commit, snapshot.index)
    this.applied = Math.max(this.applied, snapshot.index)
  }
}
