/**
 * The simulator's value parsers and run plan: durations, probabilities, the
 * partition and churn specs, and a plan that is the same for the same seed.
 */
import { describe, expect, it } from 'vitest'
import { parseChurnSpec, parseDuration, parsePartitionSpec, parseProbability } from '../../../src/sim/specs.js'
import { resolveSimConfig } from '../../../src/sim/config.js'
import { messageKey, messageText, planRun } from '../../../src/sim/plan.js'

describe('sim specs', () => {
  it('parses durations and probabilities', () => {
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('1.5s')).toBe(1500)
    expect(parseDuration('2m')).toBe(120_000)
    expect(parseProbability('0.25')).toBe(0.25)
    expect(parseProbability('20%')).toBeCloseTo(0.2)
    expect(() => parseProbability('-0.1')).toThrow(/between 0 and 1/)
  })

  it('parses partition and churn specs', () => {
    expect(parsePartitionSpec('at=10s,for=30s,split=25%')).toEqual({ atMs: 10_000, forMs: 30_000, split: 0.25 })
    expect(parsePartitionSpec(' for=1s , at=0s ')).toEqual({ atMs: 0, forMs: 1000, split: 0.5 })
    expect(() => parsePartitionSpec('at=1s,at=2s,for=1s')).toThrow(/given twice/)
    expect(parseChurnSpec('rate=0.5/s,downtime=5s')).toEqual({ ratePerSec: 0.5, downtimeMs: 5000 })
    expect(parseChurnSpec('rate=2,downtime=1m')).toEqual({ ratePerSec: 2, downtimeMs: 60_000 })
    expect(() => parseChurnSpec('rate=1/s')).toThrow(/needs rate= and downtime=/)
  })

  it('tags message texts with their index and run', () => {
    expect(messageText(7, 12)).toBe('m7|xxxxxxxxx')
    expect(messageKey(messageText(7, 12))).toEqual({ index: 7, run: 0 })
    expect(messageKey(messageText(3, 4, 2))).toEqual({ index: 3, run: 2 })
    expect(messageKey('hello')).toBeUndefined()
  })

  it('plans the same script for the same seed, and spreads sends over the senders', () => {
    const config = resolveSimConfig({ nodes: 20, messages: 200, rate: 20, senders: 5, seed: 3, churn: { ratePerSec: 1, downtimeMs: 2000 }, lateJoin: 4, partitions: [{ atMs: 1000, forMs: 2000, split: 0.5 }] })
    const a = planRun(config)
    expect(planRun(config)).toEqual(a)
    expect(planRun({ ...config, seed: 4 })).not.toEqual(a)
    expect(a.sends).toHaveLength(200)
    expect(a.sends[199].at).toBe(9950)
    expect(new Set(a.sends.map(s => s.sender)).size).toBeLessThanOrEqual(6) // 5 senders, node 0 as fallback
    expect(a.joinAt.filter(t => t > 0)).toHaveLength(4)
    expect(a.partitions[0]).toMatchObject({ start: 1000, end: 3000 })
    expect(a.partitions[0].groupA).toHaveLength(10)
    expect(a.crashes.length).toBeGreaterThan(3)
    for (const c of a.crashes) expect(c.node).not.toBe(0)
    for (const s of a.sends) {
      const down = a.crashes.some(c => c.node === s.sender && c.at <= s.at && s.at < c.restartAt)
      expect(down).toBe(false)
    }
  })
})
