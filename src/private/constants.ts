/**
 * The parameters of private rooms' cryptography, named: key and nonce sizes, the passphrase KDF
 * (scrypt at OWASP's recommended cost), and the labels of the key derivations.
 */

/** A room key: 256 random bits. */
export const ROOM_KEY_BYTES = 32

/** XChaCha20-Poly1305's nonce (random per message) and tag. */
export const NONCE_BYTES = 24
export const TAG_BYTES = 16

/**
 * scrypt for a key typed as a passphrase: N = 2^17, r = 8, p = 1 (128 MiB of memory, about a
 * second in JavaScript), 32 bytes out, salt `p2pchat/private/passphrase/1/<room name>`.
 */
export const PASSPHRASE_KDF = { N: 2 ** 17, r: 8, p: 1, dkLen: ROOM_KEY_BYTES, saltPrefix: 'p2pchat/private/passphrase/1/' } as const

/** Shortest passphrase accepted (characters). */
export const MIN_PASSPHRASE_LENGTH = 12

/** HKDF-SHA256 salt, and the info label of each derived value. */
export const DERIVE_SALT = 'p2pchat/private/1'
export const DERIVE_LABELS = { topic: 'topic', rendezvous: 'rendezvous', content: 'content', presence: 'presence' } as const

/** Bytes of the derived topic and rendezvous ids (base64url in the strings). */
export const DERIVED_ID_BYTES = 16

/** The scheme of an invite: `p2pchat:room/<name>#<base64url key>`. */
export const INVITE_PREFIX = 'p2pchat:room/'

/** Longest room name in an invite. */
export const MAX_INVITE_NAME = 64

/** The prefix of every private room's topic (and rendezvous): its content is sealed. */
export const PRIVATE_TOPIC_PREFIX = 'p2pchat/private/'

/** True when `topic` is a private room's: its content and presence are sealed. */
export function isSealedTopic (topic: string): boolean {
  return topic.startsWith(PRIVATE_TOPIC_PREFIX)
}
