/**
 * Sealing a private room's content and presence: XChaCha20-Poly1305 (`@noble/ciphers`) with a
 * random 24-byte nonce per message, sent as nonce ‖ ciphertext ‖ tag. The associated data binds
 * the room's channel, the sender and the message's place (Lamport value and kind), which with the
 * content are the inputs of the message id: a sealed content moved to another room, another
 * sender or another message does not open.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { NONCE_BYTES, ROOM_KEY_BYTES, TAG_BYTES } from './constants.js'

/** What a sealed content is bound to. */
export interface SealContext { channel: string, sender: string, lamport: number, kind: number }

/** The associated data of a context: a domain, then each field length-prefixed (u32 big-endian). */
export function associatedData (c: SealContext): Uint8Array {
  const parts = [new TextEncoder().encode('p2pchat/private/ad/1'), new TextEncoder().encode(c.channel), new TextEncoder().encode(c.sender), u64(c.lamport), Uint8Array.of(c.kind)]
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    new DataView(out.buffer).setUint32(at, p.byteLength)
    out.set(p, at + 4)
    at += 4 + p.byteLength
  }
  return out
}

function u64 (n: number): Uint8Array {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n))
  return b
}

/** Seals `plaintext` under `key` for `context`; `random` gives the nonce (injected in tests). */
export function seal (key: Uint8Array, plaintext: Uint8Array, context: SealContext, random: (n: number) => Uint8Array): Uint8Array {
  if (key.byteLength !== ROOM_KEY_BYTES) throw new Error(`a room key is ${ROOM_KEY_BYTES} bytes`)
  const nonce = random(NONCE_BYTES)
  const sealed = xchacha20poly1305(key, nonce, associatedData(context)).encrypt(plaintext)
  const out = new Uint8Array(NONCE_BYTES + sealed.byteLength)
  out.set(nonce, 0)
  out.set(sealed, NONCE_BYTES)
  return out
}

/** Opens what `seal` made; undefined when it does not open (another key, a change, another context). */
export function open (key: Uint8Array, sealed: Uint8Array, context: SealContext): Uint8Array | undefined {
  if (key.byteLength !== ROOM_KEY_BYTES || sealed.byteLength < NONCE_BYTES + TAG_BYTES) return undefined
  try {
    return xchacha20poly1305(key, sealed.subarray(0, NONCE_BYTES), associatedData(context)).decrypt(sealed.subarray(NONCE_BYTES))
  } catch {
    return undefined
  }
}
