/**
 * The room driver with the committee's decisions, pure: a certified ban arriving on the topic
 * is applied as its copy is checked, and from then on the banned peer's lines are refused by the
 * validator, dropped on any other path, and left out of repair answers; the banned peer is told
 * once and cannot send. A batch past a gap asks its publisher for what came before. A finality
 * checkpoint marks history final, and a line that arrives below it is marked late.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { initialTrustedCommittee, type CertifiedBatch } from '../../../src/consensus/index.js'
import { RoomDriver } from '../../../src/room/driver.js'
import type { RoomReady } from '../../../src/room/driver-types.js'
import { finalityDigest } from '../../../src/room/finality.js'
import type { ReliableMessage } from '../../../src/reliability/index.js'
import { fixedPeer, LogWriter, type FixedPeer } from './committee-fixture.js'

const ROOM = 'room'
const T0 = 1_767_225_600_000
let trusted: FixedPeer[] = []
let committee: FixedPeer[] = []
let bob: FixedPeer
let mallory: FixedPeer

beforeAll(async () => {
  trusted = await Promise.all([1, 2, 3].map(fixedPeer))
  bob = await fixedPeer(7)
  mallory = await fixedPeer(8)
  committee = initialTrustedCommittee(trusted.map(t => t.id)).map(id => trusted.find(t => t.id === id) as FixedPeer)
})

const driver = (peer: FixedPeer, nick: string): RoomDriver => new RoomDriver(peer.id, ROOM, { nick, trustedPeers: trusted.map(t => t.id), probing: false, announcePresence: false })

/** The decision message `publisher` puts on the topic for `batch`. */
function decisionFrom (publisher: RoomDriver, batch: CertifiedBatch, now: number): ReliableMessage {
  publisher.membership([bob.id], [bob.id], now)
  publisher.ready()
  publisher.publishDecision(batch, now)
  const [msg] = publisher.ready().publish
  return msg
}

function line (from: RoomDriver, text: string, now: number): ReliableMessage {
  from.membership([bob.id], [bob.id], now)
  from.ready()
  return from.send(text, false, now)
}

const governance = (ready: RoomReady): unknown[] => ready.events.filter(e => e.type === 'governance').map(e => e.detail)

