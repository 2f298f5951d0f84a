/**
 * Where a committee member keeps what Raft requires it to remember across restarts (term,
 * vote, log, snapshot), saved from each `Ready` before its messages go out. In the profile's
 * store, under the room's keys:
 *
 *   /p2pchat/r/<room>/c/hard             JSON { term, vote?, commit }
 *   /p2pchat/r/<room>/c/snap             JSON { index, term, members, data (base64) }
 *   /p2pchat/r/<room>/c/e/<index>        JSON { index, term, kind, data (base64), members? }
 *
 * <index> is 14 lowercase hex digits, so entries scan in log order. Each save is one atomic,
 * fsynced batch: a member never sends a vote or an acknowledgement it could forget.
 */
import { P2pchatError } from '../errors.js'
import type { Entry, HardState, RaftStorage, Ready, Snapshot } from '../consensus/index.js'
import { lamportHex, RoomKeys } from './keys.js'
import type { Kv, KvOp } from './kv.js'

/** A member's durable Raft state. */
export interface CommitteeStorage {
  /** What was saved, for a restart. Damage: STORE_CORRUPT. */
  load: () => Promise<RaftStorage>
  /** Saves a Ready's snapshot, entries and hard state; resolves when they are durable. */
  save: (ready: Ready) => Promise<void>
  /** Records the application's own snapshot after a local compaction (the log up to it goes). */
  compacted: (snapshot: Snapshot) => Promise<void>
}

/** Plain state a store works on. */
interface State { hardState?: HardState, snapshot?: Snapshot, entries: Entry[] }

/** Applies a Ready to a plain copy of the state (the rules of `Ready`, in one place). */
export function applyReady (state: State, ready: Ready): void {
  if (ready.snapshot !== undefined) {
    state.snapshot = ready.snapshot
    state.entries = []
  }
  if (ready.entries.length > 0) {
    const from = ready.entries[0].index
    state.entries = state.entries.filter(e => e.index < from).concat(ready.entries)
  }
  if (ready.hardState !== undefined) state.hardState = ready.hardState
}

/** Keeps the state in memory (tests and `--ephemeral`): lost when the process ends. */
export class MemoryCommitteeStorage implements CommitteeStorage {
  private readonly state: State = { entries: [] }

  async load (): Promise<RaftStorage> {
    return { ...this.state, entries: [...this.state.entries] }
  }

  async save (ready: Ready): Promise<void> {
    applyReady(this.state, ready)
  }

  async compacted (snapshot: Snapshot): Promise<void> {
    this.state.snapshot = snapshot
    this.state.entries = this.state.entries.filter(e => e.index > snapshot.index)
  }
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')

function entryRecord (e: Entry): Uint8Array {
  return json({ index: e.index, term: e.term, kind: e.kind, data: b64(e.data), ...(e.members === undefined ? {} : { members: e.members }) })
}

function snapshotRecord (s: Snapshot): Uint8Array {
  return json({ index: s.index, term: s.term, members: s.members, data: b64(s.data) })
}

/** The committee's state in the profile's key-value store. */
export class KvCommitteeStorage implements CommitteeStorage {
  private readonly prefix: string
  private readonly hardKey: string
  private readonly snapKey: string
  private readonly entryPrefix: string

  constructor (private readonly kv: Kv, room: string) {
    this.prefix = `${new RoomKeys(room).prefix}c/`
    this.hardKey = `${this.prefix}hard`
    this.snapKey = `${this.prefix}snap`
    this.entryPrefix = `${this.prefix}e/`
  }

  async load (): Promise<RaftStorage> {
    const hard = await this.kv.get(this.hardKey)
    const snap = await this.kv.get(this.snapKey)
    const entries: Entry[] = []
    for await (const [key, value] of this.kv.entries({ prefix: this.entryPrefix })) entries.push(this.parseEntry(key, value))
    const snapshot = snap === undefined ? undefined : this.parseSnapshot(snap)
    for (let i = 1; i < entries.length; i++) {
      if (entries[i].index !== entries[i - 1].index + 1) this.corrupt(`committee log has a gap before entry ${entries[i].index}`)
    }
    return {
      ...(hard === undefined ? {} : { hardState: this.parseHard(hard) }),
      ...(snapshot === undefined ? {} : { snapshot }),
      entries: entries.filter(e => e.index > (snapshot?.index ?? 0))
    }
  }

