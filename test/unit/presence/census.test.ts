import { describe, expect, it } from 'vitest'
import { createRandom } from '../../../src/shared/index.js'
import {
  accuracyProbability,
  decodeEphemeral,
  encodeEphemeral,
  estimateSize,
  Presence,
  replyProbability,
  Z95,
  type PresenceEvent,
  type PresenceOptions
} from '../../../src/presence/index.js'
import { makePeerId, peerBytes, randomHex, record } from '../../../src/sim/presence-net.js'

const rnd = createRandom(4242)
const T0 = 1_000_000

function peer (options: Partial<PresenceOptions> = {}, joinAt: number | null = T0): Presence {
  const p = new Presence(makePeerId(rnd), { random: createRandom(Math.floor(rnd() * 2 ** 32)), ...options })
  if (joinAt !== null) {
    p.join(joinAt)
    p.drainOutgoing()
  }
  return p
}

function poll (origin: string, p: number, issuedAt: number, pollId = randomHex()): Uint8Array {
  return encodeEphemeral({ type: 'poll', pollId, origin: peerBytes(origin), p, issuedAt })
}

function reply (pollId: string, responder: string): Uint8Array {
  return encodeEphemeral({ type: 'reply', pollId, responder: peerBytes(responder) })
}

/** Gives `p` a roster of `n` other peers heard at `now`. */
function fillRoster (p: Presence, n: number, now: number): void {
  for (let i = 0; i < n; i++) {
    const id = makePeerId(rnd)
    p.receive(record(id, { issuedAt: now, periodMs: 600_000, ttlSeconds: 1800 }), id, now)
  }
  p.drainEvents()
}

function censusEvents (events: PresenceEvent[]): Array<Extract<PresenceEvent, { type: 'census' }>> {
  return events.filter((e): e is Extract<PresenceEvent, { type: 'census' }> => e.type === 'census')
}

function startOk (p: Presence, now: number): { pollId: string, p: number, finishAt: number, bytes: Uint8Array } {
  const started = p.startCensus(now)
  if (!started.ok) throw new Error('census refused')
  const out = p.drainOutgoing()
  const bytes = out.find((b) => { const d = decodeEphemeral(b); return d.ok && d.value.type === 'poll' })
  if (bytes === undefined) throw new Error('no poll queued')
  return { ...started, bytes }
}

describe('census statistics', () => {
  it('chooses p = target / (expected − 1), capped to [minP, 1]', () => {
    expect(replyProbability(100, 1, 1e-4)).toBe(1)
    expect(replyProbability(100, 50, 1e-4)).toBe(1)
    expect(replyProbability(100, 101, 1e-4)).toBe(1)
    expect(replyProbability(100, 1_001, 1e-4)).toBeCloseTo(0.1, 12)
    expect(replyProbability(100, 1e9, 1e-4)).toBe(1e-4)
  })

  it('gives N̂ = 1 + R/p with a 95 % score interval from the binomial variance', () => {
    // p = 1: the count is exact.
    expect(estimateSize(42, 1)).toEqual({ estimate: 43, low: 43, high: 43 })
    // No reply: [1, 1 + z²(1 − p)/p].
    const none = estimateSize(0, 0.01)
    expect(none.estimate).toBe(1)
    expect(none.low).toBe(1)
    expect(none.high).toBeCloseTo(1 + Z95 * Z95 * 0.99 / 0.01, 6)
    // Many replies: as wide as Wald (N̂ ± z·√(R(1 − p))/p), centred z²(1 − p)/(2p) higher.
    const e = estimateSize(100, 0.1)
    const half = Z95 * Math.sqrt(100 * 0.9) / 0.1
    expect(e.estimate).toBeCloseTo(1001, 9)
    expect(Math.abs((e.high - e.low) / (2 * half) - 1)).toBeLessThan(0.03)
    expect((e.high + e.low) / 2).toBeCloseTo(1001 + Z95 * Z95 * 0.9 / 0.2, 6)
    // The lower bound never drops below the peers actually heard.
    expect(estimateSize(3, 0.9).low).toBeGreaterThanOrEqual(4)
    // An assumed loss divides p.
    expect(estimateSize(90, 0.1, 0.1).estimate).toBeCloseTo(1001, 9)
  })

  it('explains the target: ±20 % holds with probability ≈ P(|Z| ≤ 0.2·√T)', () => {
    expect(accuracyProbability(50, 0.2)).toBeCloseTo(0.843, 2)
    expect(accuracyProbability(68, 0.2)).toBeCloseTo(0.90, 2)
    expect(accuracyProbability(100, 0.2)).toBeCloseTo(0.954, 2)
  })
})

