/**
 * The types a Room shows to the layers above it (the UI and the CLI): what it
 * emits as events and what it answers when asked about peers and state.
 */

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
  text: string
  /** True for `/me` actions. */
  action: boolean
  /** Lamport timestamp in ms; also the sender's send time when clocks agree. */
  lamport: number
  /** Local wall-clock ms at which this peer delivered the line. */
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
}

/** A room the user can join, from the registry (or the current plain topic). */
export interface RoomInfo {
  name: string
  desc: string
  rendezvous: string
  trustedPeers: string[]
  /** True for the room we are in now. */
  joined: boolean
}

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

/** A row of `/peers`: one connected peer. */
export interface PeerRow {
  peerId: string
  /** Last nick seen from this peer on the topic, if any. */
  nick?: string
  /** Remote address of the (first) open connection. */
  address: string
  direction: 'inbound' | 'outbound'
  /** `relayed` through a circuit relay (limited), or `direct`; a direct connection is shown when there is one. */
  link: 'direct' | 'relayed'
  /** Round-trip ping latency in ms, or undefined when the ping failed. */
  latencyMs?: number
  /** True when the peer is subscribed to our topic and gossipsub has a stream to send it messages. */
  inTopic: boolean
  /** True when the peer is subscribed to our topic but gossipsub has no stream to it (we cannot send to it). */
  noStream?: boolean
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
  /** A system notice worth showing (dim line), e.g. "connected to ...", "dropped a forged message". */
  notice: { level: 'info' | 'warn' | 'error', text: string }
  /** The active room changed (`/join`, `/leave`). */
  'room:change': { name: string, previous: string }
  /** The presence roster changed: who appeared and who left (by timeout or a clean quit). Collapse when many. */
  'roster:change': { joined: RosterEntry[], left: RosterEntry[], changed: RosterEntry[] }
}

/** Our own identity, as `/id` shows it. */
export interface Identity {
  peerId: string
  /** Dialable multiaddrs including `/p2p/<peerId>`, for `/connect` elsewhere. */
  addresses: string[]
  /** The profile's data directory, when anything is kept on disk. */
  dataDir?: string
}

/**
 * What the UI drives: one chat session in one room. The CLI implements it over
 * a Room and a libp2p node; tests implement it with a fake.
 * Events are dispatched as `CustomEvent`s whose `detail` is typed by RoomEventMap.
 */
export interface ChatSession {
  /** The user-facing name of the active room (the `--topic` value or a registry room name). */
  readonly topic: string
  /** Current own nick. */
  readonly nick: string
  readonly peerId: string
  /** Send a chat line; resolves once it is queued (it is delivered to own UI at once). */
  send (text: string): Promise<void>
  /** Send a `/me` action. */
  sendAction (text: string): Promise<void>
  /** Change the own nick (validated: 1-32 printable chars, no spaces); throws P2pchatError('INVALID_COMMAND'). */
  setNick (nick: string): void
  /** Dial a peer. Throws P2pchatError with code INVALID_MULTIADDR, DIAL_FAILED or DIAL_TIMEOUT. Resolves with the remote peer id. */
  connect (multiaddr: string): Promise<string>
  /** Connected peers, with ping latency (pings run in parallel with a short timeout). */
  peers (): Promise<PeerRow[]>
  identity (): Identity
  /** Number of peers currently subscribed to our topic. */
  topicPeerCount (): number
  status (): RoomStatus
  /** The last `limit` chat lines in canonical order. */
  history (limit: number): ChatLine[]
  /** The last `limit` lines restored from disk at start (shown once as history when the UI starts). */
  startupHistory? (limit: number): ChatLine[]
  /** Known nicks (for tab completion). */
  knownNicks (): string[]
  /** Rooms of the loaded registry plus the active room (never empty). */
  rooms (): RoomInfo[]
  /**
   * Switches the active room without restarting: a registry room name, or any other string as
   * a plain topic. Leaves the old topic and stops providing its rendezvous. Resolves with the new
   * room's name; throws P2pchatError('INVALID_COMMAND') for an invalid name.
   */
  join (nameOrTopic: string): Promise<string>
  /** Returns to the previous room; throws P2pchatError('INVALID_COMMAND') when there is none. */
  leave (): Promise<string>
  /** The presence roster of the active room, ourselves included, most recently active first. */
  who (): RosterEntry[]
  /** Sets the presence status text (empty clears it) and clears away. Max 100 characters. */
  setStatusText (text: string): void
  /** Toggles away (or sets it when `away` is given); returns the new value. */
  setAway (away?: boolean): boolean
  /** Estimates the room size by a probabilistic poll; resolves after the reply window. */
  census (): Promise<CensusResult>
  addEventListener<K extends keyof RoomEventMap> (type: K, listener: (evt: CustomEvent<RoomEventMap[K]>) => void): void
  removeEventListener<K extends keyof RoomEventMap> (type: K, listener: (evt: CustomEvent<RoomEventMap[K]>) => void): void
}

/**
 * What fault injection does to one inbound topic message between gossipsub and the reliability
 * core (`RoomOptions.inboundFaults`; tests and the simulator only).
 */
export interface InboundFault {
  /** Drop it: the core never sees this copy. */
  drop?: boolean
  /** Hand it to the core twice (the second copy must be dropped as a duplicate). */
  duplicate?: boolean
  /** Hand it over this many ms late (copies arriving meanwhile overtake it). */
  delayMs?: number
}
