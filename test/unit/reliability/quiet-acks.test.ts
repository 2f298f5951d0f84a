/**
 * Marks that tell the truth in a quiet room: a receiver acknowledges a line with a sync
 * within seconds when nothing else names it; a line given up on (`✗`) still turns into
 * `✓` when a peer names it later; a sync that shows its sender is behind is answered at once.
 */
import { describe, expect, it } from 'vitest'
import type { ReliableChannel, ReliableMessage } from '../../../src/reliability/index.js'
import { bytes, channel, ofType } from './helpers.js'

/** Ticks `ch` every 50 ms over [from, to]; returns its syncs with when they went out. */
function syncsBetween (ch: ReliableChannel, from: number, to: number): Array<[number, ReliableMessage]> {
  const out: Array<[number, ReliableMessage]> = []
  for (let t = from; t <= to; t += 50) {
    ch.tick(t)
    for (const m of ch.drainOutgoing()) if (m.kind === 'sync') out.push([t, m])
  }
  return out
}

describe('quiet-room acknowledgements', () => {
  it('a receiver that says nothing acknowledges a line with a sync within ackSyncMs, and the sender marks it', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    bob.tick(0)
    const msg = alice.send(bytes('anyone here?'), 0)
    alice.drainEvents()
    bob.receive(msg, 20)
    const syncs = syncsBetween(bob, 20, 5_000)
    expect(syncs).toHaveLength(1)
    const [at, sync] = syncs[0]
    expect(at).toBeGreaterThanOrEqual(20 + 750)
    expect(at).toBeLessThanOrEqual(20 + 1_500 + 50)
    expect(sync.causalHistory.map(h => h.messageId)).toContain(msg.messageId)
    expect(bob.status()).toMatchObject({ ackSyncs: 1, syncsSent: 1 })
    alice.receive(sync, at + 20)
    expect(ofType(alice.drainEvents(), 'out:acknowledged').map(e => e.id)).toEqual([msg.messageId])
  })

  it('owes nothing once its own line or another receiver\'s message names what it got', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const carol = channel('carol')
    bob.tick(0)
    carol.tick(0)
    const msg = alice.send(bytes('hi'), 0)
    bob.receive(msg, 10)
    carol.receive(msg, 10)
    // bob answers at once: his line names alice's, and carol hears it.
    const reply = bob.send(bytes('hi alice'), 100)
    carol.receive(reply, 120)
    expect(syncsBetween(bob, 100, 5_000)).toEqual([])
    // carol now owes an ack for bob's line only (alice's is named by bob's): one sync.
    const carolSyncs = syncsBetween(carol, 120, 5_000)
    expect(carolSyncs).toHaveLength(1)
    // A line's own sender naming it is no acknowledgement to it: erin's next line leaves dave's debt.
    const erin = channel('erin')
    const dave = channel('dave')
    dave.tick(0)
    const first = erin.send(bytes('one'), 6_000)
    dave.receive(first, 6_010)
    dave.receive(erin.send(bytes('two'), 6_020), 6_030)
    expect(syncsBetween(dave, 6_030, 9_000)).toHaveLength(1)
  })

  it('the first receiver\'s sync spares the others theirs', () => {
    const alice = channel('alice')
    const receivers = ['b', 'c', 'd', 'e', 'f'].map(id => channel(id, { jitter: 0.25 }))
    const msg = alice.send(bytes('quiet'), 0)
    for (const r of receivers) { r.tick(0); r.receive(msg, 10) }
    let sent = 0
    for (let t = 10; t <= 5_000; t += 10) {
      const out: ReliableMessage[] = []
      for (const r of receivers) {
        r.tick(t)
        out.push(...r.drainOutgoing().filter(m => m.kind === 'sync'))
      }
      sent += out.length
      // Every sync reaches every other receiver 20 ms later (here: within the same step).
      for (const sync of out) for (const r of receivers) if (r.selfId !== sync.senderId) r.receive(sync, t + 20)
    }
    expect(sent).toBeGreaterThanOrEqual(1)
    expect(sent).toBeLessThan(receivers.length)
  })

  it('in a large room about `quietAckers` peers take part, not every peer', () => {
    const alice = channel('alice')
    const msg = alice.send(bytes('to a thousand'), 0)
    let syncs = 0
    for (let i = 0; i < 1_000; i++) {
      const r = channel(`peer-${i}`)
      r.setRoomSize(1_001)
      r.tick(0)
      r.receive(msg, 10)
      syncs += syncsBetween(r, 10, 2_000).length
    }
    // Binomial(1000, 4/1001): mean 4; these seeds give a fixed count.
    expect(syncs).toBeGreaterThanOrEqual(1)
    expect(syncs).toBeLessThanOrEqual(12)
  })

  it('in a busy room sends none: the others\' lines name each new one before the debt grows old', () => {
    const alice = channel('alice')
    const bob = channel('bob')
    const carol = channel('carol') // listens only
    carol.tick(0)
    let syncs = 0
    for (let t = 0; t < 20_000; t += 200) {
      const speaker = (t / 200) % 2 === 0 ? alice : bob
      const other = speaker === alice ? bob : alice
      const msg = speaker.send(bytes(`at ${t}`), t)
      other.receive(msg, t + 20)
      carol.receive(msg, t + 20)
      carol.tick(t + 100)
      syncs += carol.drainOutgoing().filter(m => m.kind === 'sync').length
    }
    expect(syncs).toBe(0)
    expect(carol.status().ackSyncs).toBe(0)
  })

  it('ackSyncMs 0 turns it off', () => {
    const alice = channel('alice')
    const bob = channel('bob', { ackSyncMs: 0 })
    bob.tick(0)
    bob.receive(alice.send(bytes('x'), 0), 10)
    expect(syncsBetween(bob, 10, 5_000)).toEqual([])
  })
})

