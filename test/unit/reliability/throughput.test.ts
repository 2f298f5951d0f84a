/**
 * A long stream through one receiver: every message is delivered once, in
 * canonical order, with bounded state. How fast this runs is measured in the
 * benchmark suite (`npm run bench -- core`), never asserted here.
 */
import { describe, expect, it } from 'vitest'
import { ReliableChannel, type ReliableMessage } from '../../../src/reliability/index.js'
import { bytes } from './helpers.js'

function stream (count: number): ReliableMessage[] {
  const senders = Array.from({ length: 4 }, (_, i) => new ReliableChannel(`s${i}`, 'room'))
  const out: ReliableMessage[] = []
  for (let i = 0; i < count; i++) {
    const from = senders[i % senders.length]
    const msg = from.send(bytes(`line ${i} of the stream`), 1_000_000 + i)
    out.push(msg)
    for (const s of senders) if (s !== from) s.receive(msg, 1_000_000 + i)
    if (i % 500 === 0) for (const s of senders) { s.drainEvents(); s.drainOutgoing() }
  }
  return out
}

describe('a long stream', () => {
  it('delivers 20,000 messages exactly once with bounded buffers', () => {
    const messages = stream(20_000)
    const receiver = new ReliableChannel('receiver', 'room')
    receiver.tick(0)
    let delivered = 0
    for (let i = 0; i < messages.length; i++) {
      receiver.receive(messages[i], 1_000_000 + i)
      if (i % 100 === 0) {
        delivered += receiver.drainEvents().filter(e => e.type === 'in:delivered').length
        receiver.tick(1_000_000 + i)
        receiver.drainOutgoing()
      }
    }
    delivered += receiver.drainEvents().filter(e => e.type === 'in:delivered').length
    expect(delivered).toBe(messages.length)
    const status = receiver.status()
    expect(status.delivered).toBe(messages.length)
    expect(status.buffered).toBe(0)
    expect(status.missing).toBe(0)
    expect(receiver.history(5).map(m => m.messageId)).toEqual(messages.slice(-5).map(m => m.messageId))
  })
})
