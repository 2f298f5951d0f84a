/**
 * The small ordered key-value interface the chat store needs (batched writes with an
 * fsync flag, ordered range scans forwards and backwards, range compaction), over the
 * one datastore that libp2p also uses: LevelDB (`datastore-level`, whose `db` handle
 * gives range iteration, `sync` writes and `compactRange`) on disk, or datastore-core's
 * `MemoryDatastore` for `--ephemeral` (scans sort in memory; sizes are small there).
 * Keys are ASCII strings; a range is a key prefix narrowed by optional bounds.
 */
import { MemoryDatastore } from 'datastore-core'
import { Key, type Datastore } from 'interface-datastore'
import type { LevelDatastore } from 'datastore-level'

/** One write of a batch. */
export type KvOp = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

/** Keys starting with `prefix`, optionally narrowed to [gte, lt), in key order or reversed. */
export interface KvRange {
  prefix: string
  gte?: string
  gt?: string
  lt?: string
  reverse?: boolean
  limit?: number
}

/** What the chat store needs from a backend. */
export interface Kv {
  /** The datastore to hand to libp2p (`createLibp2p({ datastore })`). */
  readonly datastore: Datastore
  /** True for the on-disk backend. */
  readonly persistent: boolean
  get: (key: string) => Promise<Uint8Array | undefined>
  /** Applies the ops atomically; `sync` = fsync before resolving (durable against power loss). */
  write: (ops: KvOp[], sync: boolean) => Promise<void>
  entries: (range: KvRange) => AsyncIterable<[string, Uint8Array]>
  keys: (range: KvRange) => AsyncIterable<string>
  /** Compacts the key range of `prefix`, reclaiming the space of deleted entries. */
  compact: (prefix: string) => Promise<void>
  close: () => Promise<void>
}

/** Sorts above every ASCII key. */
const TOP = '\uffff'

function bounds (range: KvRange): { gte?: string, gt?: string, lt: string } {
  const lt = range.lt !== undefined && range.lt < range.prefix + TOP ? range.lt : range.prefix + TOP
  if (range.gt !== undefined && range.gt >= range.prefix) return { gt: range.gt, lt }
  return { gte: range.gte !== undefined && range.gte > range.prefix ? range.gte : range.prefix, lt }
}

/** LevelDB through datastore-level's `db` handle. */
export class LevelKv implements Kv {
  readonly persistent = true

  constructor (readonly datastore: LevelDatastore) {}

  async get (key: string): Promise<Uint8Array | undefined> {
    return (await this.datastore.db.get(key)) ?? undefined
  }

  async write (ops: KvOp[], sync: boolean): Promise<void> {
    if (ops.length === 0) return
    await this.datastore.db.batch(ops, { sync })
  }

  async * entries (range: KvRange): AsyncIterable<[string, Uint8Array]> {
    const it = this.datastore.db.iterator({ ...bounds(range), reverse: range.reverse === true, limit: range.limit ?? -1 })
    try {
      for await (const [key, value] of it) yield [key, value]
    } finally {
      await it.close()
    }
  }

  async * keys (range: KvRange): AsyncIterable<string> {
    const it = this.datastore.db.keys({ ...bounds(range), reverse: range.reverse === true, limit: range.limit ?? -1 })
    try {
      for await (const key of it) yield key
    } finally {
      await it.close()
    }
  }

  async compact (prefix: string): Promise<void> {
    // classic-level has compactRange; the `level` typings (shared with the browser) omit it.
    const db = this.datastore.db as unknown as { compactRange?: (start: string, end: string) => Promise<void> }
    if (typeof db.compactRange === 'function') await db.compactRange(prefix, prefix + TOP)
  }

  async close (): Promise<void> {
    await this.datastore.close()
  }
}

/** datastore-core's MemoryDatastore (nothing on disk). */
export class MemoryKv implements Kv {
  readonly persistent = false

  constructor (readonly datastore: MemoryDatastore = new MemoryDatastore()) {}

  async get (key: string): Promise<Uint8Array | undefined> {
    try {
      return await this.datastore.get(new Key(key))
    } catch (err) {
      if ((err as Error).name === 'NotFoundError') return undefined
      throw err
    }
  }

  async write (ops: KvOp[]): Promise<void> {
    const batch = this.datastore.batch()
    for (const op of ops) {
      // A copy (new Uint8Array; Buffer's slice is a view): an encoder's output is often a view
      // into a shared 8 KiB pool (protobufjs), which a kept view would pin per stored record.
      if (op.type === 'put') batch.put(new Key(op.key), new Uint8Array(op.value))
      else batch.delete(new Key(op.key))
    }
    await batch.commit()
  }

  async * entries (range: KvRange): AsyncIterable<[string, Uint8Array]> {
    for (const key of await this.select(range)) {
      const value = await this.get(key)
      if (value !== undefined) yield [key, value]
    }
  }

  async * keys (range: KvRange): AsyncIterable<string> {
    yield * await this.select(range)
  }

  async compact (): Promise<void> {}

  async close (): Promise<void> {}

  private async select (range: KvRange): Promise<string[]> {
    const b = bounds(range)
    const keys: string[] = []
    for await (const k of this.datastore.queryKeys({ prefix: range.prefix })) {
      const key = k.toString()
      if (!key.startsWith(range.prefix) || key >= b.lt) continue
      if (b.gte !== undefined ? key < b.gte : key <= (b.gt as string)) continue
      keys.push(key)
    }
    keys.sort()
    if (range.reverse === true) keys.reverse()
    return range.limit !== undefined && range.limit >= 0 ? keys.slice(0, range.limit) : keys
  }
}