describe('the room driver with committee decisions', () => {
  it('applies a certified ban from the topic; the banned peer is refused everywhere and told once', async () => {
    const b = driver(bob, 'bob')
    const m = driver(mallory, 'mallory')
    const leader = driver(committee[0], 'lead')
    const ban = await new LogWriter(ROOM).noop().command({ type: 'ban', peer: mallory.id, reason: 'spam' }, trusted[0].id).certify(committee.slice(0, 2))
    const decision = decisionFrom(leader, ban, T0)
    const before = line(m, 'before the ban', T0)

    expect(b.check(decision, T0)).toEqual({ action: 'accept' })
    expect(governance(b.ready())).toEqual([{ type: 'banned', peer: mallory.id, reason: 'spam', by: trusted[0].id, self: false }])
    expect(b.check(before, T0)).toEqual({ action: 'reject', reason: 'banned' })
    b.receive(before, T0)
    expect(b.ready().drops).toEqual(['banned'])

    // Mallory hears the same decision: told once, and its own lines are not sent.
    expect(m.check(decision, T0)).toEqual({ action: 'accept' })
    expect(m.check(decision, T0)).toEqual({ action: 'accept' })
    expect(governance(m.ready())).toEqual([{ type: 'banned', peer: mallory.id, nick: 'mallory', reason: 'spam', by: trusted[0].id, self: true }])
    expect(() => m.send('let me in', false, T0)).toThrow(/banned/)

    // The same batch again (a republication) is still vouched for by the committee: forwarded.
    expect(b.check(decisionFrom(leader, ban, T0 + 1), T0 + 1)).toEqual({ action: 'accept' })
    // A stale batch whose certificate no majority signed is kept from the mesh.
    const junk: CertifiedBatch = { ...ban, certificate: { ...ban.certificate, signatures: ban.certificate.signatures.slice(0, 1) } }
    expect(b.check(decisionFrom(leader, junk, T0 + 2), T0 + 2)).toEqual({ action: 'ignore' })
    // A forged decision (one signature) is refused by the validator, with its reason.
    const forged = await new LogWriter(ROOM).noop().command({ type: 'ban', peer: bob.id, reason: 'x' }, trusted[0].id).certify(committee.slice(0, 1))
    expect(driver(bob, 'bob2').check(decisionFrom(leader, forged, T0), T0)).toEqual({ action: 'reject', reason: 'decision-bad-certificate' })
  })

  it('repair answers leave a banned peer\'s lines out', async () => {
    const holder = driver(trusted[1], 'holder')
    const m = driver(mallory, 'mallory')
    const spam = line(m, 'spam', T0)
    holder.receive(spam, T0)
    expect(holder.answerPull({ channelId: ROOM, ids: [spam.messageId], maxAncestors: 0 }).messages).toHaveLength(1)
    const ban = await new LogWriter(ROOM).command({ type: 'ban', peer: mallory.id, reason: 'spam' }, trusted[0].id).certify(committee.slice(0, 2))
    expect(holder.offerDecision(ban, T0)).toBeUndefined()
    expect(holder.answerPull({ channelId: ROOM, ids: [spam.messageId], maxAncestors: 0 })).toEqual({ messages: [], missing: [] })
  })

  it('a batch past a gap asks its publisher for what came before, and applies both', async () => {
    const b = driver(bob, 'bob')
    const leader = driver(committee[0], 'lead')
    const log = new LogWriter(ROOM)
    const first = await log.command({ type: 'title', text: 'one' }, trusted[0].id).certify(committee.slice(0, 2))
    const second = await log.command({ type: 'title', text: 'two' }, trusted[0].id).certify(committee.slice(0, 2))
    expect(b.check(decisionFrom(leader, second, T0), T0)).toEqual({ action: 'accept' })
    expect(b.ready().catchUps).toEqual([{ target: committee[0].id, after: 0 }])
    b.caughtUp(committee[0].id, first, T0 + 10)
    const ready = b.ready()
    expect(governance(ready).map(n => (n as { text: string }).text)).toEqual(['one', 'two'])
    // Caught up on, not news: each says so.
    expect(governance(ready).every(n => (n as { earlier?: boolean }).earlier === true)).toBe(true)
    // Progress: the same peer is asked again for anything newer.
    expect(ready.catchUps).toEqual([{ target: committee[0].id, after: 2 }])
    b.caughtUp(committee[0].id, undefined, T0 + 20)
    expect(b.ready().catchUps).toEqual([])
  })

  it('a catch-up answer that moves us nowhere has the next peer asked, not the same one again', async () => {
    const b = driver(bob, 'bob')
    const leader = driver(committee[0], 'lead')
    const log = new LogWriter(ROOM)
    await log.command({ type: 'title', text: 'one' }, trusted[0].id).certify(committee.slice(0, 2))
    const second = await log.command({ type: 'title', text: 'two' }, trusted[0].id).certify(committee.slice(0, 2))
    // Peers joining start a catch-up from the first of them.
    b.membership([committee[0].id, mallory.id], [committee[0].id, mallory.id], T0)
    expect(b.ready().catchUps).toEqual([{ target: committee[0].id, after: 0 }])
    expect(b.check(decisionFrom(leader, second, T0), T0)).toEqual({ action: 'accept' })
    // The peer answers with the batch past our gap again: no progress, so another peer is asked.
    b.caughtUp(committee[0].id, second, T0 + 10)
    expect(b.ready().catchUps).toEqual([{ target: mallory.id, after: 0 }])
  })

  it('a checkpoint makes history final; a line outside the final order that arrives below it is late', async () => {
    const b = driver(bob, 'bob')
    const leader = driver(committee[0], 'lead')
    const carol = driver(trusted[2], 'carol')
    const dave = driver(trusted[1], 'dave')
    b.start(T0)
    b.membership([committee[0].id, trusted[2].id], [committee[0].id, trusted[2].id], T0)
    const log = new LogWriter(ROOM)
    expect(b.offerDecision(await log.command({ type: 'checkpoint', lamport: T0 + 1, digest: finalityDigest([], T0 + 1) }, committee[0].id).certify(committee.slice(0, 2)), T0 + 2)).toBeUndefined()
    const early = line(carol, 'early', T0 + 100)
    const delayed = line(dave, 'delayed', T0 + 200)
    const later = line(carol, 'later', T0 + 300)
    // Dave's line was held up on its way: neither the leader nor bob had it when the order became final.
    for (const d of [b, leader]) { d.receive(early, T0 + 400); d.receive(later, T0 + 400) }
    // (This leader never saw the first checkpoint, so its window starts at 0.)
    const due = leader.decisions.checkpointDue(T0 + 20_000)
    const window = [early, later].map(m => ({ lamport: m.lamport, id: m.messageId }))
    expect(due).toEqual({ type: 'checkpoint', lamport: later.lamport, digest: finalityDigest(window, later.lamport, 0) })
    expect(leader.decisions.checkpointDue(T0 + 20_001)).toBeUndefined()
    const checkpoint = await log.command({ type: 'checkpoint', lamport: later.lamport, digest: finalityDigest(window, later.lamport, T0 + 1) }, committee[0].id).certify(committee.slice(0, 2))
    b.ready()
    expect(b.check(decisionFrom(leader, checkpoint, T0 + 20_000), T0 + 20_000)).toEqual({ action: 'accept' })
    expect(governance(b.ready())).toEqual([{ type: 'final', lamport: later.lamport, digest: finalityDigest(window, later.lamport, T0 + 1), agree: true }])
    expect(b.history(10, T0 + 20_000).map(l => [l.text, l.final])).toEqual([['early', true], ['later', true]])
    b.receive(delayed, T0 + 21_000)
    const late = b.ready().events.find(e => e.type === 'message')?.detail as { text: string, late?: boolean, final?: boolean }
    expect(late).toMatchObject({ text: 'delayed', late: true })
    expect(late.final).toBeUndefined()
    expect(b.history(10, T0 + 21_000).map(l => [l.text, l.late ?? false])).toEqual([['early', false], ['delayed', true], ['later', false]])
  })

  it('a checkpoint over a window we were here for is checked: a difference is said and asks peers at once, and the line we lacked is not late', async () => {
    const b = driver(bob, 'bob')
    const leader = driver(committee[0], 'lead')
    const carol = driver(trusted[2], 'carol')
    b.start(T0)
    b.membership([trusted[2].id], [trusted[2].id], T0)
    const log = new LogWriter(ROOM)
    const first = await log.command({ type: 'checkpoint', lamport: T0 + 1, digest: finalityDigest([], T0 + 1) }, committee[0].id).certify(committee.slice(0, 2))
    expect(b.offerDecision(first, T0 + 2)).toBeUndefined()
    const seen = line(carol, 'seen', T0 + 100)
    const missed = line(carol, 'missed', T0 + 200)
    b.receive(seen, T0 + 300)
    const window = [seen, missed].map(m => ({ lamport: m.lamport, id: m.messageId }))
    const second = await log.command({ type: 'checkpoint', lamport: missed.lamport, digest: finalityDigest(window, missed.lamport, T0 + 1) }, committee[0].id).certify(committee.slice(0, 2))
    b.ready()
    expect(b.offerDecision(second, T0 + 20_000)).toBeUndefined()
    expect(governance(b.ready())).toMatchObject([{ type: 'final', lamport: missed.lamport, agree: false }])
    // The difference asks peers at once: a sync goes out.
    b.tick(T0 + 20_000)
    expect(b.ready().publish.some(m => m.kind === 'sync')).toBe(true)
    // The line we lacked is in the final order: repaired, it is not late.
    b.receive(missed, T0 + 21_000)
    expect(b.ready().events.find(e => e.type === 'message')?.detail).toMatchObject({ text: 'missed', final: true })
    void leader
  })
})

