/**
 * Counts what a room refused, by reason, so `/status` can show it and tests can
 * assert that bad input was dropped for the right reason rather than lost.
 */

/** A counter of dropped inputs keyed by reason. */
export class DropCounter {
  private readonly counts = new Map<string, number>()

  /** Counts one drop. */
  add (reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n)
  }

  /** How many were dropped for `reason`. */
  get (reason: string): number {
    return this.counts.get(reason) ?? 0
  }

  /** All counts as a plain object. */
  toJSON (): Record<string, number> {
    return Object.fromEntries(this.counts)
  }
}
