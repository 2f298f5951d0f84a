/**
 * The chat store: message history per room, the reliability state needed to restart,
 * and the nick, in the datastore shared with libp2p (key layout in keys.ts).
 *
 * Write path (event-based; no full snapshots):
 * - `appendOwn(room, msg)`: an own message, written durably (fsync, group-committed)
 *   together with an "unacknowledged" marker, BEFORE the driver publishes it or shows it
 *   as sent. So a message shown as sent survives `kill -9` (and a power cut).
 * - `appendDelivered(room, msg, signed?)`: every other delivered content message, with
 *   its signed gossipsub record; not fsync'ed (a message lost by a crash is pulled
 *   again from peers), so receiving stays cheap.
 * - `saveState(room, channel.snapshot({ messages: false, seen: false }))`: a small record
 *   with the Lamport high-water mark and resend counts, called periodically and on stop.
 *   It also clears the markers of own messages acknowledged (or given up on) by then.
 * Ids are deterministic and keys are derived from them, so writing a message twice is
 * harmless and a restart never duplicates one.
 *
 * Read path: `loadRoom(room)` returns the newest messages, the ids to dedup beyond
 * them, the unacknowledged own messages (every marker still present: an extra resend
 * after a crash is harmless, a missing one would lose a message) and the clock, in the
 * shape `ReliableChannel.restore(…, now)` takes. `getMessages(room, ids)` answers
 * pulls for messages older than the channel's in-memory store.
 */
import { P2pchatError } from '../errors.js'
import { isMessageId, type MessageId, type ReliableMessage, type RestoreInput, type UnackedSnapshot } from '../reliability/index.js'
import { rootMessage, storeCorrupt, storeError, type StoreLocation } from './errors.js'
import { GroupCommit } from './group-commit.js'
import { checkFormat, decodeNick, decodeRoomState, decodeText, encodeJson, type RoomState } from './json-records.js'
import { isLamportHex, lamportHex, PROFILE_KEY, RoomKeys } from './keys.js'
import type { Kv, KvOp } from './kv.js'
import { decodeStored, encodeStored, RecordError, type StoredEntry, type StoredSignature } from './record-codec.js'
import { DEFAULT_RETENTION, MEMORY_RETENTION, pruneRoom, type RetentionOptions } from './retention.js'

/** Options of a chat store. */
export interface ChatStoreOptions {
  /** Retention limits (retention.ts): DEFAULT_RETENTION on disk, MEMORY_RETENTION in memory. */
  retention: RetentionOptions
  /** fsync own messages: durable against power loss, not only a killed process. @default true */
  syncOwnWrites: boolean
  /** Wall clock (ms). @default Date.now */
  now: () => number
  /** One-line diagnostics. */
  log: (line: string) => void
}

/** What `ChatStore.open` takes: every option optional, retention limits one by one. */
export type ChatStoreInit = Partial<Omit<ChatStoreOptions, 'retention'>> & { retention?: Partial<RetentionOptions> }

/** What `loadRoom` reads. */
export interface LoadRoomOptions {
  /** Newest messages to load in full (pass the channel's `storeMaxMessages`). @default 1000 */
  messages?: number
  /** Further ids to load for dedup only (keys, no values). @default 19000 */
  seen?: number
}

/** A room read back at start-up. */
export interface LoadedRoom {
  /** The newest messages in canonical order, with their signed records (show them as history). */
  entries: StoredEntry[]
  /** Input for `ReliableChannel.restore(loaded.restore, now)`. */
  restore: RestoreInput
  /** The last saved state, if any. */
  state?: RoomState
}

/** Message history and restart state of every room of one profile. */
export class ChatStore {
  readonly options: ChatStoreOptions
  /** Records found damaged by `getMessages` (skipped there, reported by the log). */
  corruptRecords = 0
  private readonly durable: GroupCommit
  private readonly appends = new Map<string, number>()
  private readonly deletes = new Map<string, number>()
  private readonly pending = new Set<Promise<unknown>>()
  private retention: Promise<void> = Promise.resolve()
  private closed = false

