import { describe, expect, it } from 'vitest'
import { ModelNetwork } from '../../../src/sim/model-network.js'
import { bytes, channel, text } from './helpers.js'

/** alice sends `n` messages in a chain ("m0".."m{n-1}"); carol holds them all. */
function chain (n: number): { alice: ReturnType<typeof channel>, carol: ReturnType<typeof channel>, sent: ReturnType<ReturnType<typeof channel>['send']>[] } {
  const alice = channel('alice')
  const carol = channel('carol')
  const sent = Array.from({ length: n }, (_, i) => alice.send(bytes(`m${i}`), 10 + i))
  for (const m of sent) carol.receive(m, 100)
  return { alice, carol, sent }
}

describe('deep repair: the answer side', () => {
  it('adds the causal ancestors the requester lacks (judged by its filter), newest first, none it has', () => {
    const { carol, sent } = chain(30)
    const bob = channel('bob')
    bob.tick(0)
    for (const m of sent.slice(0, 10)) bob.receive(m, 200) // bob has m0..m9
    bob.receive(sent[29], 1_000, 'dave') // a pulled message: what it names is a backlog
    bob.tick(1_000)
    const [request] = bob.drainPulls()
    expect(request.maxAncestors).toBe(100)
    const answer = carol.answerPull(request.messageIds, request)
    const names = answer.map(text)
    // the 10 ids m29 names (m19..m28), then what those name, back to m10: nothing bob has.
    expect(new Set(names)).toEqual(new Set(Array.from({ length: 19 }, (_, i) => `m${i + 10}`)))
    expect(names.slice(0, 10).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 19}`).sort())
    for (const m of answer) bob.receive(m, 1_050, 'carol')
    expect(bob.history().map(text)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`))
  })

  it('is bounded by maxAncestors and by answerMaxMessages', () => {
    const { carol, sent } = chain(200)
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(sent[199], 1_000, 'dave')
    bob.tick(1_000)
    const [request] = bob.drainPulls()
    expect(request.have?.byteLength).toBeGreaterThan(0)
    expect(carol.answerPull([sent[199].messageId], { maxAncestors: 5, have: request.have })).toHaveLength(6)
    expect(carol.answerPull([sent[199].messageId], { maxAncestors: 1_000, have: request.have })).toHaveLength(150) // answerMaxMessages
    expect(carol.answerPull([sent[199].messageId])).toHaveLength(1) // no scope: only what was asked
  })

  it('adds no ancestor below minLamport and does not walk on from one', () => {
    const { carol, sent } = chain(30) // lamport values 10..39
    const bob = channel('bob')
    bob.tick(0)
    bob.receive(sent[29], 1_000, 'dave')
    bob.tick(1_000)
    const [request] = bob.drainPulls()
    const answer = carol.answerPull(request.messageIds, { ...request, minLamport: sent[20].lamport })
    expect(answer.map(text).sort()).toEqual(['m20', 'm21', 'm22', 'm23', 'm24', 'm25', 'm26', 'm27', 'm28', 'm19'].sort())
    // m19 was asked for by id (named by m29's history); only ancestors are held to the floor.
  })

  it('a single loss: the deep answer carries just the lost message (its history is in our filter)', () => {
    const { carol, sent } = chain(40)
    const bob = channel('bob')
    bob.tick(0)
    for (const m of sent) if (m !== sent[30]) bob.receive(m, 200) // m30 lost; m31 names it
    bob.tick(500)
    const [request] = bob.drainPulls()
    expect(request).toEqual({ messageIds: [sent[30].messageId], peer: 'alice', candidates: [] }) // plain: no filter sent
    // Even asked deep with bob's filter, the answer would carry just the lost message.
    const have = bob.send(bytes('hi'), 600).bloomFilter // our filter, as every message carries it
    expect(have.byteLength).toBeGreaterThan(0)
    expect(carol.answerPull(request.messageIds, { maxAncestors: 100, have }).map(text)).toEqual(['m30'])
  })

  it('ignores a scope that is malformed: bad filter bytes, negative, fractional or absurd counts', () => {
    const { carol, sent } = chain(20)
    const asked = [sent[19].messageId]
    expect(carol.answerPull(asked, { maxAncestors: 10, have: new Uint8Array(0) })).toHaveLength(1)
    expect(carol.answerPull(asked, { maxAncestors: 10, have: new Uint8Array([1]) })).toHaveLength(1)
    expect(carol.answerPull(asked, { maxAncestors: -5, have: new Uint8Array(0) })).toHaveLength(1)
    expect(carol.answerPull(asked, { maxAncestors: Number.NaN })).toHaveLength(1)
    expect(carol.answerPull(asked, { maxAncestors: 2 ** 60 })).toHaveLength(1) // no filter: no ancestors
    expect(carol.answerPull(asked, { maxAncestors: 1.5, have: new Uint8Array(3) })).toHaveLength(1)
  })
})

describe('deep repair in the model: a partition backlog', () => {
  /** Virtual ms after the heal until every node holds every message; deep repair on or off. */
  function healTime (maxPullAncestors: number): number {
    const net = new ModelNetwork({ seed: 11, nodes: 10, latencyMs: 20, jitterMs: 5, channelOptions: { maxPullAncestors } })
    net.runFor(1_000)
    net.partition([['p0', 'p1', 'p2', 'p3', 'p4'], ['p5', 'p6', 'p7', 'p8', 'p9']])
    for (let i = 0; i < 200; i++) net.at(1_000 + i * 50, () => net.send(`p${i % 10}`, `x${i}`))
    net.runUntil(12_000)
    net.heal()
    // What a host does when its links come back (the room driver's sync on join): the bare
    // cores of this model have no membership, so the test says it for them.
    for (let i = 0; i < 10; i++) net.node(`p${i}`).participant.channel.syncSoon(net.now, 200)
    const healedAt = net.now
    expect(net.runUntilTrue(() => net.allDelivered(), 60_000, 50)).toBe(true)
    return net.now - healedAt
  }

  it('converges after the heal, faster with ancestors than one causal history per round trip', () => {
    const deep = healTime(40)
    const shallow = healTime(0)
    expect(deep).toBeLessThan(shallow)
    expect(deep).toBeLessThan(3_000)
  })
})
