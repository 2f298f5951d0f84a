/**
 * The direct-message core with injected time: own messages go out per recipient and are sent
 * again until acknowledged (then delivered), with a doubling delay after failures and at once
 * when the peer is seen; they expire after the retention. Received ones are delivered exactly
 * once and in order per sender's stream, past gaps and duplicates, and a sender's new stream (it
 * lost its state) starts over. The state survives a snapshot.
 */
import { describe, expect, it } from 'vitest'
import { DIRECT_RETRY_MIN_MS, DirectCore, type DirectMessage } from '../../../src/direct/index.js'

const A = '12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq'
const B = '12D3KooWRNw2pJC9748Fmq4WNV27HoSTcX3r37132FLkQMrbKAiC'
const T0 = 1_767_225_600_000

const draft = (text: string, to = B): Omit<DirectMessage, 'id' | 'epoch' | 'seq' | 'from'> => ({ to, sentAt: T0, nick: 'a', text, action: false })

describe('the direct-message core', () => {
  it('sends, resends after a failure with a doubling delay, and marks delivered on the acknowledgement', () => {
    const a = new DirectCore(A, T0)
    const m1 = a.send(draft('one'), T0)
    expect(m1).toMatchObject({ from: A, to: B, epoch: T0, seq: 1 })
    expect(a.ready().sends).toEqual([{ to: B, messages: [m1] }])
    // A second message while the first attempt is under way waits for it.
    const m2 = a.send(draft('two'), T0 + 1)
    expect(a.ready().sends).toEqual([])
    a.failed(B, T0 + 100)
    a.tick(T0 + 100 + DIRECT_RETRY_MIN_MS - 1)
    expect(a.ready().sends).toEqual([])
    a.tick(T0 + 100 + DIRECT_RETRY_MIN_MS)
    expect(a.ready().sends).toEqual([{ to: B, messages: [m1, m2] }])
    a.failed(B, T0 + 2_000)
    expect(a.nextDeadline()).toBe(T0 + 2_000 + 2 * DIRECT_RETRY_MIN_MS)
    // Seen again (it connected): at once.
    a.seen(B, T0 + 2_100)
    expect(a.ready().sends).toEqual([{ to: B, messages: [m1, m2] }])
    a.answered(B, { epoch: T0, seq: 1 }, T0 + 2_200)
    const r = a.ready()
    expect(r.states).toEqual([{ id: m1.id, peer: B, state: 'delivered' }])
    expect(r.sends).toEqual([{ to: B, messages: [m2] }])
    a.answered(B, { epoch: T0, seq: 2 }, T0 + 2_300)
    expect(a.ready().states).toEqual([{ id: m2.id, peer: B, state: 'delivered' }])
    expect(a.pendingTo(B)).toBe(0)
  })

  it('delivers exactly once and in order, past gaps and duplicates, and follows a sender\'s new stream', () => {
    const a = new DirectCore(A, T0)
    const sent = ['x', 'y', 'z'].map(t => a.send(draft(t), T0))
    const b = new DirectCore(B, T0)
    expect(b.receive(A, [sent[0]])).toEqual({ epoch: T0, seq: 1 })
    // Past a gap: held until the one before it comes.
    expect(b.receive(A, [sent[2]])).toEqual({ epoch: T0, seq: 1 })
    expect(b.ready().delivered.map(m => m.text)).toEqual(['x'])
    expect(b.receive(A, [sent[1], sent[0]])).toEqual({ epoch: T0, seq: 3 })
    const r = b.ready()
    expect(r.delivered.map(m => m.text)).toEqual(['y', 'z'])
    expect(r.drops).toEqual(['direct-duplicate'])
    // A sender that lost its state starts a new stream: delivered from its first message.
    const reborn = new DirectCore(A, T0 + 60_000)
    const fresh = reborn.send(draft('after a reset'), T0 + 60_000)
    expect(b.receive(A, [fresh])).toEqual({ epoch: T0 + 60_000, seq: 1 })
    expect(b.ready().delivered.map(m => m.text)).toEqual(['after a reset'])
    // A message of the old stream now is stale.
    expect(b.receive(A, [sent[0]])).toEqual({ epoch: T0 + 60_000, seq: 1 })
    expect(b.ready().drops).toEqual(['direct-duplicate'])
    // Nobody speaks for another sender, and a message for someone else is not ours.
    b.receive(B, [sent[0]])
    expect(b.ready().drops).toEqual(['direct-misaddressed'])
  })

  it('expires what waits past the retention, and keeps its state across a snapshot', () => {
    const a = new DirectCore(A, T0, 10_000)
    const m = a.send(draft('hello'), T0)
    a.ready()
    a.failed(B, T0 + 1)
    const restored = new DirectCore(A, T0 + 5_000, 10_000)
    restored.restore(a.snapshot())
    restored.tick(T0 + 5_000)
    expect(restored.ready().sends).toEqual([{ to: B, messages: [m] }])
    // The restored stream goes on where it was.
    expect(restored.send(draft('again'), T0 + 5_001)).toMatchObject({ epoch: T0, seq: 2 })
    restored.failed(B, T0 + 5_002)
    restored.tick(T0 + 10_000)
    expect(restored.ready().states).toEqual([{ id: m.id, peer: B, state: 'expired' }])
    expect(restored.pendingTo(B)).toBe(1)
  })

  it('a recipient that lost its state takes the stream up where the sender stands, and an answer that takes nothing is paced', () => {
    const a = new DirectCore(A, T0)
    const sent = ['one', 'two', 'three'].map(t => a.send(draft(t), T0))
    a.ready()
    a.answered(B, { epoch: T0, seq: 2 }, T0 + 1)
    expect(a.ready().sends).toEqual([{ to: B, messages: [sent[2]] }])
    // B restarted with nothing: the third is delivered, not held for ever behind 1 and 2.
    const fresh = new DirectCore(B, T0 + 5)
    expect(fresh.receive(A, [sent[2]])).toEqual({ epoch: T0, seq: 3 })
    expect(fresh.ready().delivered.map(m => m.text)).toEqual(['three'])
    // An answer that acknowledges nothing of ours (another stream): retried after the delay, not at once.
    a.answered(B, { epoch: T0 - 1, seq: 9 }, T0 + 10)
    expect(a.ready().sends).toEqual([])
    a.tick(T0 + 10 + DIRECT_RETRY_MIN_MS)
    expect(a.ready().sends).toEqual([{ to: B, messages: [sent[2]] }])
  })

  it('remembers at most 10,000 senders; a forgotten one is taken up again where it stands', () => {
    const b = new DirectCore(B, T0)
    const a = new DirectCore(A, T0)
    const first = a.send(draft('first'), T0)
    b.receive(A, [first])
    for (let i = 0; i < 10_000; i++) b.receive(`p${i}`, [{ ...first, from: `p${i}`, to: B }])
    expect(b.snapshot().incoming).toHaveLength(10_000)
    expect(b.snapshot().incoming.some(s => s.peer === A)).toBe(false)
    b.ready()
    const second = a.send(draft('second'), T0 + 1)
    expect(b.receive(A, [second])).toEqual({ epoch: T0, seq: 2 })
    expect(b.ready().delivered.map(m => m.text)).toEqual(['second'])
  })
})
