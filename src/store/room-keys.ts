/**
 * The keys of the private rooms a profile holds, kept like the identity key: one JSON file in the
 * profile, `private-rooms.json`, mode 0600, written atomically; refused when group or others can
 * read it. `--ephemeral` keeps them in memory only. A name can have several keys (after `/rekey`,
 * the old key still reads the old history); the newest is the room's current one.
 */
import { readFile, stat } from 'node:fs/promises'
import { base64url } from 'multiformats/bases/base64'
import { P2pchatError } from '../errors.js'
import { writeFileAtomic } from './atomic-file.js'
import { checkKeyFileMode } from './identity.js'

/** One private room a profile holds the key of. */
export interface HeldRoomKey {
  /** The room's name as its invite gives it. */
  name: string
  /** The 32-byte room key. */
  key: Uint8Array
  /** When this profile first held it (ms since the epoch). */
  addedAt: number
}

/** The private-room keys of a profile. */
export interface RoomKeyStore {
  /** Every key held, oldest first. */
  list: () => HeldRoomKey[]
  /** The current (newest) key of the room called `name`. */
  current: (name: string) => HeldRoomKey | undefined
  /** Holds `key` for `name` (again, when held already: it becomes the current one). Durable when the promise resolves. */
  put: (name: string, key: Uint8Array, now: number) => Promise<void>
}

const FILE_VERSION = 1
const KEY_BYTES = 32

function sameKey (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}

class HeldKeys implements RoomKeyStore {
  constructor (private keys: HeldRoomKey[], private readonly save: (keys: HeldRoomKey[]) => Promise<void>) {}

  list (): HeldRoomKey[] { return [...this.keys] }

  current (name: string): HeldRoomKey | undefined {
    return this.keys.filter(k => k.name === name).at(-1)
  }

  async put (name: string, key: Uint8Array, now: number): Promise<void> {
    const held = this.keys.find(k => k.name === name && sameKey(k.key, key))
    const next = [...this.keys.filter(k => k !== held), held ?? { name, key: new Uint8Array(key), addedAt: now }]
    await this.save(next)
    this.keys = next
  }
}

/** Keys held in memory only (`--ephemeral`, tests). */
export function memoryRoomKeys (): RoomKeyStore {
  return new HeldKeys([], async () => {})
}

function damaged (path: string, why: string): P2pchatError {
  return new P2pchatError('STORE_CORRUPT', `the private-room keys file ${path} is damaged (${why}); it was left as it is: fix it, or move it away to start without those rooms`)
}

/** Parses the file's text; throws a one-line error naming what is wrong. */
export function parseRoomKeys (text: string, path: string): HeldRoomKey[] {
  let raw: unknown
  try { raw = JSON.parse(text) } catch { throw damaged(path, 'not JSON') }
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== FILE_VERSION || !Array.isArray((raw as { rooms?: unknown }).rooms)) {
    throw damaged(path, `expected {"version": ${FILE_VERSION}, "rooms": [...]}`)
  }
  return ((raw as { rooms: unknown[] }).rooms).map((entry, i) => {
    const e = entry as { name?: unknown, key?: unknown, addedAt?: unknown }
    if (typeof e.name !== 'string' || e.name === '' || typeof e.key !== 'string' || typeof e.addedAt !== 'number') throw damaged(path, `room ${i + 1} needs a name, a key and addedAt`)
    let key: Uint8Array
    try { key = base64url.baseDecode(e.key) } catch { throw damaged(path, `the key of room "${e.name}" is not base64url`) }
    if (key.byteLength !== KEY_BYTES) throw damaged(path, `the key of room "${e.name}" is not ${KEY_BYTES} bytes`)
    return { name: e.name, key, addedAt: e.addedAt }
  })
}

/** The file's text for `keys`. */
export function formatRoomKeys (keys: HeldRoomKey[]): string {
  return JSON.stringify({ version: FILE_VERSION, rooms: keys.map(k => ({ name: k.name, key: base64url.baseEncode(k.key), addedAt: k.addedAt })) }, null, 2) + '\n'
}

/** Opens the keys file at `path` (absent: no keys yet); refuses one others can read. */
export async function fileRoomKeys (path: string, platform: NodeJS.Platform = process.platform): Promise<RoomKeyStore> {
  let keys: HeldRoomKey[] = []
  let text: string | undefined
  try {
    const info = await stat(path)
    checkKeyFileMode(info.mode, path, platform)
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (err instanceof P2pchatError) throw err
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new P2pchatError('IO_FAILED', `cannot read ${path}: ${(err as Error).message}`, { cause: err })
  }
  if (text !== undefined) keys = parseRoomKeys(text, path)
  return new HeldKeys(keys, async next => {
    try {
      await writeFileAtomic(path, formatRoomKeys(next), 0o600)
    } catch (err) {
      throw new P2pchatError('IO_FAILED', `cannot save the private-room key to ${path}: ${(err as Error).message}`, { cause: err })
    }
  })
}
