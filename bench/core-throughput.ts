/**
 * The reliability core's throughput: messages received and delivered per
 * second by one participant, fed a pre-built stream from 4 (and 100) senders.
 * Measured over a short and a long stream to show the cost does not grow with
 * the log.
 */

import { performance } from 'node:perf_hooks'
import { ReliableChannel, type ReliableMessage } from '../src/reliability/index.js'

function stream (count: number, senders: number): ReliableMessage[] {
  const channels = Array.from({ length: senders }, (_, i) => new ReliableChannel(`s${i}`, 'room'))
  const out: ReliableMessage[] = []
  const text = new TextEncoder()
  for (let i = 0; i < count; i++) {
    const from = channels[i % senders]
    const msg = from.send(text.encode(`line ${i} of the stream`), 1_000_000 + i)
    out.push(msg)
    // each sender hears the previous few messages so histories interleave like a real room
    for (let k = 1; k <= Math.min(3, senders - 1); k++) channels[(i + k) % senders].receive(msg, 1_000_000 + i)
    if (i % 500 === 0) for (const c of channels) { c.drainEvents(); c.drainOutgoing(); c.drainPulls() }
  }
  return out
}

function rate (messages: ReliableMessage[]): number {
  const receiver = new ReliableChannel('receiver', 'room')
  receiver.tick(0)
  const start = performance.now()
  for (let i = 0; i < messages.length; i++) {
    receiver.receive(messages[i], 1_000_000 + i)
    if (i % 100 === 0) { receiver.drainEvents(); receiver.tick(1_000_000 + i); receiver.drainOutgoing(); receiver.drainPulls() }
  }
  receiver.drainEvents()
  const seconds = (performance.now() - start) / 1000
  if (receiver.status().delivered !== messages.length) throw new Error(`delivered ${receiver.status().delivered} of ${messages.length}`)
  return messages.length / seconds
}

/** Runs the throughput benchmark. */
export async function runCoreThroughput (): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const lines = ['core throughput: one ReliableChannel receiving and delivering a pre-built stream (receive + deliver + periodic tick)']
  const figures: Record<string, number> = {}
  for (const senders of [4, 100]) {
    const messages = stream(40_000, senders)
    rate(messages.slice(0, 5_000)) // warm up the JIT
    const samples = [rate(messages.slice(0, 10_000)), rate(messages.slice(0, 10_000)), rate(messages)]
    figures[`senders${senders}_10k`] = Math.round(Math.max(samples[0], samples[1]))
    figures[`senders${senders}_40k`] = Math.round(samples[2])
    lines.push(`  ${senders} senders: ${Math.round(Math.max(samples[0], samples[1])).toLocaleString('en')} msg/s over 10k, ${Math.round(samples[2]).toLocaleString('en')} msg/s over 40k  (target: >= 50,000)`)
  }
  return { lines, figures }
}
