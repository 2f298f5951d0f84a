/**
 * The Lamport clock in milliseconds: `max(now, last + 1)` on send, raised to the
 * highest delivered value on delivery. Values stay safe integers; the channel
 * rejects absurd incoming values before they can reach `observe()`.
 */

/** A millisecond Lamport clock. */
export class LamportClock {
  private last = 0

  /** The highest value issued or observed so far. */
  get value (): number {
    return this.last
  }

  /** What `next(now)` would issue, without issuing it. */
  peek (now: number): number {
    return Math.min(Math.max(Math.floor(now), this.last + 1), Number.MAX_SAFE_INTEGER)
  }

  /** Issues the timestamp of a new own message: max(now, last + 1). */
  next (now: number): number {
    this.last = this.peek(now)
    return this.last
  }

  /** Raises the clock to a delivered message's timestamp. */
  observe (lamport: number): void {
    if (lamport > this.last) this.last = lamport
  }
}
