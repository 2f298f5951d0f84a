/**
 * The types a Room shows to the session above it: the chat lines and states it
 * emits as events, and its status snapshot. Roster and census types are
 * presence's own.
 */
import type { CensusResult, RosterEntry } from '../presence/index.js'

export type { CensusResult, RosterEntry }

/** Delivery state of one of our own messages, as the UI marks it. */
export type OwnMessageState = 'pending' | 'sent' | 'confirmed' | 'not-confirmed'

/** A chat line delivered to the UI (our own lines too). */
export interface ChatLine {
  /** Message id, lowercase hex. */
  id: string
  /** Sender peer id (the gossipsub-signed `from`; cannot be forged). */
  from: string
  /** Sender's self-chosen nick (not authenticated). */
  nick: string
  /** Set when another peer (or we) goes by the same nick: the sender's tag from its peer id (show `nick#tag`). */
  nickTag?: string
  text: string
  /** True for `/me` actions. */
  action: boolean
  /** Lamport timestamp in ms; also the sender's send time when clocks agree. */
  lamport: number
  /**
   * When the sender sent it (ms): the Lamport value, which is the sender's wall clock unless
   * a peer's clock ran ahead (by at most 5 minutes, else refused), but never after `receivedAt`.
   */
  sentAt: number
  /** Local wall-clock ms at which this peer delivered the line (for own lines: sent it). */
  receivedAt: number
  /** True when this line is ours. */
  own: boolean
  /** For own lines: their delivery state at the time of the event. */
  state?: OwnMessageState
  /** True when delivered after a line that sorts after it in canonical order. */
  outOfOrder?: boolean
  /** Ids of messages that were declared lost just before this one (a gap). */
  gapBefore?: string[]
  /** True when this line is replayed history rather than live. */
  history?: boolean
  /** True when the sender is one of the room's `trustedPeers` (registry rooms). */
  trusted?: boolean
  /** True when the committee made the order final up to this line's Lamport value (a finality checkpoint covers it). */
  final?: boolean
  /** True when the line arrived after a checkpoint had made the order final past it: shown marked late, not slid into settled history. */
  late?: boolean
}

/**
 * What the room's committee decided, as the UI shows it (each applied only under a valid quorum
 * certificate). `earlier`: it was decided before we learned of it (caught up on joining, after a
 * restart or a gap), not just now.
 */
export type GovernanceNotice = { earlier?: true } & (
  | { type: 'banned', peer: string, nick?: string, reason: string, by: string, byNick?: string, self: boolean }
  | { type: 'unbanned', peer: string, nick?: string, by: string, byNick?: string, self: boolean }
  | { type: 'title', text: string, by: string, byNick?: string }
  | { type: 'pinned' | 'unpinned', messageId: string, line?: ChatLine, by: string, byNick?: string }
  /**
   * The order of everything up to `lamport` is final. `agree`: our own history over the checkpoint's
   * window hashes to the committee's digest (true), differs (false: we asked peers for what we
   * lack), or was not checked (undefined: the window lies before we joined).
   */
  | { type: 'final', lamport: number, digest: string, agree?: boolean }
)

/** The room's committee and what it decided, for `/committee` and `/pins`. */
export interface CommitteeView {
  /** 'trusted': a registry room with trusted peers (its decisions are authoritative); 'none': no committee runs here. */
  mode: 'trusted' | 'none'
  /** True when this peer is a member (it runs Raft); false: it follows certified decisions. */
  member: boolean
  /** Trusted peers of the registry entry (who may /ban, /title, /pin). */
  trustedPeers: string[]
  /** The committee in force (after the last certified change). */
  members: string[]
  /** The leader as far as we know (a member knows it from Raft; others from who published the last decision). */
  leader?: string
  /** A member's Raft term and commit index, and the index its log was last compacted to. */
  term?: number
  commitIndex?: number
  snapshotIndex?: number
  /** The index of the last certified entry we applied. */
  appliedIndex: number
  /** The room size the committee size was computed from, and that size k = 2 + floor(ln N) (capped by the trusted peers). */
  roomSize: number
  k: number
  title: string
  pins: Array<{ messageId: string, line?: ChatLine }>
  banned: Array<{ peer: string, nick?: string, reason: string, by: string, at: number }>
  finality?: { lamport: number, digest: string }
  /** Decisions refused (forged, uncertified, out of order), by reason. */
  refused: Record<string, number>
}

/** A reliability / health snapshot for `/status`. */
export interface RoomStatus {
  topic: string
  peerId: string
  topicPeers: number
  connections: number
  lamport: number
  unacknowledged: number
  buffered: number
  missing: number
  lost: number
  pullsServed: number
  pullsMade: number
  /** Own messages re-broadcast (unacknowledged, or the quiet tail's push), and of them tail pushes. */
  resends: { total: number, tail: number }
  /** Sync messages sent, and of them acknowledgements in a quiet room and answers to a peer that was behind. */
  syncs: { sent: number, acks: number, behindAnswers: number }
  /**
   * Failure detection (SWIM): probes made (direct and through helpers), rounds that ended in a
   * suspicion or a confirmed loss, our local-health score, peers now suspected, and how often
   * we refuted a suspicion of ourselves.
   */
  probes: { direct: number, indirect: number, suspects: number, deaths: number, localHealth: number, suspected: number, refutations: number }
  /** Topic peers gossipsub has no outbound stream to (we cannot send to them). */
  noStream: number
  /** This process's memory (bytes), when the session adds it: resident set, JS heap in use, and off-heap buffers. */
  memory?: { rss: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number }
  /** Gossipsub streams moved to a peer's newer connection, re-opened, and peers kept after a stale stream's error. */
  gossipStreams: { moved: number, reopened: number, keptPeers: number }
  dropped: Record<string, number>
}

/** Everything a Room emits. */
export interface RoomEventMap {
  /** A chat line was delivered (own lines are delivered at once, with state 'pending' or 'sent'). */
  message: ChatLine
  /** An own message changed state (sent, confirmed, not confirmed). */
  'message:state': { id: string, state: OwnMessageState }
  /** A peer subscribed to our topic. */
  'peer:join': { peerId: string, nick?: string }
  /** A peer left our topic (unsubscribed or disconnected). */
  'peer:leave': { peerId: string, nick?: string }
  /**
   * The number of topic peers changed (the prompt's count). `peer:join` may follow up to a second
   * later, once the newcomer's nick is known.
   */
  'peers:count': { count: number }
  /** A system notice worth showing (dim line), e.g. "connected to ...", "dropped a forged message". */
  notice: { level: 'info' | 'warn' | 'error', text: string }
  /** The presence roster changed: who appeared and who left (by timeout or a clean quit). Collapse when many. */
  'roster:change': { joined: RosterEntry[], left: RosterEntry[], changed: RosterEntry[] }
  /** The committee decided something (a certified entry was applied). */
  governance: GovernanceNotice
}
