/**
 * Private rooms' cryptography, pure: invites, the key's derivations (topic, rendezvous, AEAD
 * keys), the passphrase KDF, and sealing with XChaCha20-Poly1305. Layers above enter here.
 */
export { isSealedTopic, PRIVATE_TOPIC_PREFIX, DERIVE_LABELS, DERIVE_SALT, MIN_PASSPHRASE_LENGTH, NONCE_BYTES, PASSPHRASE_KDF, ROOM_KEY_BYTES, TAG_BYTES } from './constants.js'
export { formatInvite, isInvite, isPrivateRoomName, parseInvite, PRIVATE_NAME_RULE, type Invite } from './invite.js'
export { keyFromPassphrase, roomSecrets, type RoomSecrets } from './derive.js'
export { associatedData, open, seal, type SealContext } from './seal.js'
