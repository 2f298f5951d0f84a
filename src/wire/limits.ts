/**
 * Size limits for everything p2pchat decodes from the network. Each bound keeps
 * a malicious or broken peer from making us allocate or process without limit.
 */

/** Largest gossipsub payload we accept (a ChatMessage). Chat lines are small; 64 KiB leaves room for history and filter. */
export const MAX_MESSAGE_BYTES = 64 * 1024
/** Longest chat line, in UTF-16 code units, that we send or accept. */
export const MAX_TEXT_LENGTH = 4000
/** Longest nick. */
export const MAX_NICK_LENGTH = 32
/** Longest channel id (gossipsub topic string). */
export const MAX_CHANNEL_ID_LENGTH = 256
/** Message ids are SHA-256 truncated to this many bytes. */
export const MESSAGE_ID_BYTES = 16
/** Most causal-history entries one message may carry. */
export const MAX_CAUSAL_HISTORY = 50
/**
 * Largest serialised bloom filter accepted (1 KiB, as README says): the reliability core's
 * `maxBloomBytes` default and cap (`BLOOM_BYTES_CAP` there; a test keeps them equal).
 */
export const MAX_BLOOM_BYTES = 1024
/** Largest peer id (multihash) bytes: identity-hashed RSA keys can be long; Ed25519 is 38. */
export const MAX_PEER_ID_BYTES = 128
/** Most message ids in one pull request. */
export const MAX_PULL_IDS = 100
/** Largest pull response frame. */
export const MAX_PULL_RESPONSE_BYTES = 1024 * 1024
/** Largest pull request frame. */
export const MAX_PULL_REQUEST_BYTES = 8 * 1024
