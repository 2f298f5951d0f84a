/**
 * A token bucket per sender, pure (time is an input): a burst, then a steady rate. At most 10,000
 * senders are remembered, the least recently used forgotten first.
 */

/** Senders remembered at once. */
const MAX_BUCKETS = 10_000

/** Rate limits keyed by sender. */
export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly burst: number, private readonly perSecond: number) {}

  /** Takes up to `n` whole tokens of `key` at `now`; returns how many it took (0: over the limit). */
  take (key: string, n: number, now: number): number {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now }
    const tokens = Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * this.perSecond / 1000)
    const taken = Math.max(0, Math.min(n, Math.floor(tokens)))
    // Most recently used last; past the cap the least recently used is forgotten (it starts full again).
    this.buckets.delete(key)
    this.buckets.set(key, { tokens: tokens - taken, at: now })
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string)
    return taken
  }
}
