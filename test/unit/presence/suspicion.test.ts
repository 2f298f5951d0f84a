/**
 * Suspicions in the presence core (SWIM's suspect state with Lifeguard's timer): the timeout
 * formula, confirmations, refutation by the subject, repeats, lapses, silence, and the checks a
 * PresenceSuspect passes. Injected time.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_PRESENCE_OPTIONS, decodeEphemeral, encodeEphemeral, Presence, suspicionTimeout, type PresenceEvent } from '../../../src/presence/index.js'
import { makePeerId, peerBytes, randomHex, record } from '../../../src/sim/presence-net.js'
import { createRandom } from '../../../src/shared/index.js'

const rnd = createRandom(5)
const [ALICE, BOB, CAROL] = [makePeerId(rnd), makePeerId(rnd), makePeerId(rnd)]

function me (): Presence {
  const p = new Presence(makePeerId(rnd), { random: createRandom(3) })
  p.join(0)
  p.drainOutgoing()
  return p
}

function suspectBytes (origin: string, subject: string, version: number, issuedAt: number): Uint8Array {
  return encodeEphemeral({ type: 'suspect', envelopeId: randomHex(), origin: peerBytes(origin), subject: peerBytes(subject), version, issuedAt })
}

const left = (events: PresenceEvent[]): string[] => events.flatMap(e => e.type === 'roster:left' ? [e.entry.peerId] : [])
/** The suspicions among encoded messages (records, e.g. a welcome, are left out). */
const types = (bytes: Uint8Array[]): string[] => bytes.map(b => { const d = decodeEphemeral(b); return d.ok ? d.value.type : '?' }).filter(t => t === 'suspect')

describe('suspicion timer (Lifeguard)', () => {
  const timing = DEFAULT_PRESENCE_OPTIONS
  it('is 4 × log10(n) probe periods once K = 2 others confirm, 6 times that for a lone suspecter, never under 4 s', () => {
    expect(suspicionTimeout(timing, 5, 2)).toBe(4_000)
    expect(suspicionTimeout(timing, 100, 2)).toBe(8_000)
    expect(suspicionTimeout(timing, 10_000, 5)).toBe(16_000)
    expect(suspicionTimeout(timing, 100, 0)).toBe(48_000)
    // One confirmation: max − (max − min) × ln 2 / ln 3.
    expect(suspicionTimeout(timing, 100, 1)).toBe(Math.floor(48_000 - 40_000 * Math.log(2) / Math.log(3)))
  })
})

