import { describe, expect, it } from 'vitest'
import { bloomContains, ReliableChannel, type ReliableMessage } from '../../../src/reliability/index.js'
import { bytes, channel } from './helpers.js'

function syncsUntil (ch: ReliableChannel, from: number, to: number, step = 100): Array<[number, ReliableMessage]> {
  const out: Array<[number, ReliableMessage]> = []
  for (let t = from; t <= to; t += step) {
    ch.tick(t)
    for (const m of ch.drainOutgoing()) if (m.kind === 'sync') out.push([t, m])
  }
  return out
}

describe('sync messages', () => {
  it('are sent when the room is quiet, carrying history and bloom filter, with no content', () => {
    const alice = channel('alice')
    const bob = channel('bob', { ackSyncMs: 0 }) // the quiet-room timer alone (acknowledgements below)
    const m = alice.send(bytes('hi'), 0)
    bob.tick(0)
    bob.receive(m, 10)
    const syncs = syncsUntil(bob, 0, 40_000)
    expect(syncs.map(([t]) => t)).toEqual([30_100])
    const [, sync] = syncs[0]
    expect(sync).toMatchObject({ kind: 'sync', senderId: 'bob', causalHistory: [{ messageId: m.messageId }], content: new Uint8Array(0) })
    expect(bloomContains(sync.bloomFilter, m.messageId)).toBe(true)
    expect(bob.status().syncsSent).toBe(1)
    // and they acknowledge
    alice.receive(sync, 30_200)
    expect(alice.status().unacknowledged).toBe(0)
  })

  it('are never sent with an empty history', () => {
    const lonely = channel('lonely')
    expect(syncsUntil(lonely, 0, 600_000, 1_000)).toEqual([])
    lonely.sendEphemeral(bytes('here'), 1)
    expect(syncsUntil(lonely, 0, 600_000, 1_000)).toEqual([])
  })

  it('are suppressed when a peer already announced the same history', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const carol = channel('carol')
    const m = alice.send(bytes('hi'), 0)
    carol.receive(m, 5)
    bob.receive(m, 10)
    const carolSync = syncsUntil(carol, 0, 30_005, 5)
    expect(carolSync).toHaveLength(1)
    bob.receive(carolSync[0][1], 30_006) // bob hears a history that covers his
    expect(syncsUntil(bob, 0, 60_000)).toEqual([])
  })

  it('repeat an unchanged history only as a decaying heartbeat (30 s, then ×2 up to 5 min)', () => {
    const alice = channel('alice')
    alice.send(bytes('hi'), 0)
    const times = syncsUntil(alice, 0, 1_100_000, 1_000).map(([t]) => t)
    expect(times).toEqual([30_000, 90_000, 210_000, 450_000, 750_000, 1_050_000])
  })

  it('never put sync ids in histories or the bloom filter', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    bob.receive(alice.send(bytes('hi'), 0), 1)
    const [[, sync]] = syncsUntil(alice, 0, 31_000)
    const bloomBefore = bob.send(bytes('a'), 31_000).bloomFilter
    bob.receive(sync, 31_001)
    const after = bob.send(bytes('b'), 31_002)
    expect(after.causalHistory.map((h) => h.messageId)).not.toContain(sync.messageId)
    expect(after.bloomFilter).toEqual(bloomBefore)
    expect(bob.history().map((m) => m.messageId)).not.toContain(sync.messageId)
    expect(bob.receive(sync, 31_003)).toEqual({ status: 'dropped', reason: 'duplicate' })
  })

  it('make a peer pull the ids it lacks', () => {
    const alice = channel('alice')
    const m = alice.send(bytes('missed by bob'), 0)
    const [[, sync]] = syncsUntil(alice, 0, 31_000)
    const bob = channel('bob')
    bob.tick(0)
    expect(bob.receive(sync, 31_000)).toEqual({ status: 'accepted' })
    bob.tick(31_300)
    expect(bob.drainPulls()).toMatchObject([{ messageIds: [m.messageId], peer: 'alice', candidates: [] }])
  })
})

describe('syncSoon (a peer joined)', () => {
  it('announces the unchanged history within the requested time, where the quiet timer would wait much longer', () => {
    const a = new ReliableChannel('a', 'room')
    a.tick(1_000)
    a.send(new TextEncoder().encode('hello'), 1_000)
    a.drainOutgoing()
    a.tick(40_000) // the quiet-room sync goes out once…
    expect(a.drainOutgoing().some(m => m.kind === 'sync')).toBe(true)
    a.tick(45_000) // …and then backs off (unchanged history)
    expect(a.drainOutgoing().some(m => m.kind === 'sync')).toBe(false)
    a.syncSoon(45_000, 1_000)
    a.tick(46_000)
    const syncs = a.drainOutgoing().filter(m => m.kind === 'sync')
    expect(syncs).toHaveLength(1)
    expect(syncs[0].causalHistory.length).toBeGreaterThan(0)
  })

  it('sends nothing while the history is empty', () => {
    const a = new ReliableChannel('a', 'room')
    a.tick(1_000)
    a.syncSoon(1_000, 1_000)
    a.tick(2_500)
    expect(a.drainOutgoing()).toHaveLength(0)
  })
})
