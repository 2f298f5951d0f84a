/**
 * Direct messages in the profile's store: every message of every conversation (both ways, with
 * its delivery state), the direct-message core's state (streams, what waits), and the ignored
 * peers. JSON records under `/p2pchat/d/` (keys.ts has the layout). Own lines are written with
 * fsync before they are sent, like room lines.
 */
import type { DirectLine, DirectSnapshot, DirectState } from '../direct/index.js'
import { P2pchatError } from '../errors.js'
import type { Kv } from './kv.js'
import { encodeJson } from './json-records.js'
import { lamportHex, ROOT } from './keys.js'

const PREFIX = `${ROOT}d/`
const STATE_KEY = `${PREFIX}state`
const IGNORED_KEY = `${PREFIX}ignored`
const MESSAGES = `${PREFIX}m/`

function parse<T> (bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as T
  } catch (err) {
    throw new P2pchatError('STORE_CORRUPT', `the stored ${what} is not readable JSON`, { cause: err })
  }
}

/** Direct messages of one profile. */
export class DirectStore {
  /** Where each stored line is, by id (own lines change state). */
  private readonly keys = new Map<string, string>()

  constructor (private readonly kv: Kv) {}

  /** The core's saved state, if any. */
  async loadState (): Promise<DirectSnapshot | undefined> {
    const bytes = await this.kv.get(STATE_KEY)
    return bytes === undefined ? undefined : parse<DirectSnapshot>(bytes, 'direct-message state')
  }

  /** Saves the core's state (`sync`: durably, before an own message goes out). */
  async saveState (snapshot: DirectSnapshot, sync = false): Promise<void> {
    await this.kv.write([{ type: 'put', key: STATE_KEY, value: encodeJson(snapshot) }], sync)
  }

  /** Stores a line of the conversation with `line.peer`. */
  async append (line: DirectLine, sync = false): Promise<void> {
    const key = `${MESSAGES}${line.peer}/${lamportHex(line.receivedAt)}${line.id}`
    this.keys.set(line.id, key)
    await this.kv.write([{ type: 'put', key, value: encodeJson(line) }], sync)
  }

  /** Records an own line's new state. */
  async setState (id: string, peer: string, state: DirectState): Promise<void> {
    const key = this.keys.get(id) ?? await this.find(id, peer)
    if (key === undefined) return
    const bytes = await this.kv.get(key)
    if (bytes === undefined) return
    await this.kv.write([{ type: 'put', key, value: encodeJson({ ...parse<DirectLine>(bytes, 'direct message'), state }) }], false)
  }

  /** The last `limit` lines with `peer`, oldest first. */
  async history (peer: string, limit: number): Promise<DirectLine[]> {
    const out: DirectLine[] = []
    for await (const [key, value] of this.kv.entries({ prefix: `${MESSAGES}${peer}/`, reverse: true, limit })) {
      const line = parse<DirectLine>(value, 'direct message')
      this.keys.set(line.id, key)
      out.push(line)
    }
    return out.reverse()
  }

  /** Every peer with a stored conversation and its newest line. */
  async conversations (): Promise<Array<{ peer: string, last: DirectLine }>> {
    const peers = new Set<string>()
    for await (const key of this.kv.keys({ prefix: MESSAGES })) peers.add(key.slice(MESSAGES.length).split('/')[0])
    const out: Array<{ peer: string, last: DirectLine }> = []
    for (const peer of peers) {
      const [last] = await this.history(peer, 1)
      if (last !== undefined) out.push({ peer, last })
    }
    return out
  }

  /** The ignored peers. */
  async loadIgnored (): Promise<string[]> {
    const bytes = await this.kv.get(IGNORED_KEY)
    const list = bytes === undefined ? [] : parse<unknown>(bytes, 'ignore list')
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : []
  }

  /** Saves the ignored peers. */
  async saveIgnored (peers: readonly string[]): Promise<void> {
    await this.kv.write([{ type: 'put', key: IGNORED_KEY, value: encodeJson(peers) }], false)
  }

  private async find (id: string, peer: string): Promise<string | undefined> {
    for await (const key of this.kv.keys({ prefix: `${MESSAGES}${peer}/` })) if (key.endsWith(id)) return key
    return undefined
  }
}