describe('suspicions in the roster', () => {
  it('a heard suspicion keeps the peer until it runs out; confirmations shorten it', () => {
    const p = me()
    p.receive(record(ALICE, { version: 3 }), ALICE, 0)
    p.receive(record(BOB), BOB, 0)
    p.receive(record(CAROL), CAROL, 0)
    p.drainEvents()
    p.receive(suspectBytes(BOB, ALICE, 3, 1_000), BOB, 1_000)
    expect(p.isSuspected(ALICE)).toBe(true)
    p.receive(suspectBytes(CAROL, ALICE, 3, 1_500), CAROL, 1_500)
    // Two suspecters (C = 1) in a room of 4: 24 − 20 × ln 2 / ln 3 ≈ 11.4 s from the start; repeats keep it from lapsing.
    for (let t = 2_000; t < 12_000; t += 2_000) p.receive(suspectBytes(BOB, ALICE, 3, t), BOB, t)
    p.tick(12_000)
    expect(left(p.drainEvents())).toEqual([])
    p.tick(12_500)
    expect(left(p.drainEvents())).toEqual([ALICE])
    expect(p.entry(ALICE, 12_500)).toBeUndefined()
  })

  it('scales the timer with the room size the host knows when that is larger than the roster', () => {
    const run = (roomSize: number): number => {
      const p = me()
      p.setRoomSize(roomSize)
      p.receive(record(ALICE, { version: 3 }), ALICE, 0)
      p.drainEvents()
      p.suspect(ALICE, 1_000)
      for (let t = 1_100; t < 120_000; t += 100) {
        p.tick(t)
        if (left(p.drainEvents()).length > 0) return t - 1_000
      }
      return Number.POSITIVE_INFINITY
    }
    // A lone suspecter: 6 × 4 × max(1, log10 n) s; a roster of 2 alone would give 24 s.
    expect(run(0)).toBeLessThanOrEqual(24_100)
    expect(run(10_000)).toBeGreaterThan(90_000)
  })

  it('a newer record ends it; a suspicion of an older version than we know is ignored', () => {
    const p = me()
    p.receive(record(ALICE, { version: 3 }), ALICE, 0)
    p.receive(suspectBytes(BOB, ALICE, 3, 1_000), BOB, 1_000)
    p.receive(record(ALICE, { version: 4 }), ALICE, 1_200)
    expect(p.isSuspected(ALICE)).toBe(false)
    p.receive(suspectBytes(CAROL, ALICE, 3, 1_300), CAROL, 1_300)
    expect(p.isSuspected(ALICE)).toBe(false)
  })

  it('a suspicion we only heard lapses when nobody repeats it (they saw the refutation we missed)', () => {
    const p = me()
    p.receive(record(ALICE), ALICE, 0)
    p.receive(suspectBytes(BOB, ALICE, 1, 1_000), BOB, 1_000)
    p.tick(7_999)
    expect(p.isSuspected(ALICE)).toBe(true)
    p.tick(8_000)
    expect(p.isSuspected(ALICE)).toBe(false)
    expect(p.entry(ALICE, 8_000)).toBeDefined()
  })

  it('our own suspicion is told at once and repeated every 2 s until the peer refutes', () => {
    const p = me()
    p.receive(record(ALICE), ALICE, 0)
    p.suspect(ALICE, 1_000)
    expect(types(p.drainOutgoing())).toEqual(['suspect'])
    p.tick(2_999)
    expect(types(p.drainOutgoing())).toEqual([])
    p.tick(3_000)
    expect(types(p.drainOutgoing())).toEqual(['suspect'])
    p.receive(record(ALICE, { version: 2 }), ALICE, 3_100)
    p.tick(5_000)
    expect(types(p.drainOutgoing())).toEqual([])
    expect(p.status(5_000).suspected).toBe(0)
  })

  it('the subject refutes with a newer version at once, and again after 1, 3 and 7 s', () => {
    const p = me()
    const before = p.status(0).version
    p.receive(suspectBytes(BOB, p.selfId, before, 10_000), BOB, 10_000)
    const [refutation] = p.drainOutgoing().map(b => decodeEphemeral(b))
    expect(refutation.ok && refutation.value.type === 'presence' && refutation.value.version > before).toBe(true)
    const at: number[] = []
    for (let t = 10_100; t <= 20_000; t += 100) { p.tick(t); if (p.drainOutgoing().length > 0) at.push(t) }
    expect(at).toEqual([11_000, 13_000, 17_000])
    expect(p.status(20_000).refutations).toBe(1)
  })

  it('suspicions of a version already refuted, from a whole room, cost at most one record per 2 s', () => {
    const p = me()
    const before = p.status(0).version
    p.receive(suspectBytes(BOB, p.selfId, before, 10_000), BOB, 10_000)
    p.drainOutgoing()
    const suspecters = Array.from({ length: 20 }, () => makePeerId(rnd))
    let records = 0
    // Every 100 ms another suspecter repeats the old suspicion (it missed the refutation).
    for (let t = 10_100; t <= 40_000; t += 100) {
      const origin = suspecters[(t / 100) % suspecters.length]
      p.receive(suspectBytes(origin, p.selfId, before, t), origin, t)
      p.tick(t)
      records += p.drainOutgoing().length
    }
    expect(p.status(40_000).refutations).toBe(1)
    // The 3 repeats, then one copy per 2 s at most: about 3 + 23 / 2 over these 30 s.
    expect(records).toBeLessThanOrEqual(3 + 12)
    expect(records).toBeGreaterThanOrEqual(3)
  })

  it('silence (3 periods) is suspicion: told after a spread of up to 1 s; said as a confirmation while fewer than K others spoke, spared after', () => {
    const quiet = me()
    quiet.receive(record(ALICE), ALICE, 0)
    quiet.tick(90_001)
    expect(quiet.isSuspected(ALICE)).toBe(true)
    expect(left(quiet.drainEvents())).toEqual([])
    const sent: string[] = []
    for (let t = 90_100; t <= 91_100; t += 100) { quiet.tick(t); sent.push(...types(quiet.drainOutgoing())) }
    expect(sent).toEqual(['suspect'])

    // One other spoke first: our silence is an independent confirmation (Lifeguard), said too,
    // so everyone's timer shortens. Without it the first suspecter would be alone and wait 6×.
    const confirming = me()
    confirming.receive(record(ALICE), ALICE, 0)
    confirming.tick(90_001)
    confirming.receive(suspectBytes(BOB, ALICE, 1, 90_002), BOB, 90_002)
    const said: string[] = []
    for (let t = 90_100; t <= 91_100; t += 100) { confirming.tick(t); said.push(...types(confirming.drainOutgoing())) }
    expect(said).toEqual(['suspect'])

    // Heard first, before our own silence deadline: the same.
    const late = me()
    late.receive(record(ALICE), ALICE, 0)
    late.receive(suspectBytes(BOB, ALICE, 1, 89_000), BOB, 89_000)
    const lateSaid: string[] = []
    for (let t = 90_001; t <= 91_200; t += 100) { late.tick(t); lateSaid.push(...types(late.drainOutgoing())) }
    expect(lateSaid).toEqual(['suspect'])

    // K + 1 others spoke first (the room's timers are at their shortest already): ours is spared.
    const spared = me()
    const DAVE = makePeerId(createRandom(77))
    spared.receive(record(ALICE), ALICE, 0)
    spared.tick(90_001)
    for (const [i, who] of [BOB, CAROL, DAVE].entries()) {
      spared.receive(record(who), who, 90_000 + i)
      spared.receive(suspectBytes(who, ALICE, 1, 90_002 + i), who, 90_002 + i)
    }
    const none: string[] = []
    for (let t = 90_100; t <= 95_000; t += 100) { spared.tick(t); none.push(...types(spared.drainOutgoing())) }
    expect(none).toEqual([])
  })

  it('refuses a suspicion of its own origin, a forged origin and a flood; ignores an unknown body without penalty', () => {
    const p = me()
    p.receive(record(ALICE), ALICE, 0)
    expect(p.validate(suspectBytes(ALICE, ALICE, 1, 0), ALICE, 0)).toEqual({ action: 'reject', reason: 'malformed' })
    expect(p.validate(suspectBytes(BOB, ALICE, 1, 0), CAROL, 0)).toEqual({ action: 'reject', reason: 'forged-origin' })
    let limited = 0
    for (let i = 0; i < 20; i++) if (p.receive(suspectBytes(BOB, ALICE, 1, 0), BOB, 0).status === 'dropped') limited++
    expect(limited).toBe(10) // a burst of 10, then one per 250 ms
    expect(p.validate(Uint8Array.of(0x7a, 0x00), BOB, 0)).toEqual({ action: 'ignore', reason: 'unsupported' })
  })
})
