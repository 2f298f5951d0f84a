/**
 * Retention: per room, at most `maxMessagesPerRoom` messages (the canonically oldest go
 * first) and none older than `maxAgeMs` by Lamport timestamp (ms since the epoch at
 * send time). A pass runs after every `checkEveryAppends` appends to a room and once
 * after a room is loaded, so a room may briefly hold up to `checkEveryAppends` extra
 * messages. Deleted entries leave LevelDB tombstones; after `compactAfterDeletes`
 * deletions the room's key range is compacted, so the disk stays bounded.
 */
import type { Kv, KvOp } from './kv.js'
import type { RoomKeys } from './keys.js'

/** Retention limits. */
export interface RetentionOptions {
  /** Messages kept per room. @default 10000 */
  maxMessagesPerRoom: number
  /** Messages older than this are deleted (ms, by Lamport timestamp). @default 30 days */
  maxAgeMs: number
  /** Appends to a room between two retention passes. @default 500 */
  checkEveryAppends: number
  /** Deletions in a room after which its key range is compacted. @default 2000 */
  compactAfterDeletes: number
}

/** The defaults, and why. */
export const DEFAULT_RETENTION: Readonly<RetentionOptions> = Object.freeze({
  // Ten times the in-memory store (1,000): deep scrollback and pull answers, ~10 MB a room.
  maxMessagesPerRoom: 10_000,
  // A month of a quiet room; a busy one hits the count limit first.
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
  // 5 % slack over the count limit; a pass then walks ~10k keys, a few ms.
  checkEveryAppends: 500,
  // Compaction rewrites the room's range; batching it keeps the write amplification low.
  compactAfterDeletes: 2_000
})

/**
 * The defaults of the memory backend (`--ephemeral`), where the kept history is held in RAM:
 * each kept message costs about 1.3 KB of heap and array buffers there (the record with its
 * signed copy, its keys, the index entry), so 10,000 would grow a long session's memory by
 * ~13 MB a room; 2,000 is twice the reliability core's own window (pulls, `/history`).
 */
export const MEMORY_RETENTION: Readonly<RetentionOptions> = Object.freeze({
  ...DEFAULT_RETENTION,
  maxMessagesPerRoom: 2_000,
  // The same 5 % slack over the count limit as on disk.
  checkEveryAppends: 100
})

const CHUNK = 1_000

/**
 * Deletes what is over the limits in one room; returns how many messages were deleted.
 * The room's messages are counted by its id index (one small entry per message, written and
 * deleted with it), and only the oldest excess message keys are read: a pass no longer walks
 * every message record, which on disk read (and mapped into memory) the whole room each time.
 */
export async function pruneRoom (kv: Kv, keys: RoomKeys, limits: RetentionOptions, now: number): Promise<number> {
  const cutoff = keys.messagesFrom(Math.max(0, now - limits.maxAgeMs))
  const doomed: string[] = []
  for await (const key of kv.keys({ prefix: keys.messages, lt: cutoff })) doomed.push(key)
  let held = 0
  for await (const _ of kv.keys({ prefix: keys.index })) held++
  const excess = held - doomed.length - limits.maxMessagesPerRoom
  if (excess > 0) {
    for await (const key of kv.keys({ prefix: keys.messages, gte: cutoff, limit: excess })) doomed.push(key)
  }
  for (let i = 0; i < doomed.length; i += CHUNK) {
    const ops: KvOp[] = []
    for (const key of doomed.slice(i, i + CHUNK)) {
      ops.push({ type: 'del', key })
      const parsed = keys.parseMessageKey(key)
      if (parsed === undefined) continue
      ops.push({ type: 'del', key: keys.indexOf(parsed.id) }, { type: 'del', key: keys.unackedOf(parsed.id) })
    }
    await kv.write(ops, false)
  }
  return doomed.length
}
