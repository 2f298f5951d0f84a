/**
 * What a simulated committee member keeps: its "disk" (hard state, snapshot, log), changed
 * exactly as the `Ready` contract says, and its application (a digest chain over applied
 * entries plus the commands, so a snapshot can be checked and printed). Contract breaches the
 * core could cause (a gap in persisted entries, an apply out of order) throw `ContractError`.
 */
import type { Entry, HardState, MemberId, RaftStorage, Ready, Snapshot } from '../../../src/consensus/index.js'
import { seedFromString } from '../../../src/shared/index.js'
import { bytes, formatEntry, text } from './format.js'

/** The core broke the driver contract (as opposed to a Raft safety property). */
export class ContractError extends Error {
  override name = 'ContractError'
}

/** One member's persisted state. */
export class Disk {
  hardState: HardState | undefined
  snapshot: Snapshot | undefined
  /** Entries after the snapshot, in order. */
  entries: Entry[] = []

  get snapshotIndex (): number { return this.snapshot?.index ?? 0 }

  get lastIndex (): number { return this.snapshotIndex + this.entries.length }

  /** The term at `index` (the snapshot's at its boundary, 0 at 0), or undefined if compacted or missing. */
  termAt (index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshot?.term ?? 0
    return this.entry(index)?.term
  }

  entry (index: number): Entry | undefined {
    if (index <= this.snapshotIndex || index > this.lastIndex) return undefined
    return this.entries[index - this.snapshotIndex - 1]
  }

  /** What a restart reads. */
  storage (): RaftStorage {
    return {
      ...(this.hardState === undefined ? {} : { hardState: this.hardState }),
      ...(this.snapshot === undefined ? {} : { snapshot: this.snapshot }),
      entries: [...this.entries]
    }
  }

  /** Persists a Ready's snapshot, entries (replacing any at or after the first) and hard state, in that order. */
  persist (ready: Ready): void {
    if (ready.snapshot !== undefined) {
      if (ready.snapshot.index <= this.snapshotIndex) throw new ContractError(`snapshot ${ready.snapshot.index} is not newer than the persisted one at ${this.snapshotIndex}`)
      this.snapshot = ready.snapshot
      this.entries = []
    }
    if (ready.entries.length > 0) {
      const first = ready.entries[0].index
      if (first <= this.snapshotIndex || first > this.lastIndex + 1) {
        throw new ContractError(`entries from ${first} do not continue the persisted log (snapshot ${this.snapshotIndex}, last ${this.lastIndex})`)
      }
      ready.entries.forEach((e, i) => { if (e.index !== first + i) throw new ContractError(`entries not contiguous: ${ready.entries.map(formatEntry).join(', ')}`) })
      this.entries.length = first - this.snapshotIndex - 1
      this.entries.push(...ready.entries)
    }
    if (ready.hardState !== undefined) this.hardState = ready.hardState
  }

  /** The member list in force at `index` (the latest config entry at or before it, else the snapshot's, else `initial`). */
  membersAt (index: number, initial: readonly MemberId[]): readonly MemberId[] {
    for (let i = Math.min(index, this.lastIndex); i > this.snapshotIndex; i--) {
      const e = this.entry(i)
      if (e?.kind === 'config' && e.members !== undefined) return e.members
    }
    return this.snapshot?.members ?? initial
  }

  /** Makes `snapshot` (built by the driver at a compaction) the persisted one, dropping the entries it covers. */
  compact (snapshot: Snapshot): void {
    this.entries = this.entries.filter(e => e.index > snapshot.index)
    this.snapshot = snapshot
  }
}

/** The application's state: how far it has applied, a digest over everything applied, and the commands. */
export class AppState {
  index = 0
  digest = '0'
  /** Applied commands with their indices (the snapshot's carried over). */
  commands: Array<[number, string]> = []
  /** Digest after each index applied by this incarnation (and at its base). */
  private readonly digests = new Map<number, string>([[0, '0']])

  /** Starts from a snapshot's data (a restart, or an install). */
  install (snapshot: Snapshot): void {
    const state = JSON.parse(text(snapshot.data)) as { digest: string, commands: Array<[number, string]> }
    this.index = snapshot.index
    this.digest = state.digest
    this.commands = state.commands
    this.digests.clear()
    this.digests.set(snapshot.index, state.digest)
  }

  /** Applies the next committed entry; throws ContractError when it is not the next index. */
  apply (e: Entry): void {
    if (e.index !== this.index + 1) throw new ContractError(`applied ${formatEntry(e)} after index ${this.index}`)
    this.index = e.index
    this.digest = seedFromString(`${this.digest}|${entryKey(e)}`).toString(16)
    this.digests.set(e.index, this.digest)
    if (e.kind === 'command') this.commands.push([e.index, text(e.data)])
  }

  /** The state as of `index` (applied by this incarnation), as snapshot data. */
  snapshotData (index: number): Uint8Array {
    const digest = this.digests.get(index)
    if (digest === undefined) throw new Error(`no application state at ${index} (applied ${this.index})`)
    return bytes(JSON.stringify({ digest, commands: this.commands.filter(([i]) => i <= index) }))
  }

  /** The digest after `index`, if this incarnation passed through it. */
  digestAt (index: number): string | undefined {
    return this.digests.get(index)
  }
}

/** Everything that identifies an entry's content: `term/kind/data/members`. */
export function entryKey (e: Entry): string {
  return `${e.term}/${e.kind}/${text(e.data)}/${e.members?.join(',') ?? ''}`
}

/** The snapshot data's digest. */
export function snapshotDigest (s: Snapshot): string {
  return (JSON.parse(text(s.data)) as { digest: string }).digest
}
