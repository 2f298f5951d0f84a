/**
 * An exact, insertion-ordered id set with a capacity: adding past the capacity
 * forgets the oldest id in O(1). It remembers when the last forgotten id was added
 * (`horizon`), so the channel can tell a replay of something older than its memory.
 *
 * The order lives in a ring of slots beside the `Map`, because reading the "first"
 * entry of a JS Map that is constantly deleted from the front skips the deleted
 * holes and degrades to O(n) per operation.
 */

/** Bounded set of ids, oldest forgotten first. */
export class BoundedIdSet {
  /** id → slot sequence number of its current insertion. */
  private readonly entries = new Map<string, number>()
  private readonly ringIds: string[] = []
  private readonly ringTimes: number[] = []
  private readonly ringSeqs: number[] = []
  private next = 0
  private forgottenAt = Number.NEGATIVE_INFINITY

  constructor (readonly capacity: number) {}

  /** Number of ids remembered. */
  get size (): number {
    return this.entries.size
  }

  /** Insertion time of the most recently forgotten id (−∞ while nothing was forgotten). */
  get horizon (): number {
    return this.forgottenAt
  }

  /** True when the id is remembered. */
  has (id: string): boolean {
    return this.entries.has(id)
  }

  /** Remembers an id (no-op if present), forgetting the oldest beyond capacity. */
  add (id: string, now: number): void {
    if (this.entries.has(id)) return
    const seq = this.next++
    const slot = seq % this.capacity
    if (seq >= this.capacity) {
      const oldId = this.ringIds[slot]
      if (this.entries.get(oldId) === this.ringSeqs[slot]) {
        this.entries.delete(oldId)
        this.forgottenAt = Math.max(this.forgottenAt, this.ringTimes[slot])
      }
    }
    this.ringIds[slot] = id
    this.ringTimes[slot] = now
    this.ringSeqs[slot] = seq
    this.entries.set(id, seq)
  }

  /** The remembered ids with the time each was added, oldest first (for snapshots). */
  list (): Array<[string, number]> {
    const out: Array<[string, number]> = []
    for (const [id, seq] of this.entries) out.push([id, this.ringTimes[seq % this.capacity]])
    return out
  }

  /** Forgets an id (does not move the horizon). */
  delete (id: string): boolean {
    return this.entries.delete(id)
  }
}
