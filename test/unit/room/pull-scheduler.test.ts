/**
 * The pull scheduler alone, with injected time: holder order, the next peer asked at once
 * after a failure, hedging after the delay that follows the answers' round trips, and the
 * first answer ending the pull.
 */
import { describe, expect, it } from 'vitest'
import { PullScheduler } from '../../../src/room/pull-scheduler.js'
import type { PullAttempt } from '../../../src/room/driver-types.js'

function scheduler (connected: string[] = ['a', 'b', 'c', 'd'], limits: Partial<ConstructorParameters<typeof PullScheduler>[1]> = {}): { s: PullScheduler, received: Set<string> } {
  const received = new Set<string>()
  const s = new PullScheduler({
    selfId: 'me',
    channelId: 'room',
    topicPeers: () => ['a', 'b', 'c', 'd'],
    connected: p => connected.includes(p),
    received: id => received.has(id)
  }, { maxInFlight: 8, queueCapacity: 64, targets: 8, maxAttempts: 16, hedgeMs: 500, minHedgeMs: 100, ...limits })
  return { s, received }
}

const pull = (id: string, peer?: string): { messageIds: string[], candidates: string[], peer?: string } => ({ messageIds: [id], candidates: [], ...(peer !== undefined ? { peer } : {}) })
const targets = (out: PullAttempt[]): string[] => out.map(a => a.target)

describe('PullScheduler', () => {
  it('asks connected holders first, and the next peer at once when an attempt fails (no backoff)', () => {
    const { s } = scheduler(['b', 'c'])
    const out: PullAttempt[] = []
    s.request(pull('m1', 'a'), 0, out)
    expect(targets(out)).toEqual(['b']) // a (the hint) is not connected: connected b and c go first
    s.failed(out[0].pullId, 10, out)
    expect(targets(out)).toEqual(['b', 'c'])
    s.answered(out[1].pullId, false, 20, out) // an empty answer: the next one
    expect(targets(out)).toEqual(['b', 'c', 'a'])
  })

  it('asks the next peer beside an attempt unanswered for 500 ms before any answer was seen', () => {
    const { s } = scheduler()
    const out: PullAttempt[] = []
    s.request(pull('m1'), 0, out)
    expect(s.nextHedgeAt()).toBe(500)
    s.tick(499, out)
    expect(out).toHaveLength(1)
    s.tick(500, out)
    expect(targets(out)).toEqual(['a', 'b'])
    expect(s.hedged).toBe(1)
    // The first answer ends the pull; the slower attempt's answer changes nothing.
    s.answered(out[1].pullId, true, 520, out)
    expect(s.active).toBe(0)
    s.answered(out[0].pullId, true, 700, out)
    expect(out).toHaveLength(2)
    expect(s.nextHedgeAt()).toBe(Infinity)
  })

  it('learns the round trip: fast answers bring the hedge delay down to its floor, slow ones up to its cap', () => {
    const fast = scheduler().s
    const out: PullAttempt[] = []
    for (let i = 0; i < 20; i++) {
      fast.request(pull(`m${i}`), i * 1000, out)
      fast.answered(out[out.length - 1].pullId, true, i * 1000 + 20, out)
    }
    expect(fast.hedgeDelay()).toBe(100)
    const slow = scheduler().s
    for (let i = 0; i < 20; i++) {
      slow.request(pull(`m${i}`), i * 5000, out)
      slow.answered(out[out.length - 1].pullId, true, i * 5000 + 2000, out)
    }
    expect(slow.hedgeDelay()).toBe(500)
    // Between the bounds it is SRTT + 4 × RTTVAR: one 200 ms sample gives 200 + 4 × 100.
    const one = scheduler(undefined, { hedgeMs: 1000 }).s
    one.request(pull('x'), 0, out)
    one.answered(out[out.length - 1].pullId, true, 200, out)
    expect(one.hedgeDelay()).toBe(600)
  })

  it('once every peer was asked, asks them again in turn, each round waiting twice as long, up to maxAttempts', () => {
    const { s } = scheduler(['a', 'b'], { targets: 2, maxAttempts: 5 })
    const out: PullAttempt[] = []
    s.request(pull('m1'), 0, out)
    s.tick(500, out) // round 0: the hedge delay
    s.tick(1_499, out)
    s.tick(1_500, out) // round 1: twice that
    s.tick(2_500, out)
    s.tick(4_500, out) // round 2: four times
    s.tick(10_000, out) // the budget is spent
    expect(out.map(a => [a.target])).toEqual([['a'], ['b'], ['a'], ['b'], ['a']])
    expect(s.nextHedgeAt()).toBe(Infinity)
    for (const a of out) s.failed(a.pullId, 10_000, out)
    expect(s.active).toBe(0)
  })

  it('a failed attempt teaches no round trip', () => {
    const { s } = scheduler()
    const out: PullAttempt[] = []
    s.request(pull('m1'), 0, out)
    s.failed(out[0].pullId, 3000, out)
    expect(s.hedgeDelay()).toBe(500)
  })

  it('a pull whose every peer failed ends and frees its slot for a queued one, less what arrived meanwhile', () => {
    const { s, received } = scheduler(['a'], { maxInFlight: 1, targets: 1, maxAttempts: 1 })
    const out: PullAttempt[] = []
    s.request(pull('m1'), 0, out)
    s.request(pull('m2'), 0, out)
    s.request(pull('m3'), 0, out)
    expect(s.queued).toBe(2)
    received.add('m2')
    s.failed(out[0].pullId, 100, out)
    expect(out.map(a => a.ask.ids)).toEqual([['m1'], ['m3']])
    expect(s.active).toBe(1)
  })
})
