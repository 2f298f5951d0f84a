/**
 * Plain data types of the presence module: drop reasons, the verdict of
 * `validate()`, the events drained by the driver, and the status snapshot.
 * Roster entries and census results are defined here and passed up unchanged
 * through the room and the session to the UI.
 */

/** One entry of the presence roster (`/who`). */
export interface RosterEntry {
  peerId: string
  nick: string
  /** Free status text (`/status <text>`); empty when none. */
  status: string
  away: boolean
  /** The peer's client version string. */
  client: string
  /** When the peer joined the room (its own clock, ms). */
  joinedAt: number
  /** When we last heard its presence (our clock, ms). */
  lastSeen: number
  /** True when we have a direct connection to it. */
  direct: boolean
  /** True for our own entry. */
  self: boolean
}

/** The result of `/census`. */
export interface CensusResult {
  /** Estimated room size N ≈ replies / p (ourselves included). */
  estimate: number
  /** 95% confidence interval from the binomial variance. */
  low: number
  high: number
  replies: number
  /** The reply probability the poll asked for. */
  p: number
  /** Peers in our roster when the census finished, for comparison. */
  rosterCount: number
  /** How long the census listened for replies (ms). */
  durationMs: number
}


/** Why an incoming ephemeral message was dropped. */
export type PresenceDropReason =
  /** Undecodable, missing or out-of-range fields. (reject) */
  | 'malformed'
  /** Over a byte or length limit. (reject) */
  | 'oversized'
  /** `origin` / `responder` is not the signed sender. (reject) */
  | 'forged-origin'
  /** The TTL (or the leave / poll lifetime) ran out. (ignore) */
  | 'expired'
  /** `issued_at` lies further in the future than the tolerated skew. (ignore) */
  | 'clock-skew'
  /** Envelope or poll id already seen, or a responder that already replied. (ignore, not reported) */
  | 'duplicate'
  /** Our own message echoed back. (ignore, not reported) */
  | 'own'
  /** A version older than the one we know, or a leave not newer than it. (ignore) */
  | 'stale'
  /** Over the per-origin (or, for polls, global) rate. (ignore) */
  | 'rate-limited'
  /** A new peer while the roster is at `maxRosterSize`. (ignore) */
  | 'roster-full'
  /** A reply to a poll we never saw or have forgotten. (ignore) */
  | 'unknown-poll'
  /** A reply beyond twice `censusReplyCap` for one poll. (ignore) */
  | 'poll-full'
  /** A poll asking for p below our `censusMinP`. (ignore: the network may run another minimum) */
  | 'p-too-small'
  /** A kind of message this version does not know (a newer peer's). (ignore) */
  | 'unsupported'

/** Every drop reason, for counters. */
export const PRESENCE_DROP_REASONS: readonly PresenceDropReason[] = [
  'malformed', 'oversized', 'forged-origin', 'expired', 'clock-skew', 'duplicate', 'own', 'stale',
  'rate-limited', 'roster-full', 'unknown-poll', 'poll-full', 'p-too-small', 'unsupported'
]

/** Drops that point at a misbehaving publisher (gossipsub `Reject`: the forwarder is penalised). */
export const REJECT_REASONS: ReadonlySet<PresenceDropReason> = new Set(['malformed', 'oversized', 'forged-origin'])

/** Drops counted but not reported as `dropped` events (normal gossip redundancy). */
export const SILENT_REASONS: ReadonlySet<PresenceDropReason> = new Set(['duplicate', 'own'])

/**
 * What the gossipsub topic validator should answer: `accept` (deliver and forward),
 * `ignore` (neither, no penalty) or `reject` (neither, penalise the forwarder).
 */
export type PresenceVerdict =
  | { action: 'accept', type: 'presence' | 'leave' | 'lost' | 'suspect' | 'poll' | 'reply' }
  | { action: 'ignore' | 'reject', reason: PresenceDropReason }

/** The outcome of `receive()`. */
export type PresenceReceiveResult =
  | { status: 'accepted', type: 'presence' | 'leave' | 'lost' | 'suspect' | 'poll' | 'reply' }
  | { status: 'dropped', reason: PresenceDropReason }

/** A peer appeared in the roster (first record, or back after a timeout). */
export interface RosterJoinedEvent { type: 'roster:joined', entry: RosterEntry }

/**
 * A peer left the roster: it announced a clean quit (`leave`), or it was found gone (`lost`): our
 * connection to it dropped and neither we nor others could reach it, or a suspicion of it (failed
 * probes, or silence for `expiryMultiple` periods) ran out unrefuted. `timeout` is kept for
 * callers that distinguish silence; the core reports every found-gone peer as `lost`.
 */
export interface RosterLeftEvent { type: 'roster:left', entry: RosterEntry, reason: 'timeout' | 'leave' | 'lost' }

/** A peer's record changed (a newer version with a different nick, status, away, client or join time). */
export interface RosterChangedEvent { type: 'roster:changed', entry: RosterEntry, previous: RosterEntry }

/** One of our censuses finished. */
export interface CensusEvent { type: 'census', pollId: string, result: CensusResult }

/** An incoming message was dropped (duplicates and own echoes are counted but not reported). */
export interface PresenceDroppedEvent { type: 'dropped', reason: PresenceDropReason }

/** Every event a `Presence` emits. */
export type PresenceEvent = RosterJoinedEvent | RosterLeftEvent | RosterChangedEvent | CensusEvent | PresenceDroppedEvent

/** The outcome of `startCensus()`. */
export type StartCensusResult =
  | { ok: true, pollId: string, p: number, finishAt: number }
  | { ok: false, reason: 'rate-limited', retryAt: number }

/** The latest room-size estimate: our own census, or one we overheard. */
export interface LastEstimate {
  estimate: number
  at: number
  source: 'own' | 'overheard'
}

/** A snapshot of counters and sizes. */
export interface PresenceStatus {
  joined: boolean
  version: number
  /** The period of our latest announcement (ms). */
  periodMs: number
  /** Peers in the roster, ourselves included when joined. */
  rosterSize: number
  tombstones: number
  /** Peers currently suspected (by us or others). */
  suspected: number
  /** Suspicions of ourselves we answered with a record. */
  refutations: number
  /** Suspicions we sent (first sends and repeats). */
  suspectsSent: number
  trackedPolls: number
  announcementsSent: number
  pollsSent: number
  repliesSent: number
  /** Bytes of every `Ephemeral` we produced (leave included). */
  bytesSent: number
  received: Record<'presence' | 'leave' | 'lost' | 'suspect' | 'poll' | 'reply', number>
  dropped: Record<PresenceDropReason, number>
  lastEstimate?: LastEstimate
}
