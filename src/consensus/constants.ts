/**
 * Named defaults of the consensus core, with the reason for each. They are etcd's: a 100 ms
 * heartbeat and a 1 s election timeout (etcd's `--heartbeat-interval` and `--election-timeout`).
 */

/** How often a leader sends appends (heartbeats) to each member: etcd's default. */
export const HEARTBEAT_INTERVAL_MS = 100

/**
 * The base election timeout. A follower that hears no leader for a random time in
 * [T, 2T) polls for an election; a leader that hears from no majority for T steps down.
 * 10 heartbeats, as etcd: a lost heartbeat or two never starts an election.
 */
export const ELECTION_TIMEOUT_MS = 1_000

/** The most entries one append carries; a follower far behind catches up over several. */
export const MAX_ENTRIES_PER_APPEND = 64

/** Bounds on what a committee frame may hold; a peer that sends more is refused. */
export const COMMITTEE_LIMITS = {
  /** Largest frame on `/p2pchat/committee/1.0.0` (a snapshot of the room's governance state fits easily). */
  maxFrameBytes: 1024 * 1024,
  /** Most entries in one append (the core sends at most `maxEntriesPerAppend`, 64 by default). */
  maxEntries: 256,
  /** Largest command in one entry. */
  maxEntryDataBytes: 16 * 1024,
  /** Most members in a config entry or snapshot (PeerPrint's rule gives 15 at a million peers). */
  maxMembers: 64,
  /** Largest peer id (multihash bytes). */
  maxPeerIdBytes: 128,
  /** Longest room (topic) string. */
  maxRoomLength: 256,
  /** Largest signature (Ed25519's are 64 bytes; RSA keys sign longer). */
  maxSignatureBytes: 1024
} as const
