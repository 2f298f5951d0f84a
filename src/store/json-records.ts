/**
 * The small JSON records of the store: the format record (`/p2pchat/meta`), a room's
 * saved reliability state, and the profile record (nick). Each decoder checks shape
 * and refuses damage with STORE_CORRUPT; a format newer than this build is STORE_VERSION.
 */
import { P2pchatError } from '../errors.js'
import { isMessageId, type UnackedSnapshot } from '../reliability/index.js'
import { storeCorrupt, storeError, type StoreLocation } from './errors.js'
import { META_KEY, ROOT } from './keys.js'
import type { Kv } from './kv.js'

/** Version of the store layout this build writes. */
export const STORE_FORMAT = 1

/** The saved reliability state of a room. */
export interface RoomState {
  v: 1
  /** Lamport high-water mark. */
  lamport: number
  /** Own messages unacknowledged at save time, with their resend counts. */
  unacked: UnackedSnapshot[]
  /** Own messages given up on and not acknowledged since (their `✗` survives a restart). Absent in older records. */
  notConfirmed?: string[]
  savedAt: number
}

/** JSON to bytes. */
export function encodeJson (value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value))
}

/** Bytes to text. */
export function decodeText (bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes)
}

function parse (bytes: Uint8Array, location: StoreLocation, what: string): unknown {
  try {
    return JSON.parse(decodeText(bytes))
  } catch (err) {
    throw storeCorrupt(location, `undecodable ${what}`, err)
  }
}

/**
 * Checks the format record, or writes it into a store that has none of our records yet.
 * Our records without a format record mean damage; other apps' keys (libp2p's) do not count.
 */
export async function checkFormat (kv: Kv, location: StoreLocation, now: number): Promise<void> {
  try {
    const bytes = await kv.get(META_KEY)
    if (bytes === undefined) {
      for await (const key of kv.keys({ prefix: ROOT, limit: 1 })) {
        throw storeCorrupt(location, `records (${key}) but no format record`)
      }
      await kv.write([{ type: 'put', key: META_KEY, value: encodeJson({ format: STORE_FORMAT, createdAt: now }) }], true)
      return
    }
    const meta = parse(bytes, location, 'format record') as { format?: unknown } | null
    if (typeof meta?.format !== 'number') throw storeCorrupt(location, 'bad format record')
    if (meta.format > STORE_FORMAT) {
      throw new P2pchatError('STORE_VERSION',
        `the message store of profile "${location.profile}" was written by a newer p2pchat (format ${meta.format}, this one reads ${STORE_FORMAT}); ` +
        'upgrade p2pchat, or use --profile <other> or --ephemeral')
    }
  } catch (err) {
    throw storeError(location, 'opening', err)
  }
}

/** Decodes a room state record. */
export function decodeRoomState (bytes: Uint8Array, location: StoreLocation, room: string): RoomState {
  const state = parse(bytes, location, `state record of room ${room}`) as RoomState | null
  const valid = typeof state === 'object' && state !== null && state.v === 1 && Number.isSafeInteger(state.lamport) &&
    state.lamport >= 0 && Array.isArray(state.unacked) &&
    state.unacked.every((u) => isMessageId(u?.messageId) && Number.isSafeInteger(u.resends) && u.resends >= 0) &&
    (state.notConfirmed === undefined || (Array.isArray(state.notConfirmed) && state.notConfirmed.every(isMessageId)))
  if (!valid) throw storeCorrupt(location, `bad state record of room ${room}`)
  return state
}

/** Decodes the profile record's nick. */
export function decodeNick (bytes: Uint8Array, location: StoreLocation): string | undefined {
  const record = parse(bytes, location, 'profile record') as { nick?: unknown } | null
  return typeof record?.nick === 'string' ? record.nick : undefined
}
