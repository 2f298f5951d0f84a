import { describe, expect, it } from 'vitest'
import { measurePresenceBandwidthDriven as measure, PRESENCE_BOUND_PER_MIN as BOUND_PER_MIN } from '../../../src/sim/presence-bandwidth.js'

describe('presence bandwidth through the room driver: the large-room rule', () => {
  it('bounds what each peer receives per minute at 10, 60 and 80 peers (1,000 in the benchmark)', () => {
    // One room below the large-room threshold (50) and two above it, where traffic must stay flat.
    // No larger: the run costs about N² × N, and CI must stay within its 10 minutes on 2 cores
    // (150 peers alone took a minute, 75 and 100 together 25 s); `npm run bench -- presence`
    // measures 1,000.
    const rows = [measure(10, 10), measure(60, 60), measure(80, 80)]
    console.log(`steady-state bound: ${BOUND_PER_MIN.toFixed(1)} records per peer per minute`)
    console.table(rows)
    for (const row of rows) {
      // Everyone still tracks everyone.
      expect(row.minRoster).toBe(row.peers)
      expect(row.maxMsgsPerMin).toBeLessThanOrEqual(BOUND_PER_MIN * 1.1)
      // And the measured rate is what the period predicts.
      expect(Math.abs(row.msgsPerMin - row.expectedPerMin) / row.expectedPerMin).toBeLessThan(0.1)
    }
    // Below the threshold traffic grows with the room; above it it stays flat.
    expect(rows[0].msgsPerMin).toBeLessThan(25)
    expect(Math.abs(rows[2].msgsPerMin - rows[1].msgsPerMin) / rows[1].msgsPerMin).toBeLessThan(0.1)
  }, 180_000)
})
