import { describe, expect, it, vi } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { RepairService } from '../../../src/room/repair-service.js'
import { DropCounter } from '../../../src/room/drop-counter.js'
import type { RoomDriver } from '../../../src/room/driver.js'
import type { InboundGate } from '../../../src/room/inbound-gate.js'
import type { ChatNode } from '../../../src/node/create-node.js'

const key = await generateKeyPair('Ed25519')
const self = peerIdFromPrivateKey(key)
const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

/** A node with no connections whose dials fail at once. */
const unreachableNode = {
  peerId: self,
  getConnections: () => [],
  dialProtocol: async () => { throw new Error('unreachable') }
} as unknown as ChatNode

describe('the repair service', () => {
  it('reports the outcome of every attempt to the driver, also of one made before it serves', async () => {
    const outcomes: string[] = []
    const driver = {
      selfId: self.toString(),
      pullFailed: (pullId: number) => { outcomes.push(`failed ${pullId}`) },
      pullAnswered: (pullId: number) => { outcomes.push(`answered ${pullId}`) }
    } as unknown as RoomDriver
    let flushed = 0
    const repair = new RepairService({
      node: unreachableNode, privateKey: key, topic: 't', driver, gate: {} as unknown as InboundGate, drops: new DropCounter(),
      pullTimeoutMs: 1000, now: () => 0, log: () => {}, flush: () => { flushed++ }
    })
    // Not started: a room's first pulls can come before the repair protocol is registered.
    repair.attempt({ pullId: 7, target: other.toString(), ask: { channelId: 't', ids: ['00'.repeat(16)], maxAncestors: 0 } })
    repair.attempt({ pullId: 8, target: 'not a peer id', ask: { channelId: 't', ids: ['00'.repeat(16)], maxAncestors: 0 } })
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(outcomes.sort()).toEqual(['failed 7', 'failed 8'])
    expect(flushed).toBe(2)
  })

  it('ignores outcomes once stopped', async () => {
    const outcomes: string[] = []
    const driver = { selfId: self.toString(), pullFailed: (id: number) => { outcomes.push(`failed ${id}`) } } as unknown as RoomDriver
    const node = { ...unreachableNode, unhandle: async () => {} } as unknown as ChatNode
    const repair = new RepairService({
      node, privateKey: key, topic: 't', driver, gate: {} as unknown as InboundGate, drops: new DropCounter(),
      pullTimeoutMs: 1000, now: () => 0, log: () => {}, flush: () => {}
    })
    repair.attempt({ pullId: 1, target: other.toString(), ask: { channelId: 't', ids: ['00'.repeat(16)], maxAncestors: 0 } })
    await repair.stop()
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(outcomes).toEqual([])
  })

  it('injected repair loss: a lost attempt is never made and fails after the pull timeout; stop cancels it', async () => {
    vi.useFakeTimers()
    try {
      const outcomes: string[] = []
      let dials = 0
      const node = { ...unreachableNode, dialProtocol: async () => { dials++; throw new Error('unreachable') } } as unknown as ChatNode
      const driver = { selfId: self.toString(), pullFailed: (id: number) => { outcomes.push(`failed ${id}`) } } as unknown as RoomDriver
      const repair = new RepairService({
        node, privateKey: key, topic: 't', driver, gate: {} as unknown as InboundGate, drops: new DropCounter(),
        pullTimeoutMs: 3000, lossy: () => true, now: () => 0, log: () => {}, flush: () => {}
      })
      const ask = { channelId: 't', ids: ['00'.repeat(16)], maxAncestors: 0 }
      repair.attempt({ pullId: 1, target: other.toString(), ask })
      await vi.advanceTimersByTimeAsync(2999)
      expect(outcomes).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      expect(outcomes).toEqual(['failed 1'])
      expect(dials).toBe(0)
      repair.attempt({ pullId: 2, target: other.toString(), ask })
      await repair.stop()
      await vi.advanceTimersByTimeAsync(5000)
      expect(outcomes).toEqual(['failed 1'])
    } finally {
      vi.useRealTimers()
    }
  })
})
