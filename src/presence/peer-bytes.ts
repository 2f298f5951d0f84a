/**
 * The default peer id codec: a libp2p peer id string to its multihash bytes (what
 * `origin` and `responder` carry on the wire), memoised because every received
 * message compares its origin with the signed sender.
 */
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'

const CACHE_CAPACITY = 4096
const cache = new Map<string, Uint8Array | null>()

/** The multihash bytes of a peer id string, or undefined when it is not a peer id. Pure and memoised. */
export function defaultPeerIdToBytes (peerId: string): Uint8Array | undefined {
  const hit = cache.get(peerId)
  if (hit !== undefined) return hit ?? undefined
  let bytes: Uint8Array | null
  try {
    bytes = peerIdFromString(peerId).toMultihash().bytes
  } catch {
    bytes = null
  }
  if (cache.size >= CACHE_CAPACITY) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  cache.set(peerId, bytes)
  return bytes ?? undefined
}

/** Byte equality. */
export function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

const fromBytesCache = new Map<string, string | null>()

/** The peer id string of multihash bytes, or undefined when they are not a peer id. Pure and memoised. */
export function defaultPeerIdFromBytes (bytes: Uint8Array): string | undefined {
  const key = Buffer.from(bytes).toString('hex')
  const hit = fromBytesCache.get(key)
  if (hit !== undefined) return hit ?? undefined
  let id: string | null
  try {
    id = peerIdFromMultihash(Digest.decode(bytes)).toString()
  } catch {
    id = null
  }
  if (fromBytesCache.size >= CACHE_CAPACITY) {
    const oldest = fromBytesCache.keys().next().value
    if (oldest !== undefined) fromBytesCache.delete(oldest)
  }
  fromBytesCache.set(key, id)
  return id ?? undefined
}