  async save (ready: Ready): Promise<void> {
    const ops: KvOp[] = []
    if (ready.snapshot !== undefined) {
      for await (const key of this.kv.keys({ prefix: this.entryPrefix })) ops.push({ type: 'del', key })
      ops.push({ type: 'put', key: this.snapKey, value: snapshotRecord(ready.snapshot) })
    }
    if (ready.entries.length > 0) {
      if (ready.snapshot === undefined) {
        for await (const key of this.kv.keys({ prefix: this.entryPrefix, gte: this.entryKey(ready.entries[0].index) })) ops.push({ type: 'del', key })
      }
      for (const e of ready.entries) ops.push({ type: 'put', key: this.entryKey(e.index), value: entryRecord(e) })
    }
    if (ready.hardState !== undefined) ops.push({ type: 'put', key: this.hardKey, value: json(ready.hardState) })
    if (ops.length > 0) await this.kv.write(ops, true)
  }

  async compacted (snapshot: Snapshot): Promise<void> {
    const ops: KvOp[] = [{ type: 'put', key: this.snapKey, value: snapshotRecord(snapshot) }]
    for await (const key of this.kv.keys({ prefix: this.entryPrefix, lt: this.entryKey(snapshot.index + 1) })) ops.push({ type: 'del', key })
    await this.kv.write(ops, true)
  }

  private entryKey (index: number): string {
    return this.entryPrefix + lamportHex(index)
  }

  private read (value: Uint8Array, what: string): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value))
      if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>
    } catch {}
    return this.corrupt(`${what} is not a JSON record`)
  }

  private parseHard (value: Uint8Array): HardState {
    const r = this.read(value, 'committee term and vote')
    if (!isCount(r.term) || !isCount(r.commit) || (r.vote !== undefined && typeof r.vote !== 'string')) this.corrupt('committee term and vote record is damaged')
    return { term: r.term as number, commit: r.commit as number, ...(r.vote === undefined ? {} : { vote: r.vote as string }) }
  }

  private parseSnapshot (value: Uint8Array): Snapshot {
    const r = this.read(value, 'committee snapshot')
    if (!isCount(r.index) || !isCount(r.term) || !isMembers(r.members) || typeof r.data !== 'string') this.corrupt('committee snapshot record is damaged')
    return { index: r.index as number, term: r.term as number, members: r.members as string[], data: new Uint8Array(Buffer.from(r.data as string, 'base64')) }
  }

  private parseEntry (key: string, value: Uint8Array): Entry {
    const r = this.read(value, `committee log entry ${key}`)
    const kinds = ['command', 'config', 'noop']
    if (!isCount(r.index) || !isCount(r.term) || !kinds.includes(r.kind as string) || typeof r.data !== 'string' || key !== this.entryKey(r.index as number)) this.corrupt(`committee log entry ${key} is damaged`)
    if (r.kind === 'config' && !isMembers(r.members)) this.corrupt(`committee log entry ${key} has no member list`)
    const base = { index: r.index as number, term: r.term as number, kind: r.kind as Entry['kind'], data: new Uint8Array(Buffer.from(r.data as string, 'base64')) }
    return r.kind === 'config' ? { ...base, members: r.members as string[] } : base
  }

  private corrupt (detail: string): never {
    throw new P2pchatError('STORE_CORRUPT', `the profile's store is damaged: ${detail}; run with --repair to set it aside and start afresh`)
  }
}

function isCount (n: unknown): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
}

function isMembers (m: unknown): boolean {
  return Array.isArray(m) && m.length > 0 && m.every(x => typeof x === 'string')
}
