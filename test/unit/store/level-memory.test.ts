import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, type ChatStore } from '../../../src/store/index.js'
import { WRITE_BUFFER_BYTES } from '../../../src/store/open-store.js'
import type { LevelKv } from '../../../src/store/kv.js'
import { ROOM, talk, tempDir } from './helpers.js'

/** LevelDB's own count of the memory it holds: its memtables and its block cache (bytes). */
function levelMemory (store: ChatStore): number {
  const db = (store.kv as LevelKv).datastore.db as unknown as { getProperty: (name: string) => string }
  return Number(db.getProperty('leveldb.approximate-memory-usage'))
}

describe('LevelDB memory of the store', () => {
  it('holds at most two 1 MiB write buffers, however much is written', async () => {
    expect(WRITE_BUFFER_BYTES).toBe(1024 * 1024)
    const store = await openStore({ profile: 't', path: join(await tempDir(), 'store'), now: () => 2_000_000 })
    let most = 0
    for (const m of talk(4_000)) { // ~4 MiB of records and index entries
      await store.appendDelivered(ROOM, m)
      most = Math.max(most, levelMemory(store))
    }
    await store.close()
    expect(most).toBeGreaterThan(WRITE_BUFFER_BYTES / 2)
    expect(most).toBeLessThan(2.5 * WRITE_BUFFER_BYTES)
  })

  it('range scans (a retention pass over the whole room) leave the block cache alone (classic-level iterators do not fill it)', async () => {
    const path = join(await tempDir(), 'store')
    const first = await openStore({ profile: 't', path, now: () => 2_000_000 })
    for (const m of talk(2_000)) await first.appendDelivered(ROOM, m)
    await first.close()
    const store = await openStore({ profile: 't', path, now: () => 2_000_000 }) // the log is now a table
    const before = levelMemory(store)
    expect(await store.enforceRetention(ROOM)).toBe(0) // walks every message key of the room
    expect((await store.loadRecent(ROOM, 1_000)).length).toBe(1_000)
    expect(levelMemory(store) - before).toBeLessThan(64 * 1024)
    await store.close()
  })
})
