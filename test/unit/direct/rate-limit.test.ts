/**
 * The per-sender token bucket: a burst, then the steady rate; only whole tokens are taken; the
 * least recently used senders are forgotten past the cap (they start full again).
 */
import { describe, expect, it } from 'vitest'
import { TokenBucket } from '../../../src/direct/index.js'

describe('the per-sender token bucket', () => {
  it('takes a burst, then refills at the rate, in whole tokens', () => {
    const bucket = new TokenBucket(30, 5)
    expect(bucket.take('a', 40, 0)).toBe(30)
    expect(bucket.take('a', 1, 0)).toBe(0)
    expect(bucket.take('a', 10, 1_000)).toBe(5)
    expect(bucket.take('a', 10, 1_100)).toBe(0)
    // Another sender has its own bucket.
    expect(bucket.take('b', 3, 1_100)).toBe(3)
  })

  it('forgets the least recently used sender past 10,000', () => {
    const bucket = new TokenBucket(1, 0)
    expect(bucket.take('first', 1, 0)).toBe(1)
    for (let i = 0; i < 10_000; i++) bucket.take(`s${i}`, 1, 0)
    // Forgotten, so full again.
    expect(bucket.take('first', 1, 0)).toBe(1)
  })
})