  private constructor (readonly kv: Kv, readonly location: StoreLocation, options: ChatStoreInit) {
    this.options = {
      syncOwnWrites: true,
      now: () => Date.now(),
      log: () => {},
      ...options,
      retention: { ...(kv.persistent ? DEFAULT_RETENTION : MEMORY_RETENTION), ...options.retention }
    }
    this.durable = new GroupCommit(kv, this.options.syncOwnWrites && kv.persistent)
  }

  /** Opens the store on a backend: checks (or writes) the format record. */
  static async open (kv: Kv, location: StoreLocation, options: ChatStoreInit = {}): Promise<ChatStore> {
    const store = new ChatStore(kv, location, options)
    await checkFormat(kv, location, store.options.now())
    return store
  }

  /** The datastore to hand to libp2p (`createLibp2p({ datastore })`). */
  get datastore (): Kv['datastore'] {
    return this.kv.datastore
  }

  /** Durably stores an own content message; resolves once it is on disk. Publish only after. */
  async appendOwn (room: string, msg: ReliableMessage): Promise<void> {
    this.assertOpen()
    if (msg.kind !== 'content') return
    const keys = new RoomKeys(room)
    const ops = this.messageOps(keys, msg, undefined)
    ops.push({ type: 'put', key: keys.unackedOf(msg.messageId), value: new TextEncoder().encode(lamportHex(msg.lamport)) })
    await this.track(this.durable.write(ops), 'saving your message')
    this.noteAppend(keys)
  }

  /** Stores a delivered content message (not fsync'ed), with its signed record if known. */
  async appendDelivered (room: string, msg: ReliableMessage, signed?: StoredSignature): Promise<void> {
    this.assertOpen()
    if (msg.kind !== 'content') return
    const keys = new RoomKeys(room)
    await this.track(this.kv.write(this.messageOps(keys, msg, signed), false), 'saving a message')
    this.noteAppend(keys)
  }

  /** Saves the room's reliability state and clears the markers of settled own messages. */
  async saveState (room: string, state: { lamport: number, unacked: readonly UnackedSnapshot[], notConfirmed?: readonly MessageId[] }): Promise<void> {
    this.assertOpen()
    const keys = new RoomKeys(room)
    const record: RoomState = {
      v: 1,
      lamport: state.lamport,
      unacked: state.unacked.map((u) => ({ messageId: u.messageId, resends: u.resends })),
      ...(state.notConfirmed !== undefined && state.notConfirmed.length > 0 ? { notConfirmed: [...state.notConfirmed] } : {}),
      savedAt: this.options.now()
    }
    const work = async (): Promise<void> => {
      const still = new Set(record.unacked.map((u) => u.messageId))
      const ops: KvOp[] = [{ type: 'put', key: keys.state, value: encodeJson(record) }]
      for await (const [key, value] of this.kv.entries({ prefix: keys.unacked })) {
        const id = keys.idOf(key, keys.unacked)
        const hex = decodeText(value)
        // Only markers the snapshot can speak for: own messages sent before it was taken.
        if (id !== undefined && !still.has(id) && isLamportHex(hex) && parseInt(hex, 16) <= record.lamport) ops.push({ type: 'del', key })
      }
      await this.kv.write(ops, false)
    }
    await this.track(work(), 'saving the room state')
  }

