/**
 * Lines carry when they were sent (the Lamport ms, never after arrival) and when they
 * arrived, live and in `/history`: `/history` no longer stamps every line with the time it runs.
 */
import { describe, expect, it } from 'vitest'
import { RoomDriver } from '../../../src/room/index.js'

function driver (id: string): RoomDriver {
  return new RoomDriver(id, 'times', { nick: id, announcePresence: false, presence: { peerIdToBytes: p => new TextEncoder().encode(p) } })
}

describe('line times', () => {
  it('live and in /history: sentAt from the sender, receivedAt from us', () => {
    const alice = driver('alice')
    const bob = driver('bob')
    alice.start(0)
    bob.start(0)
    const sent = alice.send('written at 5 s', false, 5_000)
    bob.receive(sent, 65_000) // held up for a minute
    const live = bob.ready().events.find(e => e.type === 'message')?.detail
    expect(live).toMatchObject({ sentAt: 5_000, receivedAt: 65_000 })
    const [inHistory] = bob.history(10, 600_000)
    expect(inHistory).toMatchObject({ sentAt: 5_000, receivedAt: 65_000, history: true })
    const [own] = alice.history(10, 600_000)
    expect(own).toMatchObject({ sentAt: 5_000, receivedAt: 5_000 })
  })

  it('a Lamport value ahead of our clock (a fast peer) shows as the arrival time, not the future', () => {
    const alice = driver('alice')
    const bob = driver('bob')
    alice.start(0)
    bob.start(0)
    const sent = alice.send('from the future', false, 200_000)
    bob.receive(sent, 100_000)
    expect(bob.history(10, 100_500)[0]).toMatchObject({ lamport: 200_000, sentAt: 100_000, receivedAt: 100_000 })
  })
})
