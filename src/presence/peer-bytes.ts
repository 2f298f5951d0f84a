/**
 * The default peer id codec: a libp2p peer id string to its multihash bytes (what
 * `origin` and `responder` carry on the wire), memoised because every received
 * message compares its origin with the signed sender.
 */
import { peerIdFromString } from '@libp2p/peer-id'

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