  /** The stored messages with these ids (those found, in request order). */
  async getMessages (room: string, ids: readonly MessageId[]): Promise<StoredEntry[]> {
    this.assertOpen()
    const keys = new RoomKeys(room)
    const out: StoredEntry[] = []
    const asked = new Set<MessageId>()
    try {
      for (const id of ids) {
        if (!isMessageId(id) || asked.has(id)) continue
        asked.add(id)
        const hex = await this.kv.get(keys.indexOf(id))
        if (hex === undefined) continue
        const bytes = await this.kv.get(keys.messageAt(decodeText(hex), id))
        if (bytes === undefined) continue
        try {
          out.push(decodeStored(bytes, room, id))
        } catch (err) {
          if (!(err instanceof RecordError)) throw err
          this.corruptRecords++
          this.options.log(`store: skipped a damaged record of ${id} in ${room}: ${err.message}`)
        }
      }
    } catch (err) {
      throw storeError(this.location, 'reading messages', err)
    }
    return out
  }

  /** The newest `limit` messages of a room, in canonical order. Damage: STORE_CORRUPT. */
  async loadRecent (room: string, limit: number): Promise<StoredEntry[]> {
    this.assertOpen()
    const keys = new RoomKeys(room)
    const out: StoredEntry[] = []
    if (limit <= 0) return out
    try {
      for await (const [key, value] of this.kv.entries({ prefix: keys.messages, reverse: true, limit })) {
        out.push(this.decodeAt(keys, key, value))
      }
    } catch (err) {
      throw storeError(this.location, 'loading the history', err)
    }
    return out.reverse()
  }

  /** Reads a room for `ReliableChannel.restore` (see the module header). Damage: STORE_CORRUPT. */
  async loadRoom (room: string, options: LoadRoomOptions = {}): Promise<LoadedRoom> {
    const keys = new RoomKeys(room)
    const entries = await this.loadRecent(room, options.messages ?? 1_000)
    try {
      const state = await this.readState(keys)
      const messages = entries.map((e) => e.message)
      const held = new Set(messages.map((m) => m.messageId))
      const seen: Array<{ messageId: MessageId, at: number }> = []
      const oldest = entries[0]
      if (oldest !== undefined) {
        const below = keys.message(oldest.message.lamport, oldest.message.messageId)
        for await (const key of this.kv.keys({ prefix: keys.messages, lt: below, reverse: true, limit: options.seen ?? 19_000 })) {
          const parsed = keys.parseMessageKey(key)
          if (parsed === undefined) throw storeCorrupt(this.location, `bad key ${key}`)
          seen.push({ messageId: parsed.id, at: parsed.lamport })
        }
        seen.reverse()
      }
      const resends = new Map((state?.unacked ?? []).map((u) => [u.messageId, u.resends]))
      const unacked: UnackedSnapshot[] = []
      for await (const [key, value] of this.kv.entries({ prefix: keys.unacked })) {
        const id = keys.idOf(key, keys.unacked)
        const hex = decodeText(value)
        if (id === undefined || !isLamportHex(hex)) throw storeCorrupt(this.location, `bad marker ${key}`)
        if (!held.has(id)) {
          const bytes = await this.kv.get(keys.messageAt(hex, id))
          if (bytes === undefined) continue // pruned by retention
          messages.push(this.decodeAt(keys, keys.messageAt(hex, id), bytes).message)
          held.add(id)
        }
        unacked.push({ messageId: id, resends: resends.get(id) ?? 0 })
      }
      const restore: RestoreInput = { messages, unacked, seen, notConfirmed: state?.notConfirmed ?? [] }
      if (state !== undefined) restore.lamport = state.lamport
      this.scheduleRetention(keys)
      return state === undefined ? { entries, restore } : { entries, restore, state }
    } catch (err) {
      throw storeError(this.location, 'loading the room', err)
    }
  }

  /** The saved nick, if any. */
  async getNick (): Promise<string | undefined> {
    this.assertOpen()
    const bytes = await this.kv.get(PROFILE_KEY).catch((err) => { throw storeError(this.location, 'reading the profile', err) })
    return bytes === undefined ? undefined : decodeNick(bytes, this.location)
  }

