import { afterEach, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from '@libp2p/interface'
import { createChatNode } from '../../src/node/create-node.js'
import { handleRepair, pullFrom, REPAIR_PROTOCOL, type PullAsk } from '../../src/room/repair-protocol.js'
import { schema } from '../../src/wire/index.js'

let nodes: Libp2p[] = []
afterEach(async () => { await Promise.all(nodes.map(async n => { await n.stop() })); nodes = [] })

const id = (n: number): string => n.toString(16).padStart(32, '0')

/** Two real nodes on loopback; the second serves pulls and records every ask it decoded. */
async function pair (): Promise<{ client: Libp2p, server: Libp2p, asks: PullAsk[] }> {
  const client = await createChatNode()
  const server = await createChatNode()
  nodes.push(client, server)
  const asks: PullAsk[] = []
  await handleRepair(server, async (ask) => { asks.push(ask); return [] }, 5_000, () => {})
  await client.dial(server.getMultiaddrs()[0])
  return { client, server, asks }
}

describe('repair protocol on the wire', () => {
  it('carries a deep pull (max_ancestors and the requester\'s filter) and a plain one without them', async () => {
    const { client, server, asks } = await pair()
    const have = new Uint8Array(513).fill(7)
    await pullFrom(client, server.peerId, { channelId: 'x', ids: [id(1), id(2)], maxAncestors: 40, have, minLamport: 1_764_500_000_123 }, 5_000)
    await pullFrom(client, server.peerId, { channelId: 'x', ids: [id(3)], maxAncestors: 0 }, 5_000)
    await pullFrom(client, server.peerId, { channelId: 'x', ids: [id(4)], maxAncestors: 40 }, 5_000) // no filter: sent plain
    const plain = asks.map(a => ({ ...a, ...(a.have !== undefined ? { have: Array.from(a.have) } : {}) }))
    expect(plain).toEqual([
      { channelId: 'x', ids: [id(1), id(2)], maxAncestors: 40, have: Array.from(have), minLamport: 1_764_500_000_123 },
      { channelId: 'x', ids: [id(3)], maxAncestors: 0 },
      { channelId: 'x', ids: [id(4)], maxAncestors: 0 }
    ])
  })

  it('clamps an absurd max_ancestors from a hand-made request to the per-request id limit', async () => {
    const { client, server, asks } = await pair()
    const stream = await client.dialProtocol(server.peerId, REPAIR_PROTOCOL)
    const lp = lpStream(stream)
    await lp.write(schema.PullRequest.encode({ channelId: 'x', messageIds: [new Uint8Array(16)], maxAncestors: 4_000_000_000, haveFilter: new Uint8Array([1, 2]) }).finish())
    const answer = schema.PullResponse.decode((await lp.read()).subarray()) as unknown as { records?: unknown[] }
    expect(answer.records ?? []).toEqual([])
    expect(asks).toHaveLength(1)
    expect(asks[0].maxAncestors).toBe(100)
    expect(Array.from(asks[0].have ?? [])).toEqual([1, 2])
  })
})
