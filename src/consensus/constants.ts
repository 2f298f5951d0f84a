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
