import { describe, expect, it } from 'vitest'
import type { PullRequest } from '../../../src/reliability/index.js'
import { bytes, channel, forge } from './helpers.js'

const ghost = (n: number): string => n.toString(16).padStart(32, 'a')

function pullsUntil (ch: ReturnType<typeof channel>, from: number, to: number): Array<[number, PullRequest]> {
  const out: Array<[number, PullRequest]> = []
  for (let t = from; t <= to; t += 50) {
    ch.tick(t)
    for (const p of ch.drainPulls()) out.push([t, p])
  }
  return out
}

describe('lazy pull', () => {
  it('never waits in receive: pulls are queued and drained separately', () => {
    const bob = channel('bob')
    bob.tick(0)
    const result = bob.receive(forge({ senderId: 'carol', lamport: 10, history: [ghost(1)] }), 1_000)
    expect(result.status).toBe('buffered')
    expect(bob.drainPulls()).toEqual([]) // first pull after pullInitialDelayMs, from tick()
    bob.tick(1_250)
    expect(bob.drainPulls()).toMatchObject([{ messageIds: [ghost(1)], peer: 'carol', candidates: [] }])
    expect(bob.status().pullsMade).toBe(1)
  })

  it('asks the retrieval hint first, then the sender that named the id, then the relaying peer, then recent peers', () => {
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(forge({ senderId: 'erin', lamport: 5, content: 'hello' }), 900) // erin is heard recently
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: [{ messageId: ghost(1), retrievalHint: 'dave' }] }), 1_000, 'frank')
    bob.tick(1_000)
    expect(bob.drainPulls()).toMatchObject([{ messageIds: [ghost(1)], peer: 'dave', candidates: ['carol', 'frank', 'erin'] }])
  })

  it('pulls what a pulled message names at once, deep: with our filter, room for 100 ancestors and our join time as the floor', () => {
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: [ghost(1), ghost(2)] }), 1_000, 'dave')
    bob.tick(1_000) // no pullInitialDelayMs: a pulled message is old, nothing it names is in flight
    const [pull] = bob.drainPulls()
    expect(pull).toMatchObject({ messageIds: [ghost(1), ghost(2)], peer: 'carol', maxAncestors: 100, minLamport: 0 })
    expect(pull.have).toBeInstanceOf(Uint8Array)
    expect(pull.have?.byteLength).toBeGreaterThan(0)
  })

  it('keeps one deep pull in flight: others go plain until a pulled message arrives', () => {
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: [ghost(1)] }), 1_000, 'dave')
    bob.receive(forge({ senderId: 'erin', lamport: 11, history: [ghost(2)] }), 1_000, 'dave')
    bob.tick(1_000)
    const pulls = bob.drainPulls()
    expect(pulls.map(p => [p.peer, p.maxAncestors])).toEqual([['carol', 100], ['erin', undefined]])
    expect(pulls[1].have).toBeUndefined()
    bob.receive(forge({ senderId: 'frank', lamport: 12, history: [ghost(3)] }), 1_100, 'dave') // an answer came
    bob.tick(1_100)
    expect(bob.drainPulls().find(p => p.messageIds.includes(ghost(3)))?.maxAncestors).toBe(100)
  })

  it('pulls what a gossiped message names after pullInitialDelayMs (it may still be in flight), plain for a loss or two', () => {
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: [ghost(1)] }), 1_000)
    bob.tick(1_000)
    expect(bob.drainPulls()).toEqual([])
    bob.tick(1_250)
    expect(bob.drainPulls()).toEqual([{ messageIds: [ghost(1)], peer: 'carol', candidates: [] }])
  })

  it('goes deep when a gossiped message names a backlog (3 or more unknown ids)', () => {
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: [ghost(1), ghost(2), ghost(3)] }), 1_000)
    bob.tick(1_250)
    expect(bob.drainPulls()).toMatchObject([{ messageIds: [ghost(1), ghost(2), ghost(3)], peer: 'carol', maxAncestors: 100, minLamport: 0 }])
  })

  it('retries with exponential backoff (500 ms doubling to 8 s), rotating targets, until declared lost', () => {
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(forge({ senderId: 'erin', lamport: 5, content: 'x' }), 900)
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: [ghost(1)] }), 1_000)
    const pulls = pullsUntil(bob, 1_000, 31_000)
    expect(pulls.map(([t]) => t)).toEqual([1_250, 1_750, 2_750, 4_750, 8_750, 16_750, 24_750])
    expect(pulls.map(([, p]) => p.peer)).toEqual(['carol', 'erin', 'carol', 'erin', 'carol', 'erin', 'carol'])
    expect(bob.status()).toMatchObject({ lost: 1, missing: 0, repairing: 1 })
  })

  it('keeps repairing a lost id in the background at the capped interval, then gives up', () => {
    const bob = channel('bob', { lostAfterMs: 2_000, repairGiveUpMs: 30_000 })
    bob.tick(0)
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: [ghost(1)] }), 1_000)
    const pulls = pullsUntil(bob, 1_000, 60_000)
    const background = pulls.filter(([t]) => t > 3_000).map(([t]) => t)
    expect(background).toEqual([11_000, 19_000, 27_000]) // every pullBackoffMaxMs (8 s) after the loss at 3 s
    expect(bob.status().repairing).toBe(0)
  })

  it('caps the ids per request at maxPullIds and groups ids by target', () => {
    const bob = channel('bob', { maxPullIds: 20 })
    bob.tick(0)
    const ids = Array.from({ length: 50 }, (_, i) => ghost(i))
    bob.receive(forge({ senderId: 'carol', lamport: 10, history: ids }), 1_000)
    bob.receive(forge({ senderId: 'dave', lamport: 11, history: [ghost(99)] }), 1_000)
    bob.tick(1_250)
    const pulls = bob.drainPulls()
    expect(pulls.map((p) => [p.peer, p.messageIds.length])).toEqual([['carol', 20], ['carol', 20], ['carol', 10], ['dave', 1]])
    expect(pulls.flatMap((p) => p.messageIds).slice(0, 50)).toEqual(ids)
  })

  it('leaves the target open when no peer is known', () => {
    const bob = channel('bob')
    bob.tick(0)
    // a message signed by a previous incarnation of ourselves: we are not a candidate
    bob.receive(forge({ senderId: 'bob', lamport: 10, history: [ghost(7)] }), 1_000)
    bob.tick(1_250)
    const [pull] = bob.drainPulls()
    expect(pull).toMatchObject({ messageIds: [ghost(7)], candidates: [] })
    expect(pull.peer).toBeUndefined()
  })

  it('a pull answer is received like any message and releases the waiters', () => {
    const alice = channel('alice')
    const m1 = alice.send(bytes('1'), 10)
    const m2 = alice.send(bytes('2'), 11)
    const bob = channel('bob')
    const carol = channel('carol')
    carol.receive(m1, 20)
    bob.tick(0)
    bob.receive(m2, 30)
    bob.tick(300)
    const [request] = bob.drainPulls()
    expect(request.peer).toBe('alice')
    for (const answer of carol.answerPull(request.messageIds)) bob.receive(answer, 320, 'carol')
    expect(bob.history().map((m) => m.messageId)).toEqual([m1.messageId, m2.messageId])
    expect(carol.status().pullsServed).toBe(1)
  })
})
