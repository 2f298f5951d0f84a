/**
 * The persistence API of the core: `snapshot()` is plain JSON, and `restore()` rebuilds
 * a channel that keeps its history, dedups, counts restored messages as delivered,
 * resumes resends, never moves its clock back, and converges with the rest of a model
 * network after a crash.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { ReliableChannel, type ChannelSnapshot, type MessageId, type ReliableMessage } from '../../../src/reliability/index.js'
import { checkCanonicalAgreement } from '../../../src/sim/invariants.js'
import { ModelNetwork, type SimNode } from '../../../src/sim/model-network.js'
import { bytes, CHANNEL, channel, deliveredIds, forge, ofType, relay, text } from './helpers.js'

/** A JSON round trip, as a store would do. */
function viaJson (snapshot: ChannelSnapshot): ChannelSnapshot {
  return JSON.parse(JSON.stringify(snapshot)) as ChannelSnapshot
}

/** Alice and bob exchange `n` messages each over a perfect network. */
function conversation (n: number): { alice: ReliableChannel, bob: ReliableChannel, sent: ReliableMessage[] } {
  const alice = channel('alice')
  const bob = channel('bob')
  const sent: ReliableMessage[] = []
  for (let i = 0; i < n; i++) {
    sent.push(alice.send(bytes(`a${i}`), 1_000 + 20 * i))
    relay(alice, [bob], 1_005 + 20 * i)
    sent.push(bob.send(bytes(`b${i}`), 1_010 + 20 * i))
    relay(bob, [alice], 1_015 + 20 * i)
  }
  alice.drainEvents()
  bob.drainEvents()
  return { alice, bob, sent }
}

