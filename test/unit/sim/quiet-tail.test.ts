/**
 * The quiet tail, through the room driver in the model network: a line that bloom filters
 * acknowledged but no later message names must still reach the peers that lost it in
 * seconds, not at the next sync (~30 s).
 */
import { describe, expect, it } from 'vitest'
import { ModelNetwork } from '../../../src/sim/model-network.js'
import { encodeChatContent } from '../../../src/wire/index.js'
import type { ChannelOptions } from '../../../src/reliability/index.js'

const line = (text: string): Uint8Array => encodeChatContent({ nick: 'x', text, action: false })

/** Runs the traced case; returns when p3 and p4 delivered the tail line (undefined: not within 20 s). */
function tailCase (channelOptions: Partial<ChannelOptions> = {}): { p3?: number, p4?: number, acknowledged: boolean } {
  const net = new ModelNetwork({ seed: 1, nodes: 5, latencyMs: 20, jitterMs: 0, participant: 'driver', presence: false, channelOptions })
  // first reaches p3 and p4 only; tail (which names first) reaches p1 and p2 only.
  net.setLinkDrop('p0', 'p1', 1)
  net.setLinkDrop('p0', 'p2', 1)
  const first = net.send('p0', line('first'))
  net.setLinkDrop('p0', 'p1', 0)
  net.setLinkDrop('p0', 'p2', 0)
  net.runFor(10)
  net.setLinkDrop('p0', 'p3', 1)
  net.setLinkDrop('p0', 'p4', 1)
  const tail = net.send('p0', line('tail'))
  net.setLinkDrop('p0', 'p3', 0)
  net.setLinkDrop('p0', 'p4', 0)
  expect(tail.causalHistory.map(h => h.messageId)).toContain(first.messageId)
  // p1 and p2 hold the tail (in their bloom filters) but cannot deliver it before pulling
  // first, so what they say meanwhile acknowledges it without naming it.
  net.runFor(70)
  net.send('p1', line('from p1'))
  net.send('p2', line('from p2'))
  let acknowledged = false
  net.runFor(100)
  acknowledged = net.node('p0').participant.channel.status().unacknowledged === 1 // only first is still unacknowledged
  net.runFor(20_000)
  const at = (id: string): number | undefined => {
    const node = net.node(id)
    const i = node.delivered.findIndex(e => e.message.messageId === tail.messageId)
    return i < 0 ? undefined : node.deliveredAt[i]
  }
  return { p3: at('p3'), p4: at('p4'), acknowledged }
}

describe('the quiet tail, through the room driver in the model network', () => {
  it('a line acknowledged by bloom filters but named by nothing later reaches the peers that lost it in seconds', () => {
    const pushed = tailCase()
    expect(pushed.acknowledged).toBe(true)
    expect(pushed.p3).toBeLessThan(3_000)
    expect(pushed.p4).toBeLessThan(3_000)
    // The syncs by which p1 and p2 acknowledge the line once they deliver it name it too.
    const acksAlone = tailCase({ maxTailPushes: 0 })
    expect(acksAlone.p3).toBeLessThan(3_000)
    expect(acksAlone.p4).toBeLessThan(3_000)
    // Without either, they would learn of it only from a sync about 30 s later.
    const without = tailCase({ maxTailPushes: 0, ackSyncMs: 0 })
    expect(without.acknowledged).toBe(true)
    expect(without.p3).toBeUndefined()
    expect(without.p4).toBeUndefined()
  })
})
