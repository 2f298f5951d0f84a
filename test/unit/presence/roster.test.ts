import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import fc from 'fast-check'
import { createRandom } from '../../../src/shared/index.js'
import {
  DEFAULT_PRESENCE_OPTIONS,
  encodeEphemeral,
  Presence,
  rosterChange,
  type PresenceEvent
} from '../../../src/presence/index.js'
import { makePeerId, peerBytes, PresenceNet, randomHex, record, type NetNode } from '../../../src/sim/presence-net.js'

const PERIOD = DEFAULT_PRESENCE_OPTIONS.basePeriodMs
const EXPIRY = DEFAULT_PRESENCE_OPTIONS.expiryMultiple * PERIOD
/** A lone suspecter's wait in a small room (Lifeguard's longest: 6 × 4 probe periods) plus the spread before it speaks. */
const LONE_SUSPICION = DEFAULT_PRESENCE_OPTIONS.suspicionMaxMult * DEFAULT_PRESENCE_OPTIONS.suspicionMult * DEFAULT_PRESENCE_OPTIONS.probeIntervalMs +
  DEFAULT_PRESENCE_OPTIONS.silentSuspectSpreadMs

function ids (node: NetNode, now: number): string[] {
  return node.presence.roster(now).map((e) => e.peerId).sort()
}

function ofType<T extends PresenceEvent['type']> (events: PresenceEvent[], type: T): Array<Extract<PresenceEvent, { type: T }>> {
  return events.filter((e): e is Extract<PresenceEvent, { type: T }> => e.type === type)
}

const rnd = createRandom(99)
const ALICE = makePeerId(rnd)
const MALLORY = makePeerId(rnd)

function solo (options = {}): Presence {
  const p = new Presence(makePeerId(rnd), { random: createRandom(1), ...options })
  p.join(0)
  p.drainOutgoing()
  return p
}

