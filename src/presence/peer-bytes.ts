/**
 * The default peer id codec: a libp2p peer id string to its multihash bytes (what
 * `origin`, `responder` and `subject` carry on the wire) and back, memoised because every
 * received message compares its origin with the signed sender.
 */
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'

const CACHE_CAPACITY = 4096

/** `convert` memoised by key in a bounded cache (the oldest entry goes first); a throw means undefined. */
function memoised<K, V> (convert: (key: K) => V): (key: K) => V | undefined {
  const cache = new Map<K, V | null>()
  return key => {
    const hit = cache.get(key)
    if (hit !== undefined) return hit ?? undefined
    let value: V | null
    try {
      value = convert(key)
    } catch {
      value = null
    }
    if (cache.size >= CACHE_CAPACITY) {
      const oldest = cache.keys().next().value
      if (oldest !== undefined) cache.delete(oldest)
    }
    cache.set(key, value)
    return value ?? undefined
  }
}

const toBytes = memoised((peerId: string) => peerIdFromString(peerId).toMultihash().bytes)
const fromHex = memoised((hex: string) => peerIdFromMultihash(Digest.decode(Buffer.from(hex, 'hex'))).toString())

/** The multihash bytes of a peer id string, or undefined when it is not a peer id. Pure and memoised. */
export function defaultPeerIdToBytes (peerId: string): Uint8Array | undefined {
  return toBytes(peerId)
}

/** The peer id string of multihash bytes, or undefined when they are not a peer id. Pure and memoised. */
export function defaultPeerIdFromBytes (bytes: Uint8Array): string | undefined {
  return fromHex(Buffer.from(bytes).toString('hex'))
}

/** Byte equality. */
export function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