describe('census protocol', () => {
  it('startCensus emits a 16-byte poll signed as ours and sized by the roster; refuses a second one too soon', () => {
    const a = peer()
    fillRoster(a, 300, T0)
    const { pollId, p, bytes, finishAt } = startOk(a, T0)
    expect(pollId).toMatch(/^[0-9a-f]{32}$/)
    expect(p).toBeCloseTo(100 / 300, 12)
    expect(finishAt).toBe(T0 + 5_000)
    const decoded = decodeEphemeral(bytes)
    expect(decoded.ok && decoded.value).toMatchObject({ type: 'poll', pollId, p, issuedAt: T0 })
    expect(decoded.ok && decoded.value.type === 'poll' && Buffer.from(decoded.value.origin).equals(Buffer.from(peerBytes(a.selfId)))).toBe(true)
    expect(a.startCensus(T0 + 14_999)).toEqual({ ok: false, reason: 'rate-limited', retryAt: T0 + 15_000 })
    expect(a.startCensus(T0 + 15_000).ok).toBe(true)
  })

  it('counts replies once per responder, finishes with a CensusResult, and sizes the next p by the estimate', () => {
    const a = peer()
    fillRoster(a, 300, T0)
    const { pollId, p } = startOk(a, T0)
    const responders = Array.from({ length: 200 }, () => makePeerId(rnd))
    for (const r of responders) expect(a.receive(reply(pollId, r), r, T0 + 500)).toEqual({ status: 'accepted', type: 'reply' })
    expect(a.receive(reply(pollId, responders[0]), responders[0], T0 + 600)).toEqual({ status: 'dropped', reason: 'duplicate' })
    // A reply claiming another responder.
    expect(a.validate(reply(pollId, responders[1]), responders[2], T0 + 600)).toEqual({ action: 'reject', reason: 'forged-origin' })
    a.tick(T0 + 4_999)
    expect(censusEvents(a.drainEvents())).toHaveLength(0)
    a.tick(T0 + 5_000)
    const [event] = censusEvents(a.drainEvents())
    const expected = estimateSize(200, p)
    expect(event).toEqual({
      type: 'census',
      pollId,
      result: {
        estimate: Math.round(expected.estimate),
        low: Math.floor(expected.low),
        high: Math.ceil(expected.high),
        replies: 200,
        p,
        rosterCount: 301,
        durationMs: 5_000
      }
    })
    // finishCensus after the fact returns the same result and emits nothing new.
    expect(a.finishCensus(pollId, T0 + 6_000)).toEqual(event.result)
    expect(a.drainEvents()).toHaveLength(0)
    expect(a.finishCensus(randomHex(), T0 + 6_000)).toBeUndefined()
    expect(a.status(T0 + 6_000).lastEstimate).toEqual({ estimate: expected.estimate, at: T0 + 5_000, source: 'own' })
    // Next census: the estimate (≈ 599) is larger than the roster (301), so it sizes p.
    const next = startOk(a, T0 + 20_000)
    expect(next.p).toBeCloseTo(100 / (expected.estimate - 1), 12)
  })

  it('finishCensus may end a census early; the later tick does not report it twice', () => {
    const a = peer()
    const { pollId } = startOk(a, T0)
    const r = makePeerId(rnd)
    a.receive(reply(pollId, r), r, T0 + 100)
    const result = a.finishCensus(pollId, T0 + 2_000)
    expect(result).toMatchObject({ estimate: 2, low: 2, high: 2, replies: 1, p: 1, rosterCount: 1, durationMs: 2_000 })
    expect(censusEvents(a.drainEvents())).toHaveLength(1)
    a.tick(T0 + 10_000)
    expect(censusEvents(a.drainEvents())).toHaveLength(0)
  })

  it('answers a poll at most once, after a random delay, with probability p', () => {
    const origin = makePeerId(rnd)
    const b = peer()
    const id = randomHex()
    const bytes = poll(origin, 1, T0, id)
    expect(b.validate(bytes, origin, T0)).toEqual({ action: 'accept', type: 'poll' })
    expect(b.receive(bytes, origin, T0)).toEqual({ status: 'accepted', type: 'poll' })
    expect(b.receive(bytes, origin, T0)).toEqual({ status: 'dropped', reason: 'duplicate' })
    // The same poll id again in new bytes (a re-publication).
    expect(b.receive(poll(origin, 1, T0 + 10, id), origin, T0 + 20_000)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(b.drainOutgoing()).toHaveLength(0)
    b.tick(T0 + 1_000)
    const replies = b.drainOutgoing().map((x) => decodeEphemeral(x)).filter((d) => d.ok && d.value.type === 'reply')
    expect(replies).toHaveLength(1)
    b.tick(T0 + 30_000)
    expect(b.drainOutgoing().filter((x) => { const d = decodeEphemeral(x); return d.ok && d.value.type === 'reply' })).toHaveLength(0)

    // With p = 0.2, 1,000 peers answer about 200 times.
    let answered = 0
    for (let i = 0; i < 1_000; i++) {
      const c = peer()
      c.receive(poll(origin, 0.2, T0), origin, T0)
      c.tick(T0 + 1_000)
      answered += c.drainOutgoing().length
    }
    expect(answered).toBeGreaterThan(160)
    expect(answered).toBeLessThan(240)
  })

  it('does not answer while not joined, and drops pending replies on leave', () => {
    const origin = makePeerId(rnd)
    const outside = peer({}, null)
    outside.receive(poll(origin, 1, T0), origin, T0)
    outside.tick(T0 + 2_000)
    expect(outside.drainOutgoing()).toHaveLength(0)
    const leaving = peer()
    leaving.receive(poll(origin, 1, T0), origin, T0)
    expect(leaving.leave(T0 + 1)).toBeInstanceOf(Uint8Array)
    leaving.tick(T0 + 2_000)
    expect(leaving.drainOutgoing()).toHaveLength(0)
  })

  it('rate-limits polls per origin (one per 10 s) and from everyone together (3, then one per 20 s)', () => {
    const b = peer()
    const origin = makePeerId(rnd)
    expect(b.receive(poll(origin, 0.5, T0), origin, T0).status).toBe('accepted')
    expect(b.validate(poll(origin, 0.5, T0 + 5_000), origin, T0 + 5_000)).toEqual({ action: 'ignore', reason: 'rate-limited' })
    expect(b.receive(poll(origin, 0.5, T0 + 5_000), origin, T0 + 5_000)).toEqual({ status: 'dropped', reason: 'rate-limited' })
    expect(b.receive(poll(origin, 0.5, T0 + 10_000), origin, T0 + 10_000).status).toBe('accepted')

    const c = peer()
    const results = Array.from({ length: 8 }, () => {
      const o = makePeerId(rnd)
      return c.receive(poll(o, 0.5, T0), o, T0).status
    })
    expect(results).toEqual([...Array(3).fill('accepted'), ...Array(5).fill('dropped')])
    expect(c.status(T0).dropped['rate-limited']).toBe(5)
    const o = makePeerId(rnd)
    expect(c.receive(poll(o, 0.5, T0 + 19_999), o, T0 + 19_999).status).toBe('dropped')
    expect(c.receive(poll(o, 0.5, T0 + 20_000), o, T0 + 20_000).status).toBe('accepted')
  })

  it('drops polls that are expired, from the future, forged, or ask for p below minP', () => {
    const b = peer()
    const o = makePeerId(rnd)
    const m = makePeerId(rnd)
    expect(b.validate(poll(o, 0.5, T0 - 75_001), o, T0)).toEqual({ action: 'ignore', reason: 'expired' })
    expect(b.validate(poll(o, 0.5, T0 + 60_001), o, T0)).toEqual({ action: 'ignore', reason: 'clock-skew' })
    expect(b.validate(poll(o, 0.5, T0), m, T0)).toEqual({ action: 'reject', reason: 'forged-origin' })
    expect(b.validate(poll(o, 0.5e-4, T0), o, T0)).toEqual({ action: 'ignore', reason: 'p-too-small' })
    expect(b.validate(poll(o, 1e-4, T0), o, T0)).toEqual({ action: 'accept', type: 'poll' })
  })

  it('a relay accepts (forwards) replies only for polls it knows, once each, up to twice the reply cap', () => {
    const relay = peer({ censusReplyCap: 2 })
    const o = makePeerId(rnd)
    const id = randomHex()
    const r1 = makePeerId(rnd)
    expect(relay.validate(reply(id, r1), r1, T0)).toEqual({ action: 'ignore', reason: 'unknown-poll' })
    relay.receive(poll(o, 1, T0, id), o, T0)
    const results = Array.from({ length: 6 }, () => {
      const r = makePeerId(rnd)
      return relay.receive(reply(id, r), r, T0 + 100).status === 'accepted' ? 'ok' : relay.validate(reply(id, r), r, T0 + 100)
    })
    // The relay itself answered (p = 1) and counts as one of the responders.
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'ok'])
    expect(results.slice(3)).toEqual(Array(3).fill({ action: 'ignore', reason: 'poll-full' }))
    // Non-origins never report a census result.
    relay.tick(T0 + 20_000)
    expect(censusEvents(relay.drainEvents())).toHaveLength(0)
    // After the poll's lifetime its replies are unknown.
    const late = makePeerId(rnd)
    expect(relay.validate(reply(id, late), late, T0 + 20_000)).toEqual({ action: 'ignore', reason: 'unknown-poll' })
  })

  it('flood guard: a peer with a large roster answers at most censusReplyCap / roster of a p = 1 poll', () => {
    const b = peer({ censusReplyCap: 10, pollGlobalBurst: 10_000 })
    fillRoster(b, 99, T0)
    let answered = 0
    for (let i = 0; i < 400; i++) {
      const o = makePeerId(rnd)
      b.receive(poll(o, 1, T0), o, T0)
    }
    b.tick(T0 + 1_000)
    answered = b.drainOutgoing().filter((x) => { const d = decodeEphemeral(x); return d.ok && d.value.type === 'reply' }).length
    // p_eff = 10 / 100 = 0.1 → ~40 of 400.
    expect(answered).toBeGreaterThan(25)
    expect(answered).toBeLessThan(60)
  })

  it('non-origins count the replies passively and size their next census by that estimate', () => {
    const origin = peer()
    const observer = peer()
    fillRoster(origin, 999, T0)
    const { pollId, p, bytes } = startOk(origin, T0)
    observer.receive(bytes, origin.selfId, T0)
    const repliers = Array.from({ length: 120 }, () => makePeerId(rnd))
    for (const r of repliers) observer.receive(reply(pollId, r), r, T0 + 500)
    observer.tick(T0 + 16_000)
    const seen = observer.status(T0 + 16_000).lastEstimate
    // The observer may also have answered (p ≈ 0.1); its own reply counts too.
    const own = observer.status(T0 + 16_000).repliesSent
    expect(seen).toEqual({ estimate: 1 + (120 + own) / p, at: T0 + 16_000, source: 'overheard' })
    const next = startOk(observer, T0 + 20_000)
    expect(next.p).toBeCloseTo(100 / (1 + (120 + own) / p - 1), 12)
  })

  it('with an assumed loss asks for proportionally more replies', () => {
    const a = peer({ censusAssumedLoss: 0.2 })
    fillRoster(a, 1_000, T0)
    expect(startOk(a, T0).p).toBeCloseTo(125 / 1_000, 12)
  })
})
