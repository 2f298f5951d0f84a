/**
 * Token buckets keyed by origin, for rate limits on presence records, census polls and direct
 * messages. Pure: time is the `now` argument. `available` only looks (for `validate`),
 * `take` consumes (for `receive`). The number of keys is bounded: beyond it the
 * least recently inserted key is forgotten (a forgotten key starts with a full bucket).
 */

interface Bucket { tokens: number, at: number }

/** Per-key token buckets: `capacity` tokens, one refilled every `refillMs`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>()

  constructor (readonly capacity: number, readonly refillMs: number, readonly maxKeys: number) {}

  private level (key: string, now: number): number {
    const b = this.buckets.get(key)
    if (b === undefined) return this.capacity
    return Math.min(this.capacity, b.tokens + Math.max(0, now - b.at) / this.refillMs)
  }

  /** True when `take` would succeed now. */
  available (key: string, now: number): boolean {
    return this.level(key, now) >= 1
  }

  /** Consumes one token; false (and nothing consumed) when the bucket is empty. */
  take (key: string, now: number): boolean {
    const tokens = this.level(key, now)
    if (tokens < 1) return false
    this.buckets.delete(key)
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value
      if (oldest !== undefined) this.buckets.delete(oldest)
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now })
    return true
  }

  /**
   * Consumes up to `n` whole tokens; returns how many it took (0 when the bucket is empty, and
   * then nothing changes).
   */
  takeUpTo (key: string, n: number, now: number): number {
    const taken = Math.max(0, Math.min(n, Math.floor(this.level(key, now))))
    if (taken === 0) return 0
    const tokens = this.level(key, now)
    this.buckets.delete(key)
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value
      if (oldest !== undefined) this.buckets.delete(oldest)
    }
    this.buckets.set(key, { tokens: tokens - taken, at: now })
    return taken
  }

  /** Keys currently tracked. */
  get size (): number {
    return this.buckets.size
  }
}