describe('ReliableChannel.snapshot / restore', () => {
  it('snapshot is plain JSON and round-trips the history, clock and seen ids', () => {
    const { bob, sent } = conversation(5)
    const snap = bob.snapshot()
    expect(viaJson(snap)).toEqual(snap)
    expect(snap).toMatchObject({ v: 1, channelId: CHANNEL, selfId: 'bob', lamport: bob.status().lamport })
    expect(snap.messages).toHaveLength(10)
    expect(snap.seen.map((s) => s.messageId)).toEqual(bob.history().map((m) => m.messageId))

    const restored = ReliableChannel.fromSnapshot('bob', CHANNEL, { jitter: 0 }, viaJson(snap), 50_000)
    expect(restored.history()).toEqual(bob.history())
    expect(restored.status().lamport).toBe(bob.status().lamport)
    expect(restored.drainEvents()).toEqual([]) // restored messages are not re-delivered
    // bob's last line was never acked (alice did not speak after it): it is re-broadcast
    expect(restored.drainOutgoing().map((m) => m.messageId)).toEqual([sent[sent.length - 1].messageId])
  })

  it('restored messages answer pulls, are deduplicated, and count as delivered for dependencies', () => {
    const { alice, bob, sent } = conversation(3)
    const restored = ReliableChannel.fromSnapshot('bob', CHANNEL, { jitter: 0 }, viaJson(bob.snapshot()), 10_000)
    expect(restored.answerPull([sent[0].messageId, sent[3].messageId]).map(text)).toEqual(['a0', 'b1'])
    expect(restored.receive(sent[2], 10_001)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(restored.receive(sent[3], 10_001)).toEqual({ status: 'dropped', reason: 'own' })
    const next = alice.send(bytes('after the restart'), 10_002) // names the restored messages
    expect(restored.receive(next, 10_003)).toEqual({ status: 'delivered' })
    expect(restored.status().missing).toBe(0)
    expect(deliveredIds(restored.drainEvents())).toEqual([next.messageId])
  })

  it('the next own message names the restored heads in its causal history', () => {
    const { bob, sent } = conversation(2)
    const restored = ReliableChannel.fromSnapshot('bob', CHANNEL, { jitter: 0 }, viaJson(bob.snapshot()), 10_000)
    const msg = restored.send(bytes('hello again'), 10_001)
    expect(msg.causalHistory.map((h) => h.messageId)).toContain(sent[sent.length - 1].messageId)
  })

  it('the Lamport clock is max(stored, now) and never goes backwards, across restarts', () => {
    const alice = channel('alice')
    const first = alice.send(bytes('x'), 100_000)
    let snap = viaJson(alice.snapshot())
    // the wall clock went back by a minute
    const again = ReliableChannel.fromSnapshot('alice', CHANNEL, { jitter: 0 }, snap, 40_000)
    const second = again.send(bytes('y'), 40_001)
    expect(second.lamport).toBe(first.lamport + 1)
    snap = viaJson(again.snapshot({ messages: false, seen: false }))
    expect(snap.messages).toEqual([])
    // lamport alone, without messages
    const third = ReliableChannel.fromSnapshot('alice', CHANNEL, { jitter: 0 }, snap, 0).send(bytes('z'), 1)
    expect(third.lamport).toBe(second.lamport + 1)
    // and a later wall clock wins
    expect(ReliableChannel.fromSnapshot('alice', CHANNEL, {}, { lamport: 5 }, 0).send(bytes('w'), 9_000).lamport).toBe(9_000)
  })

  it('unacknowledged own messages are re-broadcast at once, resume their resends, and get acked', () => {
    const alice = channel('alice', { resendBaseMs: 1_000, maxResendAttempts: 5 })
    const lonely = alice.send(bytes('nobody heard this'), 1_000)
    alice.drainOutgoing()
    alice.tick(2_000) // one resend, still unheard
    expect(alice.drainOutgoing()).toEqual([lonely])
    const snap = viaJson(alice.snapshot())
    expect(snap.unacked).toEqual([{ messageId: lonely.messageId, resends: 1, nextResendAt: 4_000 }])

    const restored = ReliableChannel.fromSnapshot('alice', CHANNEL, { jitter: 0, resendBaseMs: 1_000, maxResendAttempts: 5 }, snap, 100_000)
    expect(restored.status().unacknowledged).toBe(1)
    const out = restored.drainOutgoing()
    expect(out.map((m) => m.messageId)).toEqual([lonely.messageId])
    expect(restored.status().resends).toBe(0)
    restored.tick(101_999)
    expect(restored.drainOutgoing()).toEqual([])
    restored.tick(102_000) // backoff after one resend: 2 s
    expect(restored.drainOutgoing().map((m) => m.messageId)).toEqual([lonely.messageId])

    const bob = channel('bob')
    expect(bob.receive(out[0], 100_010)).toEqual({ status: 'delivered' })
    restored.receive(bob.send(bytes('got it'), 100_020), 100_030)
    expect(ofType(restored.drainEvents(), 'out:acknowledged')).toEqual([{ type: 'out:acknowledged', id: lonely.messageId }])
    expect(restored.status().unacknowledged).toBe(0)
  })

  it('the seen set survives; a message still buffered at snapshot time is not in it and arrives again', () => {
    const bob = channel('bob', { seenIdCapacity: 100 })
    const a1 = forge({ senderId: 'alice', lamport: 1_000, content: 'a1' })
    const a2 = forge({ senderId: 'alice', lamport: 1_001, content: 'a2', history: [a1.messageId] })
    bob.receive(a2, 1_100) // buffered: waits for a1
    const old = forge({ senderId: 'carol', lamport: 900, content: 'old' })
    bob.receive(old, 1_100)
    const snap = viaJson(bob.snapshot({ messages: false }))
    expect(snap.seen.map((s) => s.messageId)).toEqual([old.messageId])
    const restored = ReliableChannel.fromSnapshot('bob', CHANNEL, { jitter: 0, seenIdCapacity: 100 }, snap, 2_000)
    expect(restored.receive(old, 2_001)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(restored.receive(a1, 2_002)).toEqual({ status: 'delivered' })
    expect(restored.receive(a2, 2_003)).toEqual({ status: 'delivered' })
  })

  it('a later delivery that sorts before the restored ones is flagged out of order', () => {
    const { bob } = conversation(2)
    const restored = ReliableChannel.fromSnapshot('bob', CHANNEL, { jitter: 0 }, viaJson(bob.snapshot()), 10_000)
    restored.receive(forge({ senderId: 'carol', lamport: 500, content: 'early' }), 10_001)
    expect(ofType(restored.drainEvents(), 'in:delivered')[0].outOfOrder).toBe(true)
  })

  it('restore also takes stored parts (messages, lamport, unacked, seen) directly', () => {
    const { alice, bob, sent } = conversation(2)
    const own = alice.send(bytes('pending'), 5_000)
    const restored = new ReliableChannel('alice', CHANNEL, { jitter: 0 })
    const summary = restored.restore({
      lamport: 7_000,
      messages: [...alice.history()].reverse(),
      unacked: [{ messageId: own.messageId }, { messageId: sent[1].messageId }, { messageId: 'ff'.repeat(16) }],
      seen: [{ messageId: 'ab'.repeat(16), at: 10 }]
    }, 9_000)
    expect(summary).toEqual({ messages: 5, unacked: 1, seen: 1, skippedUnacked: 2, skippedOversized: 0 })
    expect(restored.receive(sent[0], 9_000)).toEqual({ status: 'dropped', reason: 'own' })
    expect(restored.receive(sent[1], 9_000)).toEqual({ status: 'dropped', reason: 'duplicate' })
    expect(restored.history()).toEqual(alice.history())
    expect(restored.status()).toMatchObject({ lamport: 7_000, unacknowledged: 1 })
    expect(bob.receive(restored.drainOutgoing()[0], 9_001)).toEqual({ status: 'delivered' })
  })

  it('refuses a channel that is not fresh, another channel\'s snapshot, tampered messages and unknown versions', () => {
    const { bob } = conversation(1)
    const snap = viaJson(bob.snapshot())
    expect(() => bob.restore(snap, 0)).toThrow(P2pchatError)
    expect(() => new ReliableChannel('bob', 'other').restore(snap, 0)).toThrow(/channel "room"/)
    expect(() => new ReliableChannel('bob', CHANNEL).restore({ ...snap, v: 2 as 1 }, 0)).toThrow(/version/)
    const tampered = viaJson(snap)
    tampered.messages[0].content = Buffer.from('forged').toString('base64')
    expect(() => new ReliableChannel('bob', CHANNEL).restore(tampered, 0)).toThrow(/does not match its id/)
    expect(() => new ReliableChannel('bob', CHANNEL).restore({ messages: [forge({ kind: 'sync' })] }, 0)).toThrow(/content/)
    expect(() => new ReliableChannel('bob', CHANNEL).restore({ lamport: -1 }, 0)).toThrow(/lamport/)
    // limits lowered since: the message is skipped and counted, not a reason to refuse the start
    const smaller = new ReliableChannel('bob', CHANNEL, { maxContentBytes: 1 })
    expect(smaller.restore(snap, 0)).toMatchObject({ messages: 0, skippedOversized: 2 })
  })
})

/** Causality for a restored node: restored messages count as delivered before everything. */
function causalityProblems (node: SimNode, restored: Set<MessageId>): string[] {
  const problems: string[] = []
  const position = new Map<MessageId, number>()
  node.delivered.forEach((e, i) => position.set(e.message.messageId, i))
  node.delivered.forEach((e, i) => {
    const excused = new Set([...(e.gapBefore ?? []), ...(e.beyondCatchUp ?? [])])
    for (const { messageId: dep } of e.message.causalHistory) {
      if (excused.has(dep) || restored.has(dep)) continue
      const at = position.get(dep)
      if (at === undefined || at > i) problems.push(`${node.id}: ${e.message.messageId} before ${dep}`)
    }
  })
  return problems
}

describe('restore in the model network', () => {
  it('a peer restored mid-conversation converges with the others, re-delivers nothing, and its unacked message gets through', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.integer({ min: 3, max: 6 }),
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 40_000 }), from: fc.nat() }), { minLength: 10, maxLength: 40 }),
      fc.integer({ min: 2_000, max: 30_000 }),
      fc.integer({ min: 500, max: 60_000 }),
      (seed, nodes, sends, crashAt, downFor) => {
        const options = { jitter: 0.25 }
        const net = new ModelNetwork({ seed, nodes, dropRate: 0.1, duplicateRate: 0.1, reorderRate: 0.2, channelOptions: options })
        const victim = net.ids[seed % nodes]
        let snapshot: ChannelSnapshot | undefined
        let lonely: ReliableMessage | undefined
        // Right before the crash the victim speaks while cut off: nobody hears it before the crash.
        net.at(crashAt - 1, () => {
          net.isolate(victim)
          lonely = net.send(victim, 'said just before the crash')
        })
        net.at(crashAt, () => {
          snapshot = viaJson(net.node(victim).channel.snapshot())
          net.crash(victim)
          net.heal()
        })
        net.at(crashAt + downFor, () => {
          net.restart(victim)
          const restored = ReliableChannel.fromSnapshot(victim, net.options.channelId, options, snapshot as ChannelSnapshot, net.now)
          net.node(victim).channel = restored
          // every restored message arriving again is a duplicate
          for (const m of restored.history()) expect(restored.receive(m, net.now).status).toBe('dropped')
        })
        sends.forEach((s, i) => net.at(s.at, () => {
          const alive = net.ids.filter((id) => net.node(id).alive)
          net.send(alive[s.from % alive.length], `m${i}`)
        }))
        net.runFor(Math.max(40_000, crashAt + downFor) + 1_000)
        // A little more talk after the restart, so what the victim missed is named again.
        for (const id of net.ids) net.send(id, `after ${id}`)
        const all = [...net.sent.keys()]
        const converged = (): boolean => net.all().every((n) => {
          const held = new Set(n.channel.history().map((m) => m.messageId))
          return all.every((id) => held.has(id))
        })
        const done = net.runUntilTrue(converged, 20 * 60_000)
        const restartedNode = net.node(victim)
        const restoredIds = new Set((snapshot as ChannelSnapshot).messages.map((m) => m.id))
        const redelivered = restartedNode.delivered.filter((e) => restoredIds.has(e.message.messageId))
        expect(redelivered).toEqual([])
        expect(restoredIds.has((lonely as ReliableMessage).messageId)).toBe(true)
        expect(causalityProblems(restartedNode, restoredIds)).toEqual([])
        expect(checkCanonicalAgreement(net)).toEqual([])
        expect(done).toBe(true)
      }
    ), { seed: 7, numRuns: 40 })
  })
})
