/**
 * A peer found gone by one member (its connection dropped, a redial failed) leaves the rosters
 * of the others through a PresenceLost claim, unless they know better; the subject, if alive,
 * refutes it with a newer version. Real peer ids (the default codec), injected time.
 */
import { describe, expect, it } from 'vitest'
import { createRandom } from '../../../src/shared/index.js'
import { decodeEphemeral, encodeEphemeral, Presence, type PresenceEvent } from '../../../src/presence/index.js'
import { makePeerId, peerBytes, randomHex } from '../../../src/sim/presence-net.js'

const rnd = createRandom(7)
const [ALICE, BOB, CAROL] = [makePeerId(rnd), makePeerId(rnd), makePeerId(rnd)]

function joined (id: string, options = {}): Presence {
  const p = new Presence(id, { random: createRandom(1), nick: id.slice(-4), ...options })
  p.join(0)
  return p
}

/** Hands everything `from` queued to each of `to` at `now`. */
function relay (from: Presence, to: Presence[], now: number): void {
  for (const bytes of from.drainOutgoing()) for (const p of to) p.receive(bytes, from.selfId, now)
}

const lefts = (events: PresenceEvent[]): Array<[string, string]> =>
  events.flatMap(e => e.type === 'roster:left' ? [[e.entry.peerId, e.reason] as [string, string]] : [])

describe('lost-peer claims', () => {
  it('the finder drops the peer and tells the room; a peer with no link to it drops it too', () => {
    const alice = joined(ALICE)
    const bob = joined(BOB)
    const carol = joined(CAROL)
    relay(bob, [alice, carol], 10)
    for (const p of [alice, carol]) { p.drainEvents(); p.drainOutgoing() }
    alice.lost(BOB, 5_000, 6_000)
    expect(lefts(alice.drainEvents())).toEqual([[BOB, 'lost']])
    const [claim] = alice.drainOutgoing()
    const decoded = decodeEphemeral(claim)
    if (!decoded.ok || decoded.value.type !== 'lost') throw new Error('not a lost claim')
    expect([...decoded.value.subject]).toEqual([...peerBytes(BOB)])
    expect(decoded.value.version).toBe(bob.status(60_000).version)
    carol.receive(claim, ALICE, 6_010)
    expect(lefts(carol.drainEvents())).toEqual([[BOB, 'lost']])
    // Its next record brings it back.
    bob.setNick('bobby', 9_000)
    relay(bob, [carol], 9_010)
    expect(carol.roster(9_010).map(e => e.peerId)).toContain(BOB)
  })

  it('is ignored by a peer connected to the subject, or that heard from it within lostGraceMs, or knows a newer version', () => {
    const alice = joined(ALICE)
    const bob = joined(BOB)
    const claim = (version: number, at: number): Uint8Array =>
      encodeEphemeral({ type: 'lost', envelopeId: randomHex(), origin: peerBytes(ALICE), subject: peerBytes(BOB), version, issuedAt: at })

    const connected = joined(CAROL, { connectedTo: (peer: string) => peer === BOB })
    relay(bob, [connected], 10)
    connected.receive(claim(bob.status(60_000).version, 60_000), ALICE, 60_000)
    expect(lefts(connected.drainEvents())).toEqual([])

    const recent = joined(makePeerId(rnd), { lostGraceMs: 2_000 })
    relay(bob, [recent], 59_000) // heard 1 s ago
    recent.receive(claim(bob.status(60_000).version, 60_000), ALICE, 60_000)
    expect(lefts(recent.drainEvents())).toEqual([])

    const newer = joined(makePeerId(rnd))
    relay(bob, [newer], 10)
    newer.receive(claim(bob.status(60_000).version - 1, 60_000), ALICE, 60_000)
    expect(lefts(newer.drainEvents())).toEqual([])
    void alice
  })

  it('about ourselves: we refute at once with a newer version, which brings us back', () => {
    const alice = joined(ALICE)
    const bob = joined(BOB)
    const carol = joined(CAROL)
    relay(bob, [alice, carol], 10)
    const before = bob.status(60_000).version
    alice.drainOutgoing()
    alice.lost(BOB, 5_000, 6_000)
    const [claim] = alice.drainOutgoing()
    carol.receive(claim, ALICE, 6_010)
    bob.receive(claim, ALICE, 6_010)
    expect(bob.status(60_000).version).toBeGreaterThan(before)
    relay(bob, [carol], 6_020)
    expect(carol.roster(6_020).map(e => e.peerId)).toContain(BOB)
  })

  it('refuses a claim about its own sender (malformed) and a forged origin', () => {
    const carol = joined(CAROL)
    const self = encodeEphemeral({ type: 'lost', envelopeId: randomHex(), origin: peerBytes(ALICE), subject: peerBytes(ALICE), version: 1, issuedAt: 0 })
    expect(carol.validate(self, ALICE, 10)).toEqual({ action: 'reject', reason: 'malformed' })
    const forged = encodeEphemeral({ type: 'lost', envelopeId: randomHex(), origin: peerBytes(BOB), subject: peerBytes(ALICE), version: 1, issuedAt: 0 })
    expect(carol.validate(forged, ALICE, 10).action).toBe('reject')
  })
})
