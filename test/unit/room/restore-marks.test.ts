/**
 * Own lines keep their marks across a restart: acknowledged ones show ✓, ones given up on
 * show ✗ (and still turn ✓ on a late acknowledgement), unacknowledged ones go out again.
 */
import { describe, expect, it } from 'vitest'
import { RoomDriver } from '../../../src/room/index.js'
import type { ReliableMessage } from '../../../src/reliability/index.js'

const ROOM = 'marks'
/** A driver for a model peer id (presence needs the id's bytes). */
function driver (id: string, channel = {}): RoomDriver {
  return new RoomDriver(id, ROOM, { nick: id, announcePresence: false, channel, presence: { peerIdToBytes: p => new TextEncoder().encode(p) } })
}

describe('own-line marks after a restart', () => {
  it('are ✓ for acknowledged lines, ✗ for lines given up on, pending for unacknowledged ones', () => {
    const before = driver('alice', { maxResendAttempts: 0 })
    before.start(0)
    const acked = before.send('heard', false, 100)
    const lost = before.send('unheard', false, 200)
    const pending = before.send('in flight', false, 300)
    const entries = [acked, lost, pending].map((message: ReliableMessage) => ({ message, storedAt: message.lamport }))
    const after = driver('alice')
    const lines = after.restore({
      messages: entries.map(e => e.message),
      unacked: [{ messageId: pending.messageId, resends: 0 }],
      notConfirmed: [lost.messageId]
    }, entries, 10_000)
    expect(lines.map(l => [l.text, l.state])).toEqual([['heard', 'confirmed'], ['unheard', 'not-confirmed'], ['in flight', 'pending']])
    after.start(10_000)
    after.ready()
    // bob names the line given up on: ✗ turns ✓.
    const bob = driver('bob')
    bob.start(10_000)
    bob.membership(['alice'], ['alice'], 10_000)
    after.membership(['bob'], ['bob'], 10_000)
    for (const e of entries) bob.receive(e.message, 10_010, 'carol')
    const reply = bob.send('I have them all', false, 10_100)
    after.receive(reply, 10_120)
    const states = after.ready().events.filter(e => e.type === 'message:state').map(e => e.detail)
    expect(states).toContainEqual({ id: lost.messageId, state: 'confirmed' })
  })
})