describe('presence roster: convergence and changes', () => {
  it('is deterministic: the same seed gives the same traffic and rosters', () => {
    const run = (seed: number): string => {
      const net = new PresenceNet({ seed, loss: 0.1 })
      net.addJoined(6)
      net.runFor(3 * 60_000)
      net.quit(net.nodes[0])
      net.runFor(60_000)
      return JSON.stringify({ copies: net.copies, lost: net.lost, r: net.nodes.map((n) => [n.received, n.presence.roster(net.now)]) })
    }
    expect(run(11)).toBe(run(11))
    expect(run(11)).not.toBe(run(12))
  })

  it('8 peers joining one by one converge to full rosters within one period', () => {
    const net = new PresenceNet({ seed: 1 })
    for (let i = 0; i < 8; i++) {
      net.addJoined(1)
      net.runFor(5_000)
    }
    const all = net.nodes.map((n) => n.id).sort()
    const took = net.runUntil(() => net.nodes.every((n) => ids(n, net.now).join() === all.join()), PERIOD)
    expect(took).toBeLessThanOrEqual(PERIOD)
    for (const node of net.nodes) {
      const roster = node.presence.roster(net.now)
      expect(roster[0]).toMatchObject({ peerId: node.id, self: true, nick: 'anon', client: 'p2pchat' })
      expect(roster.filter((e) => e.self)).toHaveLength(1)
      expect(ofType(node.events, 'roster:joined')).toHaveLength(7)
      expect(ofType(node.events, 'roster:left')).toHaveLength(0)
    }
  })

  it('converges under 10 % loss within two periods and keeps everyone while alive', () => {
    const net = new PresenceNet({ seed: 2, loss: 0.1 })
    net.addJoined(8)
    const all = net.nodes.map((n) => n.id).sort().join()
    const took = net.runUntil(() => net.nodes.every((n) => ids(n, net.now).join() === all), 2 * PERIOD)
    expect(took).toBeLessThanOrEqual(2 * PERIOD)
    net.runFor(10 * 60_000)
    // A live peer leaves a roster only after 3 consecutive losses: 0.1 % per announcement and
    // pair at 10 % loss, ~1.3 expected over 56 pairs × 23 announcements; it is back with the next one.
    const falseExpiries = net.nodes.reduce((n, node) => n + ofType(node.events, 'roster:left').length, 0)
    expect(falseExpiries).toBeLessThanOrEqual(5)
    expect(net.runUntil(() => net.nodes.every((n) => ids(n, net.now).join() === all), PERIOD)).toBeLessThanOrEqual(PERIOD)
  })

  it('a nick change propagates at once; an old version delivered late never wins', () => {
    const net = new PresenceNet({ seed: 3 })
    const [a, b, c] = net.addJoined(3)
    net.runFor(40_000)
    const versionBefore = a.presence.status(net.now).version
    // A re-announcement of the current version, held back somewhere in the mesh.
    const late = record(a.id, { version: versionBefore, issuedAt: net.now, nick: 'anon' })
    a.presence.setNick('alice', net.now)
    expect(a.presence.status(net.now).version).toBeGreaterThan(versionBefore)
    net.flush(a)
    for (const node of [b, c]) {
      expect(node.presence.entry(a.id, net.now)?.nick).toBe('alice')
      expect(ofType(node.presence.drainEvents(), 'roster:changed')).toEqual([
        expect.objectContaining({ entry: expect.objectContaining({ peerId: a.id, nick: 'alice' }), previous: expect.objectContaining({ nick: 'anon' }) })
      ])
    }
    net.runFor(1_000)
    expect(b.presence.validate(late, a.id, net.now)).toEqual({ action: 'ignore', reason: 'stale' })
    expect(b.presence.receive(late, a.id, net.now)).toEqual({ status: 'dropped', reason: 'stale' })
    expect(b.presence.entry(a.id, net.now)?.nick).toBe('alice')
    expect(b.presence.status(net.now).dropped.stale).toBe(2)
    // Later re-announcements keep the new nick everywhere.
    net.runFor(2 * PERIOD)
    expect([b, c].map((n) => n.presence.entry(a.id, net.now)?.nick)).toEqual(['alice', 'alice'])
  })

  it('the newest version wins whatever the delivery order (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ version: fc.integer({ min: 1, max: 50 }), nick: fc.string({ maxLength: 8 }) }), { minLength: 1, maxLength: 12 }),
      fc.integer(),
      (updates, seed) => {
        const p = solo({ presenceBurst: 100 })
        const order = [...updates.entries()]
        const shuffle = createRandom(seed)
        order.sort(() => shuffle() - 0.5)
        // One nick per version (the origin never reuses a version for another payload).
        const nickOf = new Map<number, string>()
        for (const u of updates) if (!nickOf.has(u.version)) nickOf.set(u.version, u.nick)
        for (const [, u] of order) p.receive(record(ALICE, { version: u.version, nick: nickOf.get(u.version) ?? '', issuedAt: 0 }), ALICE, 0)
        const newest = Math.max(...updates.map((u) => u.version))
        expect(p.entry(ALICE, 0)?.nick).toBe(nickOf.get(newest))
      }
    ), { numRuns: 200 })
  })

  it('own edits are coalesced: one record at once, the rest after minAnnounceIntervalMs', () => {
    const p = solo()
    p.tick(10_000)
    p.drainOutgoing()
    p.setNick('a1', 10_000)
    p.setStatus('busy', 10_500)
    p.setAway(true, 11_000)
    expect(p.drainOutgoing()).toHaveLength(1)
    p.tick(11_999)
    expect(p.drainOutgoing()).toHaveLength(0)
    p.tick(12_000)
    const [bytes] = p.drainOutgoing()
    const other = solo()
    other.receive(bytes, p.selfId, 12_000)
    expect(other.entry(p.selfId, 12_000)).toMatchObject({ nick: 'a1', status: 'busy', away: true })
    expect(() => p.setNick('n'.repeat(33), 13_000)).toThrow(P2pchatError)
    expect(() => p.setStatus('s'.repeat(101), 13_000)).toThrow(P2pchatError)
  })

  it('versions never go back, also across a restart', () => {
    const id = makePeerId(rnd)
    const first = new Presence(id, { random: createRandom(1) })
    first.join(1_000_000)
    first.setNick('x', 1_000_001)
    const v = first.status(1_000_001).version
    // A restart must not reuse the random stream (the default PRNG mixes in the first \`now\`).
    const restarted = new Presence(id, { random: createRandom(2) })
    restarted.join(1_060_000)
    expect(restarted.status(1_060_000).version).toBeGreaterThan(v)
    const observer = solo()
    observer.receive(first.drainOutgoing().at(-1) as Uint8Array, id, 1_000_001)
    const [fresh] = restarted.drainOutgoing()
    expect(observer.receive(fresh, id, 1_060_000)).toEqual({ status: 'accepted', type: 'presence' })
    expect(observer.entry(id, 1_060_000)?.joinedAt).toBe(1_060_000)
  })

  it('reports the roster with self first, most recently heard next, and direct flags', () => {
    const p = solo()
    const b = makePeerId(rnd)
    const c = makePeerId(rnd)
    p.receive(record(b, { issuedAt: 1_000, nick: 'bee' }), b, 1_000)
    p.receive(record(c, { issuedAt: 2_000, nick: 'cee' }), c, 2_000)
    p.markDirect(b, true)
    const roster = p.roster(3_000)
    expect(roster.map((e) => e.nick)).toEqual(['anon', 'cee', 'bee'])
    expect(roster.map((e) => e.direct)).toEqual([false, false, true])
    expect(roster[1]).toEqual({ peerId: c, nick: 'cee', status: '', away: false, client: 'test', joinedAt: 0, lastSeen: 2_000, direct: false, self: false })
    expect(rosterChange(p.drainEvents()).joined.map((e) => e.nick)).toEqual(['bee', 'cee'])
  })
})

