/**
 * Census accuracy in a simulated room: one poller and N − 1 other peers. The poll is
 * delivered to every peer (each copy lost with `pollLoss`), each peer decides on its own
 * seeded randomness, and its reply reaches the poller unless lost (`replyLoss`).
 * Presence announcements are not exchanged (too costly at 10,000 peers and irrelevant):
 * the poller only hears the join announcements of a random half of the room, so its first
 * census is sized by a roster of ~N/2 and the later ones by its previous estimate.
 */
import { describe, expect, it } from 'vitest'
import { createRandom } from '../../../src/reliability/random.js'
import { accuracyProbability, decodeEphemeral, Presence, type CensusResult, type PresenceOptions } from '../../../src/presence/index.js'
import { makePeerId } from '../../../src/sim/presence-net.js'

interface Sample { truth: number, result: CensusResult, first: boolean }

interface SeriesOptions {
  populations: number
  censusesPerPopulation: number
  pollLoss: number
  replyLoss: number
  presence: Partial<PresenceOptions>
}

function runSeries (n: number, seed: number, opts: SeriesOptions): Sample[] {
  const samples: Sample[] = []
  for (let pop = 0; pop < opts.populations; pop++) {
    const random = createRandom(seed * 1000 + pop)
    const make = (): Presence => new Presence(makePeerId(random), { random: createRandom(Math.floor(random() * 2 ** 32)), ...opts.presence })
    const origin = make()
    let now = 1_000_000
    origin.join(now)
    origin.drainOutgoing()
    const others = Array.from({ length: n - 1 }, () => {
      const p = make()
      p.join(now)
      const [hello] = p.drainOutgoing()
      if (random() < 0.5) origin.receive(hello, p.selfId, now)
      return p
    })
    for (let c = 0; c < opts.censusesPerPopulation; c++) {
      now += 1_000
      origin.drainOutgoing() // its own periodic announcements: not needed here
      const started = origin.startCensus(now)
      if (!started.ok) throw new Error('census refused')
      const [poll] = origin.drainOutgoing()
      for (const peer of others) {
        if (random() < opts.pollLoss) continue
        peer.receive(poll, origin.selfId, now)
      }
      const replyAt = now + origin.options.censusReplySpreadMs
      for (const peer of others) {
        if (peer.nextDeadline() > replyAt) continue
        peer.tick(replyAt)
        for (const bytes of peer.drainOutgoing()) {
          const decoded = decodeEphemeral(bytes)
          if (!decoded.ok || decoded.value.type !== 'reply') continue
          if (random() < opts.replyLoss) continue
          origin.receive(bytes, peer.selfId, replyAt)
        }
        peer.drainEvents()
      }
      origin.tick(started.finishAt)
      const event = origin.drainEvents().find((e) => e.type === 'census')
      if (event?.type !== 'census') throw new Error('no census result')
      samples.push({ truth: n, result: event.result, first: c === 0 })
      now = started.finishAt + origin.options.censusMinIntervalMs
    }
  }
  return samples
}

interface Summary {
  N: number
  censuses: number
  within20: number
  /** The same over the censuses sized by a previous estimate (~100 replies) only. */
  within20Adapted: number
  meanRatio: number
  meanReplies: number
  meanRepliesFirst: number
  ciCoverage: number
  expectedWithin20: number
}

function summarise (n: number, samples: Sample[]): Summary {
  const ratios = samples.map((s) => s.result.estimate / s.truth)
  const later = samples.filter((s) => !s.first)
  const first = samples.filter((s) => s.first)
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
  const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d
  return {
    N: n,
    censuses: samples.length,
    within20: round(ratios.filter((r) => Math.abs(r - 1) <= 0.2).length / samples.length),
    within20Adapted: round(later.filter((s) => Math.abs(s.result.estimate / s.truth - 1) <= 0.2).length / later.length),
    meanRatio: round(mean(ratios)),
    meanReplies: round(mean(later.map((s) => s.result.replies)), 1),
    meanRepliesFirst: round(mean(first.map((s) => s.result.replies)), 1),
    ciCoverage: round(samples.filter((s) => s.result.low <= s.truth && s.truth <= s.result.high).length / samples.length),
    expectedWithin20: round(accuracyProbability(mean(later.map((s) => s.result.replies)), 0.2))
  }
}

// 100 censuses over 5 rooms: building a room of 10,000 Presence instances costs ~0.6 s, the
// censuses in it far less, and every census draws fresh randomness from every peer.
const NO_LOSS: SeriesOptions = { populations: 5, censusesPerPopulation: 20, pollLoss: 0, replyLoss: 0, presence: {} }

describe('census accuracy', () => {
  it('estimates 100, 1,000 and 10,000 peers within ±20 % in ≥ 90 % of 100 censuses each, at ~100 replies', () => {
    const rows = [100, 1_000, 10_000].map((n) => summarise(n, runSeries(n, n, NO_LOSS)))
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
    const replyOnly = summarise(n, runSeries(n, 7, { ...NO_LOSS, replyLoss: 0.1 }))
    const both = summarise(n, runSeries(n, 8, { ...NO_LOSS, pollLoss: 0.1, replyLoss: 0.1 }))
    const corrected = summarise(n, runSeries(n, 9, { ...NO_LOSS, pollLoss: 0.1, replyLoss: 0.1, presence: { censusAssumedLoss: 0.19 } }))
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