  /** Saves the nick. */
  async setNick (nick: string): Promise<void> {
    this.assertOpen()
    await this.track(this.kv.write([{ type: 'put', key: PROFILE_KEY, value: encodeJson({ nick }) }], false), 'saving the nick')
  }

  /** Runs a retention pass on a room now; returns the messages deleted. */
  async enforceRetention (room: string): Promise<number> {
    this.assertOpen()
    const keys = new RoomKeys(room)
    let deleted = 0
    const run = this.retention.then(async () => { deleted = await this.prune(keys) })
    this.retention = run.catch(() => {})
    await run.catch((err) => { throw storeError(this.location, 'pruning old messages', err) })
    return deleted
  }

  /** Waits for every write and retention pass in flight. */
  async flush (): Promise<void> {
    await Promise.allSettled([...this.pending])
    await this.retention
  }

  /** Refuses new writes, flushes, and closes the backend. Safe to call twice. */
  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.flush()
    await this.kv.close()
  }

  // --- internals -------------------------------------------------------------

  private messageOps (keys: RoomKeys, msg: ReliableMessage, signed: StoredSignature | undefined): KvOp[] {
    if (msg.channelId !== keys.room) throw new P2pchatError('IO_FAILED', `message of channel "${msg.channelId}" given for room "${keys.room}"`)
    const key = keys.message(msg.lamport, msg.messageId)
    return [
      { type: 'put', key, value: encodeStored(msg, this.options.now(), signed) },
      { type: 'put', key: keys.indexOf(msg.messageId), value: new TextEncoder().encode(lamportHex(msg.lamport)) }
    ]
  }

  private decodeAt (keys: RoomKeys, key: string, value: Uint8Array): StoredEntry {
    const parsed = keys.parseMessageKey(key)
    if (parsed === undefined) throw storeCorrupt(this.location, `bad key ${key}`)
    try {
      const entry = decodeStored(value, keys.room, parsed.id)
      if (entry.message.lamport !== parsed.lamport) throw new RecordError(`record of ${parsed.id} has the wrong Lamport value`)
      return entry
    } catch (err) {
      if (err instanceof RecordError) throw storeCorrupt(this.location, `bad record of ${parsed.id}: ${err.message}`, err)
      throw err
    }
  }

  private async readState (keys: RoomKeys): Promise<RoomState | undefined> {
    const bytes = await this.kv.get(keys.state)
    return bytes === undefined ? undefined : decodeRoomState(bytes, this.location, keys.room)
  }

  private noteAppend (keys: RoomKeys): void {
    const n = (this.appends.get(keys.room) ?? 0) + 1
    this.appends.set(keys.room, n)
    if (n >= this.options.retention.checkEveryAppends) this.scheduleRetention(keys)
  }

  private scheduleRetention (keys: RoomKeys): void {
    this.appends.set(keys.room, 0)
    if (this.closed) return
    this.retention = this.retention.then(async () => {
      if (!this.closed) await this.prune(keys)
    }).catch((err) => {
      this.options.log(`store: retention pass on ${keys.room} failed: ${rootMessage(err)}`)
    })
  }

  private async prune (keys: RoomKeys): Promise<number> {
    const deleted = await pruneRoom(this.kv, keys, this.options.retention, this.options.now())
    const total = (this.deletes.get(keys.room) ?? 0) + deleted
    if (total >= this.options.retention.compactAfterDeletes) {
      await this.kv.compact(keys.prefix)
      this.deletes.set(keys.room, 0)
    } else {
      this.deletes.set(keys.room, total)
    }
    return deleted
  }

  private async track (work: Promise<void>, action: string): Promise<void> {
    this.pending.add(work)
    try {
      await work
    } catch (err) {
      throw storeError(this.location, action, err)
    } finally {
      this.pending.delete(work)
    }
  }

  private assertOpen (): void {
    if (this.closed) throw new P2pchatError('IO_FAILED', `the message store of profile "${this.location.profile}" is closed`)
  }
}