describe('presence roster: leaving', () => {
  it('killed peers (no leave) are suspected after 3 announced periods of silence and leave every roster when nobody refutes', () => {
    const net = new PresenceNet({ seed: 4 })
    net.addJoined(8)
    net.runFor(5 * 60_000)
    const victims = net.nodes.slice(0, 3)
    const survivors = net.nodes.slice(3)
    const lastHeard = new Map<string, number>()
    for (const v of victims) {
      for (const s of survivors) lastHeard.set(`${s.id}/${v.id}`, s.presence.entry(v.id, net.now)?.lastSeen ?? Number.NaN)
      net.kill(v)
    }
    const goneAt = new Map<string, number>()
    net.runUntil(() => {
      for (const s of survivors) {
        for (const v of victims) {
          const key = `${s.id}/${v.id}`
          if (!goneAt.has(key) && s.presence.entry(v.id, net.now) === undefined) goneAt.set(key, net.now)
        }
      }
      return goneAt.size === survivors.length * victims.length
    }, 2 * EXPIRY)
    expect(goneAt.size).toBe(15)
    for (const [key, at] of goneAt) {
      const silentFor = at - (lastHeard.get(key) ?? Number.NaN)
      expect(silentFor).toBeGreaterThan(EXPIRY)
      expect(silentFor).toBeLessThanOrEqual(EXPIRY + LONE_SUSPICION + net.opts.stepMs)
    }
    for (const s of survivors) {
      const left = ofType(s.events, 'roster:left')
      expect(left.map((e) => e.entry.peerId).sort()).toEqual(victims.map((v) => v.id).sort())
      expect(left.every((e) => e.reason === 'lost')).toBe(true)
      expect(ids(s, net.now)).toEqual(survivors.map((x) => x.id).sort())
      expect(victims.map(v => s.presence.departure(v.id))).toEqual(victims.map(() => 'timeout'))
    }
  })

  it('a clean leave removes the peer from every roster at once; older records cannot bring it back', () => {
    const net = new PresenceNet({ seed: 5 })
    const [a, ...others] = net.addJoined(5)
    net.runFor(45_000)
    // A re-announcement of a's current version, held back in the mesh.
    const late = record(a.id, { version: a.presence.status(net.now).version, issuedAt: net.now, nick: 'anon', periodMs: PERIOD, ttlSeconds: 90 })
    net.quit(a)
    for (const node of others) {
      expect(node.presence.entry(a.id, net.now)).toBeUndefined()
      expect(ofType(node.presence.drainEvents(), 'roster:left')).toEqual([expect.objectContaining({ reason: 'leave', entry: expect.objectContaining({ peerId: a.id }) })])
      expect(node.presence.departure(a.id)).toBe('leave')
    }
    net.runFor(10_000)
    expect(others[0].presence.receive(late, a.id, net.now)).toEqual({ status: 'dropped', reason: 'stale' })
    expect(others[0].presence.entry(a.id, net.now)).toBeUndefined()
    // The same peer coming back later (restart) is accepted: its version is newer than the leave.
    const back = new Presence(a.id, { random: createRandom(77) })
    back.join(net.now + 60_000)
    const [hello] = back.drainOutgoing()
    expect(others[0].presence.receive(hello, a.id, net.now + 60_000)).toEqual({ status: 'accepted', type: 'presence' })
  })

  it('ignores a leave that is not newer than the known version', () => {
    const p = solo()
    p.receive(record(ALICE, { version: 10, issuedAt: 0 }), ALICE, 0)
    const leave = (version: number): Uint8Array => encodeEphemeral({ type: 'leave', envelopeId: randomHex(), origin: peerBytes(ALICE), version, issuedAt: 0 })
    expect(p.receive(leave(9), ALICE, 1_000)).toEqual({ status: 'dropped', reason: 'stale' })
    expect(p.receive(leave(10), ALICE, 1_000)).toEqual({ status: 'dropped', reason: 'stale' })
    expect(p.entry(ALICE, 1_000)).toBeDefined()
    expect(p.receive(leave(11), ALICE, 1_000)).toEqual({ status: 'accepted', type: 'leave' })
    expect(p.entry(ALICE, 1_000)).toBeUndefined()
    // A record of the leave's version, or older, stays out.
    expect(p.receive(record(ALICE, { version: 11, issuedAt: 0 }), ALICE, 2_000)).toEqual({ status: 'dropped', reason: 'stale' })
    expect(p.receive(record(ALICE, { version: 12, issuedAt: 0 }), ALICE, 2_000)).toEqual({ status: 'accepted', type: 'presence' })
  })

  it('an unsubscribe (its leave record lost) is a clean leave: one roster:left, stale copies stay out, a rejoin comes back', () => {
    const p = solo()
    p.receive(record(ALICE, { version: 10, issuedAt: 0 }), ALICE, 0)
    p.drainEvents()
    p.departed(ALICE, 1_000)
    expect(ofType(p.drainEvents(), 'roster:left')).toEqual([expect.objectContaining({ reason: 'leave', entry: expect.objectContaining({ peerId: ALICE }) })])
    expect(p.entry(ALICE, 1_000)).toBeUndefined()
    // Said twice (or for a peer not in the roster): no second line.
    p.departed(ALICE, 1_001)
    p.departed(MALLORY, 1_001)
    expect(p.drainEvents()).toEqual([])
    // A copy of the last record, relayed late, stays out; the leave record arriving after it changes nothing.
    expect(p.receive(record(ALICE, { version: 10, issuedAt: 0 }), ALICE, 2_000)).toEqual({ status: 'dropped', reason: 'stale' })
    const leave = encodeEphemeral({ type: 'leave', envelopeId: randomHex(), origin: peerBytes(ALICE), version: 11, issuedAt: 1_000 })
    expect(p.receive(leave, ALICE, 2_000)).toEqual({ status: 'accepted', type: 'leave' })
    expect(ofType(p.drainEvents(), 'roster:left')).toEqual([])
    // Rejoining (a newer version) is a join again.
    expect(p.receive(record(ALICE, { version: 12, issuedAt: 2_000 }), ALICE, 3_000)).toEqual({ status: 'accepted', type: 'presence' })
    expect(ofType(p.drainEvents(), 'roster:joined')).toHaveLength(1)
  })

  it('after a timeout the same version may come back (a healed partition)', () => {
    const p = solo()
    p.receive(record(ALICE, { version: 5, issuedAt: 0 }), ALICE, 0)
    p.tick(EXPIRY + 1)
    expect(ofType(p.drainEvents(), 'roster:left')).toHaveLength(0) // silent: suspected, not gone
    p.tick(EXPIRY + 1 + LONE_SUSPICION)
    expect(ofType(p.drainEvents(), 'roster:left')).toHaveLength(1)
    const back = EXPIRY + 2 + LONE_SUSPICION
    expect(p.receive(record(ALICE, { version: 4, issuedAt: back }), ALICE, back)).toEqual({ status: 'dropped', reason: 'stale' })
    expect(p.receive(record(ALICE, { version: 5, issuedAt: back }), ALICE, back)).toEqual({ status: 'accepted', type: 'presence' })
    expect(ofType(p.drainEvents(), 'roster:joined')).toHaveLength(1)
  })

  it('suspects a peer by the period it announced, and drops it when the suspicion runs out', () => {
    const p = solo()
    p.join(0)
    p.receive(record(ALICE, { issuedAt: 0, periodMs: 120_000, ttlSeconds: 360 }), ALICE, 0)
    p.tick(359_000)
    expect(p.isSuspected(ALICE)).toBe(false)
    p.tick(360_001)
    expect(p.isSuspected(ALICE)).toBe(true)
    expect(p.entry(ALICE, 360_001)).toBeDefined()
    p.tick(360_001 + LONE_SUSPICION)
    expect(p.entry(ALICE, 360_001 + LONE_SUSPICION)).toBeUndefined()
  })
})

