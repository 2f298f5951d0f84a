import { describe, expect, it } from 'vitest'
import { checkCausality, checkExactlyOnce } from '../../../src/sim/invariants.js'
import { ModelNetwork } from '../../../src/sim/model-network.js'

/** A network whose four founders exchanged `count` messages, then went quiet. */
function busyRoom (count: number, catchUpLimit?: number): ModelNetwork {
  const net = new ModelNetwork({ seed: 7, nodes: ['a', 'b', 'c', 'd'], channelOptions: { catchUpLimit } })
  for (let i = 0; i < count; i++) net.at(i * 100, () => net.send(['a', 'b', 'c', 'd'][i % 4], `line ${i}`))
  net.runFor(count * 100 + 2_000)
  return net
}

describe('late joiner catch-up (chat2-reliable: "New node synchronization")', () => {
  it('fetches the named history plus at most catchUpLimit older messages: the recent past', () => {
    const net = busyRoom(300)
    const newbie = net.join('newbie')
    net.send('a', 'welcome')
    net.runFor(20_000)
    const reference = net.node('a').channel.history().map((m) => m.messageId)
    const got = newbie.channel.history().map((m) => m.messageId)
    // 1 new message + its 10 named dependencies + catchUpLimit (100) older ones
    expect(got).toHaveLength(111)
    // the most recent 100 lines are exactly the room's; the oldest fetched edge may be ragged
    expect(got.slice(-100)).toEqual(reference.slice(-100))
    expect(got.every((id) => reference.slice(-130).includes(id))).toBe(true)
    expect(newbie.lost).toEqual([])
    expect(checkCausality(newbie)).toEqual([])
    const beyond = newbie.delivered.flatMap((e) => e.beyondCatchUp ?? [])
    expect(beyond.length).toBeGreaterThan(0)
    expect(beyond.every((id) => !got.includes(id))).toBe(true)
    expect(newbie.channel.status()).toMatchObject({ buffered: 0, missing: 0 })
  })

  it('honours a smaller catchUpLimit exactly', () => {
    const net = new ModelNetwork({ seed: 3, nodes: ['a', 'b'], channelOptions: (id) => id === 'late' ? { catchUpLimit: 20 } : {} })
    for (let i = 0; i < 100; i++) net.at(i * 100, () => net.send(i % 2 === 0 ? 'a' : 'b', `line ${i}`))
    net.runFor(12_000)
    const late = net.join('late')
    net.send('b', 'hello late')
    net.runFor(10_000)
    expect(late.channel.history()).toHaveLength(1 + 10 + 20)
  })

  it('catches up from a sync message in a quiet room, and then delivers everything new', () => {
    const net = busyRoom(50)
    const newbie = net.join('newbie')
    net.runFor(10 * 60_000) // nobody types; the heartbeat sync reaches the newbie
    const caughtUp = newbie.channel.history().length
    expect(caughtUp).toBeGreaterThanOrEqual(10)
    const fresh = [net.send('b', 'one'), net.send('c', 'two')].map((m) => m.messageId)
    net.runFor(5_000)
    expect(checkExactlyOnce(newbie, fresh)).toEqual([])
    expect(checkCausality(newbie)).toEqual([])
  })

  it('a restarted participant loses its state, catches up like a joiner, and its Lamport stays monotonic', () => {
    const net = busyRoom(40)
    const before = net.node('d').channel.history().filter((m) => m.senderId === 'd').map((m) => m.lamport)
    net.crash('d')
    net.send('a', 'while d is down')
    net.runFor(1_000)
    net.restart('d')
    const d = net.node('d')
    expect(d.incarnation).toBe(1)
    expect(d.channel.history()).toEqual([])
    const after = net.send('d', 'back')
    expect(after.lamport).toBeGreaterThan(Math.max(...before))
    net.send('b', 'welcome back')
    net.runFor(10_000)
    const reference = net.node('a').channel.history().map((m) => m.messageId)
    const got = d.channel.history().map((m) => m.messageId)
    expect(got).toEqual(reference.slice(-got.length))
    expect(got.length).toBeGreaterThanOrEqual(12)
    expect(net.node('a').channel.history().map((m) => m.messageId)).toContain(after.messageId)
    expect(checkCausality(d)).toEqual([])
  })
})
