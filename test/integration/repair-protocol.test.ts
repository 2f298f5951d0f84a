import { afterEach, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from '@libp2p/interface'
import { createChatNode } from '../../src/node/create-node.js'
import { classifyRepairFailure, handleRepair, pullFrom, REPAIR_PROTOCOL, type PullAsk, type RepairFailure } from '../../src/room/repair-protocol.js'
import { schema } from '../../src/wire/index.js'
import { waitFor } from '../support/wait.js'

let nodes: Libp2p[] = []
afterEach(async () => { await Promise.all(nodes.map(async n => { await n.stop() })); nodes = [] })

const id = (n: number): string => n.toString(16).padStart(32, '0')

/** Two real nodes on loopback; the second serves pulls and records every ask it decoded. */
async function pair (): Promise<{ client: Libp2p, server: Libp2p, asks: PullAsk[], failures: RepairFailure[] }> {
  const client = await createChatNode()
  const server = await createChatNode()
  nodes.push(client, server)
  const asks: PullAsk[] = []
  const failures: RepairFailure[] = []
  await handleRepair(server, async (ask) => { asks.push(ask); return [] }, 20_000, () => {}, reason => { failures.push(reason) })
  await client.dial(server.getMultiaddrs()[0])
  return { client, server, asks, failures }
}

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs)

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

  // The prefix bytes are written and the stream is left open: a reader that waits for more
  // (lpStream 7.4.1 reads on, one byte at a time) would end only by the 20 s timeout.
  it.each([
    ['an unterminated prefix (ff ff ff ff)', bytes(0xff, 0xff, 0xff, 0xff)],
    ['a valid but overlong 10-byte varint (80 x 9, 01)', bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)]
  ])('the server ends a stream with %s at once, counted as malformed-length', async (_what, prefix) => {
    const { client, server, asks, failures } = await pair()
    const stream = await client.dialProtocol(server.peerId, REPAIR_PROTOCOL)
    stream.send(prefix)
    await waitFor(() => failures.length > 0, 'the server refusing the prefix')
    expect(failures).toEqual(['malformed-length'])
    expect(asks).toEqual([])
  })

  it('the server refuses a prefix claiming more than 8 KiB as oversized, without reading the body', async () => {
    const { client, server, asks, failures } = await pair()
    const stream = await client.dialProtocol(server.peerId, REPAIR_PROTOCOL)
    stream.send(bytes(0xa8, 0x46)) // 9,000
    await waitFor(() => failures.length > 0, 'the server refusing the length')
    expect(failures).toEqual(['oversized-frame'])
    expect(asks).toEqual([])
  })

  it('a client refuses an answer with a malformed prefix at once, and says why', async () => {
    const client = await createChatNode()
    const server = await createChatNode()
    nodes.push(client, server)
    await server.handle(REPAIR_PROTOCOL, async (stream) => { stream.send(bytes(0xff, 0xff, 0xff, 0xff, 0xff)) })
    await client.dial(server.getMultiaddrs()[0])
    const err = await pullFrom(client, server.peerId, { channelId: 'x', ids: [id(1)], maxAncestors: 0 }, 20_000).then(() => undefined, (e: unknown) => e)
    expect(classifyRepairFailure(err)).toBe('malformed-length')
    expect((err as Error).message).toMatch(/^malformed length prefix: more than 3 bytes for frames of at most 1048576 bytes$/)
  })
})