describe('a late acknowledgement', () => {
  it('reports a line given up on (out:not-confirmed) as acknowledged when a peer names it later', () => {
    const alice = channel('alice', { maxResendAttempts: 1 })
    const msg = alice.send(bytes('into the void'), 0)
    let events = []
    for (let t = 0; t <= 10_000; t += 100) { alice.tick(t); alice.drainOutgoing() }
    events = alice.drainEvents()
    expect(ofType(events, 'out:not-confirmed').map(e => e.id)).toEqual([msg.messageId])
    expect(alice.status().unacknowledged).toBe(0)
    // bob was cut off; he gets it (a pull) and his sync names it.
    const bob = channel('bob')
    bob.tick(10_000)
    bob.receive(msg, 10_000, 'carol')
    const [[at, sync]] = syncsBetween(bob, 10_000, 15_000)
    alice.receive(sync, at + 10)
    expect(ofType(alice.drainEvents(), 'out:acknowledged').map(e => e.id)).toEqual([msg.messageId])
    // Once only.
    alice.receive(bob.send(bytes('again'), at + 100), at + 110)
    expect(ofType(alice.drainEvents(), 'out:acknowledged')).toEqual([])
  })
})

describe('answering a peer that is behind', () => {
  /** bob holds alice's three lines; returns them. */
  function bobWithThree (): { bob: ReliableChannel, lines: ReliableMessage[] } {
    const alice = channel('alice')
    const bob = channel('bob', { ackSyncMs: 0 })
    bob.tick(0)
    const lines = [0, 1, 2].map(i => alice.send(bytes(`m${i}`), i * 10))
    for (const m of lines) bob.receive(m, 100)
    bob.tick(100)
    bob.drainOutgoing()
    return { bob, lines }
  }

  it('a sync lacking what we announce is answered by our sync within behindAnswerMs', () => {
    const { bob, lines } = bobWithThree()
    const carol = channel('carol')
    carol.tick(0)
    carol.receive(lines[0], 50)
    carol.syncSoon(1_000, 200)
    const [[, carolSync]] = syncsBetween(carol, 1_000, 2_000)
    bob.receive(carolSync, 1_300)
    const answers = syncsBetween(bob, 1_300, 3_000)
    expect(answers).toHaveLength(1)
    expect(answers[0][0]).toBeLessThanOrEqual(1_300 + 500 + 50)
    expect(bob.status().behindAnswers).toBe(1)
    // carol learns the two lines she lacks from it, and pulls them.
    carol.receive(answers[0][1], answers[0][0] + 20)
    carol.tick(answers[0][0] + 1_000)
    expect(carol.drainPulls().flatMap(p => p.messageIds).sort()).toEqual([lines[1].messageId, lines[2].messageId].sort())
  })

  it('a sync from a peer that has everything gets no answer', () => {
    const { bob, lines } = bobWithThree()
    const carol = channel('carol', { ackSyncMs: 0 })
    carol.tick(0)
    for (const m of lines) carol.receive(m, 50)
    carol.syncSoon(1_000, 200)
    const [[, carolSync]] = syncsBetween(carol, 1_000, 2_000)
    bob.receive(carolSync, 1_300)
    expect(syncsBetween(bob, 1_300, 5_000)).toEqual([])
    expect(bob.status().behindAnswers).toBe(0)
  })
})