describe('presence roster: what is dropped', () => {
  it('drops a forged origin (reject), a replay (duplicate), an older version (stale), an expired TTL and a future issued_at', () => {
    const p = solo()
    const now = 1_000_000
    // Mallory signs a record claiming to be Alice.
    const forged = record(ALICE, { issuedAt: now })
    expect(p.validate(forged, MALLORY, now)).toEqual({ action: 'reject', reason: 'forged-origin' })
    expect(p.receive(forged, MALLORY, now)).toEqual({ status: 'dropped', reason: 'forged-origin' })
    expect(p.entry(ALICE, now)).toBeUndefined()
    // A sender that is not a peer id at all.
    expect(p.receive(forged, 'not-a-peer-id', now)).toEqual({ status: 'dropped', reason: 'forged-origin' })

    const genuine = record(ALICE, { version: 7, issuedAt: now })
    expect(p.validate(genuine, ALICE, now)).toEqual({ action: 'accept', type: 'presence' })
    expect(p.entry(ALICE, now)).toBeUndefined() // validate changes nothing
    expect(p.receive(genuine, ALICE, now)).toEqual({ status: 'accepted', type: 'presence' })
    expect(p.receive(genuine, ALICE, now)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(p.receive(record(ALICE, { version: 6, issuedAt: now }), ALICE, now)).toEqual({ status: 'dropped', reason: 'stale' })

    // TTL 90 s + 60 s skew tolerance.
    const old = (issuedAt: number): Uint8Array => record(ALICE, { version: 8, issuedAt, ttlSeconds: 90 })
    expect(p.validate(old(now - 150_001), ALICE, now)).toEqual({ action: 'ignore', reason: 'expired' })
    expect(p.validate(old(now - 150_000), ALICE, now)).toEqual({ action: 'accept', type: 'presence' })
    expect(p.validate(record(ALICE, { version: 8, issuedAt: now + 60_001 }), ALICE, now)).toEqual({ action: 'ignore', reason: 'clock-skew' })
    expect(p.validate(record(ALICE, { version: 8, issuedAt: now + 60_000 }), ALICE, now)).toEqual({ action: 'accept', type: 'presence' })

    // Our own echo.
    expect(p.receive(record(p.selfId, { issuedAt: now }), p.selfId, now)).toEqual({ status: 'dropped', reason: 'own' })
    // Garbage.
    expect(p.validate(new Uint8Array([1, 2, 3]), ALICE, now)).toEqual({ action: 'reject', reason: 'malformed' })

    const { dropped } = p.status(now)
    expect(dropped).toMatchObject({ 'forged-origin': 3, duplicate: 1, stale: 1, expired: 1, 'clock-skew': 1, own: 1, malformed: 1 })
    const reported = ofType(p.drainEvents(), 'dropped').map((e) => e.reason)
    expect(reported).toEqual(['forged-origin', 'forged-origin', 'forged-origin', 'stale', 'expired', 'clock-skew', 'malformed'])
  })

  it('rate-limits records per origin (burst 5, then 1/s)', () => {
    const p = solo()
    const results = Array.from({ length: 8 }, (_, i) => p.receive(record(ALICE, { version: i + 1, issuedAt: 0 }), ALICE, 0))
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(5)
    expect(results.slice(5)).toEqual(Array(3).fill({ status: 'dropped', reason: 'rate-limited' }))
    expect(p.validate(record(ALICE, { version: 20, issuedAt: 0 }), ALICE, 500)).toEqual({ action: 'ignore', reason: 'rate-limited' })
    expect(p.receive(record(ALICE, { version: 20, issuedAt: 0 }), ALICE, 1_000)).toEqual({ status: 'accepted', type: 'presence' })
    // Another origin has its own bucket.
    expect(p.receive(record(MALLORY, { issuedAt: 0 }), MALLORY, 1_000)).toEqual({ status: 'accepted', type: 'presence' })
  })

  it('bounds the roster', () => {
    const p = solo({ maxRosterSize: 3 })
    const peers = Array.from({ length: 5 }, () => makePeerId(rnd))
    const results = peers.map((id) => p.receive(record(id, { issuedAt: 0 }), id, 0).status)
    expect(results).toEqual(['accepted', 'accepted', 'accepted', 'dropped', 'dropped'])
    expect(p.status(0).dropped['roster-full']).toBe(2)
    expect(p.rosterCount(0)).toBe(4) // 3 others + self
  })

  it('refuses nonsense options and a self id that is not a peer id', () => {
    expect(() => new Presence('nope')).toThrow(P2pchatError)
    expect(() => new Presence(ALICE, { basePeriodMs: 0 })).toThrow(P2pchatError)
    expect(() => new Presence(ALICE, { jitter: 1 })).toThrow(P2pchatError)
    expect(() => new Presence(ALICE, { censusMinP: 0 })).toThrow(P2pchatError)
    expect(() => new Presence(ALICE, { maxPeriodMs: 2 ** 33 })).toThrow(P2pchatError)
  })
})

describe('presence: the large-room rule', () => {
  it('scales the period with the roster above the threshold', () => {
    const p = solo()
    expect(p.periodFor(1)).toBe(30_000)
    expect(p.periodFor(50)).toBe(30_000)
    expect(p.periodFor(100)).toBe(60_000)
    expect(p.periodFor(1_000)).toBe(600_000)
    expect(solo({ maxPeriodMs: 120_000 }).periodFor(1_000)).toBe(120_000)
  })

  it('announces the scaled period and TTL, and shortens the wait when the room shrinks', () => {
    const p = solo()
    for (let i = 0; i < 999; i++) {
      const id = makePeerId(rnd)
      p.receive(record(id, { issuedAt: 0, periodMs: 60_000, ttlSeconds: 180 }), id, 0)
    }
    p.tick(30_000)
    const [bytes] = p.drainOutgoing()
    const observer = solo()
    observer.receive(bytes, p.selfId, 30_000)
    expect(p.status(30_000).periodMs).toBe(600_000)
    expect(observer.entry(p.selfId, 30_000)).toBeDefined()
    // Everyone else goes quiet at 180 s: suspected, and dropped when the suspicions run out
    // (a lone suspecter's 6 × 4 × log10(1000) s = 72 s); our next announcement comes within the base period after.
    p.tick(179_000)
    expect(p.drainOutgoing()).toHaveLength(0)
    p.tick(180_001)
    expect(p.rosterCount(180_001)).toBe(1000)
    const gone = 180_001 + 73_000
    p.tick(gone)
    expect(p.rosterCount(gone)).toBe(1)
    expect(p.status(gone).periodMs).toBe(30_000)
    expect(p.nextDeadline()).toBeLessThanOrEqual(gone + 30_000)
  })
})

describe('welcoming a newcomer', () => {
  it("fills a newcomer's roster within seconds, not a period", () => {
    const net = new PresenceNet({ seed: 77, startAt: 1_750_000_000_000 })
    net.addJoined(6)
    net.runFor(120_000) // settled: everyone knows everyone, next announcements are up to 30 s away
    const [newcomer] = net.addJoined(1)
    const took = net.runUntil(() => newcomer.presence.rosterCount(net.now) === 7, 10_000)
    expect(newcomer.presence.rosterCount(net.now)).toBe(7)
    expect(took).toBeLessThanOrEqual(DEFAULT_PRESENCE_OPTIONS.welcomeSpreadMs + DEFAULT_PRESENCE_OPTIONS.minAnnounceIntervalMs)
  })

  it('in a large room only about largeRoomThreshold peers answer a join', () => {
    const net = new PresenceNet({ seed: 78, startAt: 1_750_000_000_000, keepEvents: false })
    net.addJoined(200)
    net.runFor(30_000 * 200 / 50 * 2)
    net.resetTraffic()
    const [newcomer] = net.addJoined(1)
    net.runFor(3_000)
    const received = newcomer.received.messages
    expect(received).toBeGreaterThan(20)
    expect(received).toBeLessThan(DEFAULT_PRESENCE_OPTIONS.largeRoomThreshold * 2)
  })
})
