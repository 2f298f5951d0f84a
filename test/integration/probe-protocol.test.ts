/**
 * The probe protocol on real libp2p nodes on loopback: a direct ping, an indirect probe that
 * reaches the target through a helper (ack), one that cannot once the target is gone (nack),
 * a helper that is itself gone (failed), and a malformed request refused and counted.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import { createChatNode, type ChatNode } from '../../src/node/create-node.js'
import { handleProbe, pingPeer, probeVia, PROBE_PROTOCOL, type ProbeFailure } from '../../src/room/probe-protocol.js'
import { waitFor } from '../support/wait.js'

let nodes: ChatNode[] = []
afterEach(async () => { await Promise.all(nodes.map(async n => { await n.stop() })); nodes = [] })

/** a — helper — target, each pair connected; the helper serves the probe protocol. */
async function trio (): Promise<{ a: ChatNode, helper: ChatNode, target: ChatNode, failures: ProbeFailure[] }> {
  const [a, helper, target] = [await createChatNode(), await createChatNode(), await createChatNode()]
  nodes.push(a, helper, target)
  const failures: ProbeFailure[] = []
  await handleProbe(helper, reason => { failures.push(reason) })
  await a.dial(helper.getMultiaddrs()[0])
  await a.dial(target.getMultiaddrs()[0])
  await helper.dial(target.getMultiaddrs()[0])
  return { a, helper, target, failures }
}

describe('probe protocol on the wire', () => {
  it('pings a neighbour directly, and through a helper', async () => {
    const { a, helper, target } = await trio()
    expect(await pingPeer(a, target.peerId, 2_000)).toBe(true)
    expect(await probeVia(a, helper.peerId, target.peerId.toString(), 1_000, 3_000)).toBe('ack')
  })

  it('pings of one peer at once all succeed: our probe, a helper\'s ping for others, and a plain libp2p ping beside them', async () => {
    // libp2p's ping allows 1 outbound stream per connection by default: a second ping failed at once.
    const { a, helper, target } = await trio()
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.all([
        pingPeer(a, target.peerId, 2_000),
        pingPeer(a, target.peerId, 2_000),
        probeVia(a, helper.peerId, target.peerId.toString(), 1_000, 3_000),
        probeVia(target, helper.peerId, a.peerId.toString(), 1_000, 3_000).catch(() => 'failed'),
        a.services.ping.ping(target.peerId, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false)
      ])
      expect(outcomes.slice(0, 3)).toEqual([true, true, 'ack'])
      expect(outcomes[4]).toBe(true)
    }
  })

  it('a helper that cannot reach the target says so (nack); a helper that is gone does not answer (failed)', async () => {
    const { a, helper, target } = await trio()
    await target.stop()
    expect(await pingPeer(a, target.peerId, 1_000)).toBe(false)
    expect(await probeVia(a, helper.peerId, target.peerId.toString(), 500, 3_000)).toBe('nack')
    await helper.stop()
    expect(await probeVia(a, helper.peerId, target.peerId.toString(), 500, 1_000)).toBe('failed')
  })

  it('refuses a request that names no peer id, and counts it', async () => {
    const { a, helper, failures } = await trio()
    const stream = await a.dialProtocol(helper.peerId, PROBE_PROTOCOL)
    await lpStream(stream).write(Uint8Array.of(0x0a, 0x03, 1, 2, 3, 0x10, 0x64))
    await waitFor(() => failures.length > 0, 'the helper to count the malformed request', 5_000)
    expect(failures).toEqual(['malformed'])
  })
})
