/**
 * A token bucket per sender, pure (time is an input): a burst, then a steady rate. Senders are
 * forgotten once their bucket is full again, so memory follows the active senders only.
 */

/** Rate limits keyed by sender. */
export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly burst: number, private readonly perSecond: number) {}

  /** Takes up to `n` whole tokens of `key` at `now`; returns how many it took (0: over the limit). */
  take (key: string, n: number, now: number): number {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now }
    const tokens = Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * this.perSecond / 1000)
    const taken = Math.max(0, Math.min(n, Math.floor(tokens)))
    this.buckets.set(key, { tokens: tokens - taken, at: now })
    if (this.buckets.size > 10_000) for (const [k, v] of this.buckets) if (v.tokens >= this.burst) this.buckets.delete(k)
    return taken
  }
}
