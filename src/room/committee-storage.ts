/**
 * Where a committee member keeps what Raft requires it to remember across restarts (term,
 * vote, log, snapshot), applied from each `Ready` before its messages go out. The memory store
 * serves tests and `--ephemeral`.
 */
import type { Entry, HardState, RaftStorage, Ready, Snapshot } from '../consensus/index.js'

/** A member's durable Raft state. */
export interface CommitteeStorage {
  /** What was saved, for a restart. */
  load: () => Promise<RaftStorage>
  /** Saves a Ready's snapshot, entries and hard state; resolves when they are durable. */
  save: (ready: Ready) => Promise<void>
  /** Records the application's own snapshot after a local compaction. */
  compacted: (snapshot: Snapshot) => Promise<void>
}

/** Applies a Ready to a plain in-memory copy (the rules of `Ready`, in one place). */
export function applyReady (state: { hardState?: HardState, snapshot?: Snapshot, entries: Entry[] }, ready: Ready): void {
  if (ready.snapshot !== undefined) {
    state.snapshot = ready.snapshot
    state.entries = []
  }
  if (ready.entries.length > 0) {
    const from = ready.entries[0].index
    state.entries = state.entries.filter(e => e.index < from).concat(ready.entries)
  }
  if (ready.hardState !== undefined) state.hardState = ready.hardState
}

/** Keeps the state in memory: lost when the process ends. */
export class MemoryCommitteeStorage implements CommitteeStorage {
  private readonly state: { hardState?: HardState, snapshot?: Snapshot, entries: Entry[] } = { entries: [] }

  async load (): Promise<RaftStorage> {
    return { ...this.state, entries: [...this.state.entries] }
  }

  async save (ready: Ready): Promise<void> {
    applyReady(this.state, ready)
  }

  async compacted (snapshot: Snapshot): Promise<void> {
    this.state.snapshot = snapshot
    this.state.entries = this.state.entries.filter(e => e.index > snapshot.index)
  }
}
