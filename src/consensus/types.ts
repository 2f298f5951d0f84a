/**
 * The consensus core's vocabulary: log entries, the Raft messages between committee members,
 * what a member must persist, and the `Ready` batch the core hands its driver. Plain data only,
 * so a driver can encode it, a test can print it, and a simulator can lose it.
 */

/** A committee member's id (a libp2p peer id string in the product, any string in tests). */
export type MemberId = string

/** What a log entry carries: an application command, a membership change, or a leader's first entry of its term. */
export type EntryKind = 'command' | 'config' | 'noop'

/** One entry of the replicated log. */
export interface Entry {
  /** Position in the log, from 1. */
  readonly index: number
  /** The term of the leader that created it. */
  readonly term: number
  readonly kind: EntryKind
  /** The application's command (`command`); empty for the other kinds. */
  readonly data: Uint8Array
  /** `config` only: the whole member list from this entry on (one member added or removed). */
  readonly members?: readonly MemberId[]
}

/** The application's state as of `index`, which replaces the log up to it. */
export interface Snapshot {
  readonly index: number
  readonly term: number
  /** The member list in force at `index`. */
  readonly members: readonly MemberId[]
  readonly data: Uint8Array
}

/** What a member must have on disk before it sends the messages of the same `Ready`. */
export interface HardState {
  readonly term: number
  /** Whom this member voted for in `term`, if anyone. */
  readonly vote?: MemberId
  /** The highest index known committed (kept so a restart need not wait to apply). */
  readonly commit: number
}

/** Fields every message has. `term` is the sender's term (for a pre-vote, the term it would campaign in). */
interface MessageBase {
  readonly from: MemberId
  readonly to: MemberId
  readonly term: number
}

/** Asks whether the receiver would vote for the sender in `term`, without anyone changing term (Raft thesis §9.6). */
export interface PreVoteRequest extends MessageBase {
  readonly type: 'pre-vote'
  readonly lastIndex: number
  readonly lastTerm: number
}

/** A vote request of a candidate in `term`. */
export interface VoteRequest extends MessageBase {
  readonly type: 'vote'
  readonly lastIndex: number
  readonly lastTerm: number
}

/** The answer to a pre-vote or a vote. */
export interface VoteResponse extends MessageBase {
  readonly type: 'pre-vote-response' | 'vote-response'
  readonly granted: boolean
}

/** One committee member's signature over a certificate's payload. */
export interface CertificateSignature {
  readonly member: MemberId
  readonly signature: Uint8Array
}

/** A majority's signatures over (room, term, index, digest): it vouches for the log up to `index`. */
export interface QuorumCertificate {
  readonly term: number
  readonly index: number
  readonly digest: Uint8Array
  readonly signatures: readonly CertificateSignature[]
}

/**
 * What a certificate must carry: a majority of `members`, and also of `previous` when given.
 * `previous` is asked for while a change of members is not yet covered by any certificate, so
 * that someone who knows only the old committee can follow the change (a majority of the new
 * committee need not be a majority of the old).
 */
export interface CommitteeAt {
  readonly members: readonly MemberId[]
  readonly previous?: readonly MemberId[]
}

/** The config in force at an index: the latest config entry at or before it (index 0: the initial or snapshot list), and the list before that entry. */
export interface ConfigAt {
  readonly members: readonly MemberId[]
  readonly configIndex: number
  readonly before?: readonly MemberId[]
}

/** A leader's entries after (`prevIndex`, `prevTerm`), or a heartbeat when `entries` is empty. */
export interface AppendRequest extends MessageBase {
  readonly type: 'append'
  readonly prevIndex: number
  readonly prevTerm: number
  readonly entries: readonly Entry[]
  /** The leader's commit index. */
  readonly commit: number
  /** The leader's newest quorum certificate, when the receiver lacks it (added by the shell; the core ignores it). */
  readonly certificate?: QuorumCertificate
}

/** A follower's answer to an append. */
export interface AppendResponse extends MessageBase {
  readonly type: 'append-response'
  readonly success: boolean
  /** On success, the last index the follower now holds in agreement with the leader; on failure, where the leader should retry from: min(rejected prevIndex − 1, the follower's last index). */
  readonly index: number
  /** On success, the sender's signature vouching for its log up to `index` in `term` (added by the shell; the core ignores it). */
  readonly signature?: Uint8Array
}

/** A leader's snapshot for a follower that is behind the leader's compacted log. */
export interface SnapshotRequest extends MessageBase {
  readonly type: 'snapshot'
  readonly snapshot: Snapshot
}

/** Every message the core sends and accepts. Snapshot installs are answered by an `append-response`. */
export type Message = PreVoteRequest | VoteRequest | VoteResponse | AppendRequest | AppendResponse | SnapshotRequest

/** A member's role. `pre-candidate` polls with pre-votes before it may disturb anyone's term. */
export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader'

/** What a member shows about itself; not persisted. */
export interface SoftState {
  readonly role: Role
  /** The leader this member follows (or is), if it knows one in its term. */
  readonly leader?: MemberId
}

/**
 * Everything the core produced since the last `ready()`. The driver must, in this order:
 * persist `snapshot`, `entries` and `hardState`; then send `messages`; then apply `snapshot`
 * and `committed` to the application.
 */
export interface Ready {
  /** Present when term, vote or commit changed. */
  readonly hardState?: HardState
  /** Entries to persist. Any persisted entry at or after `entries[0].index` is replaced. */
  readonly entries: readonly Entry[]
  /** A snapshot to persist in place of the whole persisted log (it is newer than all of it), and to apply. */
  readonly snapshot?: Snapshot
  /** Newly committed entries, in order, to apply. */
  readonly committed: readonly Entry[]
  readonly messages: readonly Message[]
  /** Present when role or leader changed. */
  readonly softState?: SoftState
}

/** What a member had persisted when it (re)starts. */
export interface RaftStorage {
  readonly hardState?: HardState
  readonly snapshot?: Snapshot
  /** Entries after the snapshot (or from index 1), in order. */
  readonly entries?: readonly Entry[]
}

/** A member's state as `/committee` would show it. */
export interface RaftStatus {
  readonly id: MemberId
  readonly role: Role
  readonly term: number
  readonly leader?: MemberId
  readonly commit: number
  readonly applied: number
  readonly lastIndex: number
  readonly snapshotIndex: number
  readonly members: readonly MemberId[]
  /** A leader's view: when it last heard from each other member (when it became leader, for one never heard). */
  readonly heardAt?: Readonly<Record<MemberId, number>>
  /** Messages dropped, by reason. */
  readonly dropped: Readonly<Partial<Record<DropReason, number>>>
}

/** Why the core dropped a message, counted in `RaftStatus.dropped`. */
export type DropReason = 'stale-term' | 'misaddressed' | 'malformed' | 'conflicts-committed' | 'not-a-member'
