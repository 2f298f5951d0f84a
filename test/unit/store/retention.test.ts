import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RETENTION, MEMORY_RETENTION, openStore } from '../../../src/store/index.js'
import { MemoryKv, type Kv, type KvRange } from '../../../src/store/kv.js'
import { RoomKeys } from '../../../src/store/keys.js'
import { DEFAULT_RETENTION as LIMITS, pruneRoom } from '../../../src/store/retention.js'
import { dirSize, ROOM, talk, tempDir } from './helpers.js'

const DAY = 24 * 60 * 60 * 1000

describe('retention', () => {
  it('keeps at most the limit per room (oldest go first), also in memory', async () => {
    const store = await openStore({ profile: 't', retention: { maxMessagesPerRoom: 50, checkEveryAppends: 10 }, now: () => 2_000_000 })
    const msgs = talk(200)
    for (const m of msgs) await store.appendDelivered(ROOM, m)
    await store.flush()
    const kept = await store.loadRecent(ROOM, 1_000)
    expect(kept.length).toBeGreaterThanOrEqual(50)
    expect(kept.length).toBeLessThanOrEqual(60)
    expect(await store.enforceRetention(ROOM)).toBe(kept.length - 50)
    expect((await store.loadRecent(ROOM, 1_000)).map((e) => e.message)).toEqual(msgs.slice(-50))
    expect(await store.getMessages(ROOM, [msgs[0].messageId])).toEqual([])
    await store.close()
  })

  it('holds at most MEMORY_RETENTION (2,000) messages a room in memory by default, DEFAULT_RETENTION on disk', async () => {
    expect(MEMORY_RETENTION.maxMessagesPerRoom).toBe(2_000)
    const store = await openStore({ profile: 't', now: () => 2_000_000 })
    expect(store.options.retention).toEqual(MEMORY_RETENTION)
    const msgs = talk(2_500)
    for (const m of msgs) await store.appendDelivered(ROOM, m)
    await store.flush()
    const held = (await store.loadRecent(ROOM, 10_000)).length
    expect(held).toBeGreaterThanOrEqual(2_000)
    expect(held).toBeLessThanOrEqual(2_000 + MEMORY_RETENTION.checkEveryAppends)
    await store.enforceRetention(ROOM)
    expect((await store.loadRecent(ROOM, 10_000)).map((e) => e.message)).toEqual(msgs.slice(-2_000))
    await store.close()
    const disk = await openStore({ profile: 't', path: join(await tempDir(), 'store') })
    expect(disk.options.retention).toEqual(DEFAULT_RETENTION)
    await disk.close()
  })

  it('a pass reads the index and only the excess message keys, not every message of the room', async () => {
    const kv: Kv = new MemoryKv()
    const store = await openStore({ profile: 't', retention: { checkEveryAppends: 1_000_000 }, now: () => 2_000_000 })
    const msgs = talk(1_000)
    for (const m of msgs) await store.appendDelivered(ROOM, m)
    // The store's records, read through a backend that counts the message keys a scan yields.
    for await (const [key, value] of store.kv.entries({ prefix: '/' })) await kv.write([{ type: 'put', key, value }], false)
    const keys = new RoomKeys(ROOM)
    let messageKeysRead = 0
    const keysOf = kv.keys.bind(kv)
    kv.keys = async function * (range: KvRange) {
      for await (const key of keysOf(range)) {
        if (key.startsWith(keys.messages)) messageKeysRead++
        yield key
      }
    }
    expect(await pruneRoom(kv, keys, { ...LIMITS, maxMessagesPerRoom: 900 }, 2_000_000)).toBe(100)
    expect(messageKeysRead).toBe(100)
    expect(await pruneRoom(kv, keys, { ...LIMITS, maxMessagesPerRoom: 900 }, 2_000_000)).toBe(0)
    expect(messageKeysRead).toBe(100)
    const left = []
    for await (const key of keysOf({ prefix: keys.messages })) left.push(keys.parseMessageKey(key)?.id)
    expect(left).toEqual(msgs.slice(100).map((m) => m.messageId))
    await store.close()
  })

  it('deletes messages older than maxAgeMs (by Lamport timestamp)', async () => {
    let now = 40 * DAY
    const store = await openStore({ profile: 't', path: join(await tempDir(), 'store'), now: () => now })
    const old = talk(10, 5 * DAY)
    const recent = talk(10, 35 * DAY)
    for (const m of [...old, ...recent]) await store.appendDelivered(ROOM, m)
    expect(await store.enforceRetention(ROOM)).toBe(10)
    expect((await store.loadRecent(ROOM, 100)).map((e) => e.message)).toEqual(recent)
    now = 70 * DAY
    expect(await store.enforceRetention(ROOM)).toBe(10)
    await store.close()
  })

  it('disk stays bounded: writing 3x and 6x the limit takes about the space of 1x', async () => {
    const path = join(await tempDir(), 'store')
    const store = await openStore({
      profile: 't',
      path,
      now: () => 2_000_000,
      retention: { maxMessagesPerRoom: 2_000, checkEveryAppends: 200, compactAfterDeletes: 1_000 }
    })
    const msgs = talk(12_000)
    const sizes: number[] = []
    for (let i = 0; i < msgs.length; i++) {
      await store.appendDelivered(ROOM, msgs[i])
      if (i + 1 === 2_000 || i + 1 === 6_000 || i + 1 === 12_000) {
        await store.flush()
        sizes.push(await dirSize(path))
      }
    }
    expect((await store.loadRecent(ROOM, 10_000)).length).toBeLessThanOrEqual(2_200)
    await store.close()
    console.log(`retention: store size after 1x/3x/6x the limit of 2000: ${sizes.map((s) => `${(s / 1024).toFixed(0)} KiB`).join(' / ')}`)
    expect(sizes[1]).toBeLessThan(2 * sizes[0])
    expect(sizes[2]).toBeLessThan(2 * sizes[0])
  })
})
