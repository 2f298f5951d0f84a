/**
 * What every vector builder shares: the fixed identities (Ed25519 keys from fixed seeds),
 * the fixed clock, hex helpers and the shape of a vector file.
 */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'

/** One vector file: `test/vectors/<name>.json`. */
export interface VectorFile {
  description: string
  cases: unknown[]
}

/** The names of the fixed identities. */
export type Who = 'alice' | 'bob' | 'carol'

/** A fixed identity: the 32-byte Ed25519 seed is the byte 1, 2 or 3 repeated. */
export interface Identity {
  who: Who
  seed: Uint8Array
  privateKey: PrivateKey
  peerId: PeerId
  /** `peerId.toString()`: base58btc of the multihash, `12D3KooW…`. */
  id: string
  /** The multihash bytes of the peer id (38 bytes for Ed25519). */
  multihash: Uint8Array
}

const SEED_BYTE: Record<Who, number> = { alice: 1, bob: 2, carol: 3 }

/** The identity `who`, from its fixed seed. */
export async function identity (who: Who): Promise<Identity> {
  const seed = new Uint8Array(32).fill(SEED_BYTE[who])
  const privateKey = await generateKeyPairFromSeed('Ed25519', seed)
  const peerId = peerIdFromPrivateKey(privateKey)
  return { who, seed, privateKey, peerId, id: peerId.toString(), multihash: peerId.toMultihash().bytes }
}

/** The three identities. */
export async function identities (): Promise<Record<Who, Identity>> {
  return { alice: await identity('alice'), bob: await identity('bob'), carol: await identity('carol') }
}

/** The fixed clock: 2026-01-01T00:00:00.000Z in ms. */
export const NOW = 1_767_225_600_000

/** The room every vector uses (topic = channel id). */
export const TOPIC = 'p2pchat/x'

/** Lowercase hex of bytes. */
export function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Bytes of lowercase hex. */
export function unhex (text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'))
}

/** UTF-8 bytes of a string. */
export function utf8 (text: string): Uint8Array {
  return new TextEncoder().encode(text)
}
