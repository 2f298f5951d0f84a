/**
 * Census accuracy in the model (src/sim/census-accuracy.ts): the estimate is within ±20 %
 * in ≥ 90 % of censuses at ~100 replies whatever the room size, and loss biases it low by
 * exactly the round-trip loss.
 */
import { describe, expect, it } from 'vitest'
import { CENSUS_NO_LOSS, runCensusSeries, summariseCensus } from '../../../src/sim/census-accuracy.js'

describe('census accuracy', () => {
  // 10,000 peers are measured by `npm run bench -- census` (about 10 s of CPU).
  it('estimates 100 and 1,000 peers within ±20 % in ≥ 90 % of 100 censuses each, at ~100 replies', () => {
    const rows = [100, 1_000].map((n) => summariseCensus(n, runCensusSeries(n, n, CENSUS_NO_LOSS)))
    console.table(rows)
    for (const row of rows) {
      expect(row.censuses).toBeGreaterThanOrEqual(50)
      expect(row.within20).toBeGreaterThanOrEqual(0.9)
      expect(row.within20Adapted).toBeGreaterThanOrEqual(0.9)
      expect(Math.abs(row.meanRatio - 1)).toBeLessThan(0.03)
      expect(row.ciCoverage).toBeGreaterThanOrEqual(0.88)
    }
    // At 100 peers p = 1: every other peer replies and the count is exact.
    expect(rows[0].meanReplies).toBe(99)
    expect(rows[0].within20).toBe(1)
    // Replies per census stay about constant as the room grows.
    for (const row of rows.slice(1)) expect(row.meanReplies).toBeGreaterThan(85)
    for (const row of rows.slice(1)) expect(row.meanReplies).toBeLessThan(115)
  }, 240_000)

  it('under loss the estimate is biased low by the round-trip loss (documented, not hidden)', () => {
    const n = 1_000
    const replyOnly = summariseCensus(n, runCensusSeries(n, 7, { ...CENSUS_NO_LOSS, replyLoss: 0.1 }))
    const both = summariseCensus(n, runCensusSeries(n, 8, { ...CENSUS_NO_LOSS, pollLoss: 0.1, replyLoss: 0.1 }))
    const corrected = summariseCensus(n, runCensusSeries(n, 9, { ...CENSUS_NO_LOSS, pollLoss: 0.1, replyLoss: 0.1, presence: { censusAssumedLoss: 0.19 } }))
    console.table([{ case: '10 % reply loss', ...replyOnly }, { case: '10 % loss on poll and reply', ...both }, { case: 'same, censusAssumedLoss 0.19', ...corrected }])
    // 10 % of replies lost: N̂ ≈ 0.9 N.
    expect(replyOnly.meanRatio).toBeGreaterThan(0.86)
    expect(replyOnly.meanRatio).toBeLessThan(0.94)
    // Poll and reply each lost with 10 %: a peer is counted with 0.9² = 0.81 of its chance.
    expect(both.meanRatio).toBeGreaterThan(0.77)
    expect(both.meanRatio).toBeLessThan(0.85)
    // Knowing the loss rate removes the bias.
    expect(Math.abs(corrected.meanRatio - 1)).toBeLessThan(0.04)
    expect(corrected.within20).toBeGreaterThanOrEqual(0.85)
  }, 120_000)
})
