/**
 * The store's event-based write path in the model network: one peer persists what its
 * channel produces (own sends with appendOwn, other deliveries with appendDelivered, a
 * state record every second) into a chat store; it crashes twice, and each time comes
 * back from `loadRoom` + `restore`. It must converge with the others, never deliver a
 * restored message again, and get the line it said just before a crash through.
 */
import { describe, expect, it } from 'vitest'
import { ReliableChannel, type MessageId, type ReliableMessage } from '../../../src/reliability/index.js'
import { checkCanonicalAgreement } from '../../../src/sim/invariants.js'
import { ModelNetwork } from '../../../src/sim/model-network.js'
import { openStore, type ChatStore } from '../../../src/store/index.js'

const options = { jitter: 0.25 }

async function run (seed: number): Promise<void> {
  const victim = 'p1'
  let store: ChatStore | undefined
  const writes: Array<Promise<void>> = []
  const net = new ModelNetwork({
    seed,
    nodes: 4,
    dropRate: 0.1,
    duplicateRate: 0.1,
    reorderRate: 0.2,
    channelOptions: options,
    onEvent: (node, event) => {
      if (node !== victim || store === undefined || event.type !== 'in:delivered' || event.message.kind !== 'content') return
      const msg = event.message
      writes.push(msg.senderId === victim ? store.appendOwn(net.options.channelId, msg) : store.appendDelivered(net.options.channelId, msg))
    }
  })
  store = await openStore({ profile: 'sim', now: () => net.now })
  const room = net.options.channelId
  const step = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 1_000) {
      net.runFor(Math.min(1_000, ms - t))
      if (net.node(victim).alive) await store?.saveState(room, net.node(victim).channel.snapshot({ messages: false, seen: false }))
      await Promise.all(writes.splice(0))
    }
  }
  const restored = new Set<MessageId>()
  const lonely: ReliableMessage[] = []
  let i = 0
  const chat = (): void => {
    const alive = net.ids.filter((id) => net.node(id).alive)
    net.send(alive[i % alive.length], `m${i++}`)
  }
  for (let cycle = 0; cycle < 2; cycle++) {
    for (let k = 0; k < 10; k++) { chat(); await step(700) }
    net.isolate(victim)
    lonely.push(net.send(victim, `said just before crash ${cycle}`))
    await step(50)
    net.crash(victim)
    net.heal()
    for (let k = 0; k < 5; k++) { chat(); await step(900) }
    net.restart(victim)
    const loaded = await store.loadRoom(room)
    for (const m of loaded.restore.messages ?? []) restored.add(m.messageId)
    const channel = ReliableChannel.fromSnapshot(victim, room, options, loaded.restore, net.now)
    net.node(victim).channel = channel
    for (const m of loaded.restore.messages ?? []) expect(channel.receive(m, net.now).status).toBe('dropped') // no re-delivery
    expect(net.node(victim).channel.status().unacknowledged).toBeGreaterThanOrEqual(1)
  }
  for (const id of net.ids) net.send(id, `after ${id}`)
  const all = [...net.sent.keys()]
  let done = false
  for (let t = 0; t < 20 * 60 && !done; t++) {
    await step(1_000)
    done = net.all().every((n) => { const held = new Set(n.channel.history().map((m) => m.messageId)); return all.every((id) => held.has(id)) })
  }
  for (const m of lonely) expect(restored.has(m.messageId)).toBe(true)
  expect(net.node(victim).delivered.filter((e) => restored.has(e.message.messageId))).toEqual([])
  expect(checkCanonicalAgreement(net)).toEqual([])
  expect(done).toBe(true)
  await store.close()
}

describe('a peer that persists through the chat store and restarts from it', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('converges with the others (seed %i)', async (seed) => {
    await run(seed)
  })
})
