/**
 * What a private room's key yields (HKDF-SHA256, `@noble/hashes`): the gossipsub topic and the DHT
 * rendezvous string, which someone without the key cannot compute or tell from another room's,
 * and the AEAD keys of content and presence. A key typed as a passphrase goes through scrypt first.
 */
import { hkdf } from '@noble/hashes/hkdf.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { base64url } from 'multiformats/bases/base64'
import { PRIVATE_TOPIC_PREFIX, DERIVE_LABELS, DERIVE_SALT, DERIVED_ID_BYTES, MIN_PASSPHRASE_LENGTH, PASSPHRASE_KDF, ROOM_KEY_BYTES } from './constants.js'

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Everything a member derives from the room key. */
export interface RoomSecrets {
  /** The gossipsub topic (and the channel id of its messages). */
  topic: string
  /** The DHT rendezvous string (its CID is what members provide and find). */
  rendezvous: string
  /** The AEAD keys of content messages and of presence records. */
  contentKey: Uint8Array
  presenceKey: Uint8Array
}

function derive (key: Uint8Array, label: string, length: number): Uint8Array {
  if (key.byteLength !== ROOM_KEY_BYTES) throw new Error(`a room key is ${ROOM_KEY_BYTES} bytes`)
  return hkdf(sha256, key, utf8(DERIVE_SALT), utf8(label), length)
}

/** The room's topic, rendezvous and keys. */
export function roomSecrets (key: Uint8Array): RoomSecrets {
  return {
    topic: `${PRIVATE_TOPIC_PREFIX}${base64url.baseEncode(derive(key, DERIVE_LABELS.topic, DERIVED_ID_BYTES))}`,
    rendezvous: `${PRIVATE_TOPIC_PREFIX}rv/${base64url.baseEncode(derive(key, DERIVE_LABELS.rendezvous, DERIVED_ID_BYTES))}`,
    contentKey: derive(key, DERIVE_LABELS.content, ROOM_KEY_BYTES),
    presenceKey: derive(key, DERIVE_LABELS.presence, ROOM_KEY_BYTES)
  }
}

/**
 * The room key of a passphrase (for rooms set up by voice): scrypt with the parameters in
 * `PASSPHRASE_KDF` and a salt from the room's name. Refuses a passphrase under 12 characters.
 */
export async function keyFromPassphrase (passphrase: string, roomName: string): Promise<Uint8Array> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new Error(`a passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`)
  const { N, r, p, dkLen, saltPrefix } = PASSPHRASE_KDF
  return await scryptAsync(utf8(passphrase.normalize('NFC')), utf8(`${saltPrefix}${roomName}`), { N, r, p, dkLen })
}
