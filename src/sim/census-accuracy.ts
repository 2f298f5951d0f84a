/**
 * Census accuracy in a simulated room (model mode), shared by the census tests and the
 * `census` benchmark: one poller and N − 1 other peers. The poll is delivered to every
 * peer (each copy lost with `pollLoss`), each peer decides on its own seeded randomness,
 * and its reply reaches the poller unless lost (`replyLoss`). Presence announcements are
 * not exchanged (too costly at 10,000 peers and irrelevant): the poller only hears the
 * join announcements of a random half of the room, so its first census is sized by a
 * roster of ~N/2 and the later ones by its previous estimate.
 */
import { createRandom } from '../shared/index.js'
import { accuracyProbability, decodeEphemeral, Presence, type CensusResult, type PresenceOptions } from '../presence/index.js'
import { makePeerId } from './presence-net.js'

/** One census: the true room size, the result, and whether it was the room's first census. */
export interface Sample { truth: number, result: CensusResult, first: boolean }

/** How a census series is run. */
export interface SeriesOptions {
  populations: number
  censusesPerPopulation: number
  pollLoss: number
  replyLoss: number
  presence: Partial<PresenceOptions>
}

/** Runs `populations` rooms of `n` peers with `censusesPerPopulation` censuses in each. */
export function runCensusSeries (n: number, seed: number, opts: SeriesOptions): Sample[] {
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

/** Accuracy figures of one series. */
export interface CensusSummary {
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

/** Summarises a series of room size `n`. */
export function summariseCensus (n: number, samples: Sample[]): CensusSummary {
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

/**
 * 100 censuses over 5 rooms: building a room of 10,000 Presence instances costs ~0.6 s, the
 * censuses in it far less, and every census draws fresh randomness from every peer.
 */
export const CENSUS_NO_LOSS: SeriesOptions = { populations: 5, censusesPerPopulation: 20, pollLoss: 0, replyLoss: 0, presence: {} }
