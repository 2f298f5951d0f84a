/**
 * RainTree in the model network (the pure cores the live path runs, over the model's lossy,
 * delayed links): alone, every participant gets one copy of a message; with a share of silent
 * participants and the reliability core's repair, everyone still delivers everything; beside the
 * flat broadcast the copies add up.
 */
import { describe, expect, it } from 'vitest'
import { ModelNetwork } from '../../../src/sim/model-network.js'

function run (n: number, raintree: { alsoFlat: boolean, nonForwarding: number } | undefined, messages = 5, seed = 3): ModelNetwork {
  const net = new ModelNetwork({ seed, nodes: n, participant: 'core', ...(raintree === undefined ? {} : { raintree: { ...raintree, core: {} } }) })
  for (let i = 0; i < messages; i++) net.at(net.now + i * 200, () => { net.send(`p${(i * 7) % n}`, `line ${i}`) })
  net.runFor(60_000)
  return net
}

describe('RainTree in the model network', () => {
  it('alone, with everyone forwarding: one copy a participant a message, and everyone delivers', () => {
    const net = run(81, { alsoFlat: false, nonForwarding: 0 })
    expect(net.all().every(n => n.deliveredCount === 5)).toBe(true)
    // Every message broadcast (the lines and the core's syncs; a resend of an id RainTree already
    // carried is not sent again on it) went to each of the 80 others once, and was ACKed.
    expect(net.metrics.treeCopies % 80).toBe(0)
    expect(net.metrics.treeCopies).toBeGreaterThanOrEqual(5 * 80)
    expect(net.metrics.treeAcks).toBe(net.metrics.treeCopies)
  })

  it('with 30 % silent participants, the ACK timeouts and repair still bring every line to everyone', () => {
    const net = run(60, { alsoFlat: false, nonForwarding: 0.3 })
    expect(net.all().every(n => n.deliveredCount === 5)).toBe(true)
  })

  it('beside the flat broadcast, both carry copies; the core takes each message once', () => {
    const flat = run(30, undefined)
    const both = run(30, { alsoFlat: true, nonForwarding: 0 })
    expect(both.all().every(n => n.deliveredCount === 5)).toBe(true)
    expect(both.metrics.copies).toBe(flat.metrics.copies + both.metrics.treeCopies)
  })
})
