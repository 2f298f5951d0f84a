/**
 * Named defaults and limits of the registry layer, each with the reason for it.
 */

/**
 * Largest registry accepted, in bytes. A registry is a short list of rooms;
 * 1 MiB is thousands of rooms. PeerPrint silently read only the first 4096
 * bytes; we refuse anything larger than the cap instead of truncating.
 */
export const MAX_REGISTRY_BYTES = 1024 * 1024

/** How long one fetch may take, connect to last byte (ms). */
export const DEFAULT_TIMEOUT_MS = 10_000

/** The local IPFS (kubo) HTTP API, where `ipfs daemon` listens by default. */
export const DEFAULT_IPFS_API = 'http://127.0.0.1:5001'

/** Longest room name: short enough to type after `/join`. */
export const MAX_ROOM_NAME_LENGTH = 100

/** Longest rendezvous string (it is hashed into a DHT key and used as the topic). */
export const MAX_RENDEZVOUS_LENGTH = 200

/** Longest `desc`, so one room fits on a line of the rooms table. */
export const MAX_DESC_LENGTH = 500

/** How many bytes of an HTTP error body are quoted in the error message. */
export const ERROR_BODY_SNIPPET_BYTES = 200

/**
 * `created` values above this (year 5138 in seconds) are almost certainly
 * milliseconds; we warn about them.
 */
export const MAX_PLAUSIBLE_CREATED_SECONDS = 100_000_000_000
