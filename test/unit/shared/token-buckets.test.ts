/**
 * Per-key token buckets as direct messages use them: a burst, then the steady rate; only whole
 * tokens are taken; the least recently used keys are forgotten past the cap (they start full again).
 */
import { describe, expect, it } from 'vitest'
import { TokenBuckets } from '../../../src/shared/index.js'

describe('token buckets, taking several at once', () => {
  it('takes a burst, then refills at the rate, in whole tokens', () => {
    const bucket = new TokenBuckets(30, 1000 / 5, 10_000)
    expect(bucket.takeUpTo('a', 40, 0)).toBe(30)
    expect(bucket.takeUpTo('a', 1, 0)).toBe(0)
    expect(bucket.takeUpTo('a', 10, 1_000)).toBe(5)
    expect(bucket.takeUpTo('a', 10, 1_100)).toBe(0)
    // Another sender has its own bucket.
    expect(bucket.takeUpTo('b', 3, 1_100)).toBe(3)
  })

  it('forgets the least recently used key past 10,000', () => {
    const bucket = new TokenBuckets(1, Number.POSITIVE_INFINITY, 10_000)
    expect(bucket.takeUpTo('first', 1, 0)).toBe(1)
    for (let i = 0; i < 10_000; i++) bucket.takeUpTo(`s${i}`, 1, 0)
    // Forgotten, so full again.
    expect(bucket.takeUpTo('first', 1, 0)).toBe(1)
  })
})
