/**
 * What the UI sees of everything below it: the `ChatSession` it drives, the rows
 * and snapshots that session answers with, and the events it emits. The UI imports
 * from here only.
 */
import type { ChatLine, CommitteeView, GovernanceNotice, OwnMessageState, RoomEventMap, RoomStatus } from '../room/types.js'
import type { GovernanceAction } from '../room/governance-codec.js'
import type { CensusResult, RosterEntry } from '../presence/index.js'
import type { DirectLine, DirectState } from '../direct/index.js'

export type { CensusResult, ChatLine, CommitteeView, DirectLine, DirectState, GovernanceNotice, OwnMessageState, RoomStatus, RosterEntry }

/** What a trusted peer may ask the room's committee to do: `/ban`, `/unban`, `/title`, `/pin`, `/unpin`. */
export type GovernAction = Exclude<GovernanceAction, { type: 'checkpoint' }>

/** A room the user can join, from the registry (or the current plain topic). */
export interface RoomInfo {
  name: string
  desc: string
  rendezvous: string
  trustedPeers: string[]
  /** True for the room we are in now. */
  joined: boolean
  /** A private room: only holders of its key (its invite) can find or read it. */
  private?: true
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

/** Our own identity, as `/id` shows it. */
export interface Identity {
  peerId: string
  /** Dialable multiaddrs including `/p2p/<peerId>`, for `/connect` elsewhere. */
  addresses: string[]
  /** The profile's data directory, when anything is kept on disk. */
  dataDir?: string
}

/** Everything a session emits: its room's events, and room switches. */
export interface SessionEventMap extends RoomEventMap {
  /** The active room changed (`/join`, `/leave`). */
  'room:change': { name: string, previous: string }
  /** A direct message was sent (own, pending at first) or received. */
  dm: DirectLine
  /** An own direct message changed state: delivered to the recipient's client (✓), or expired. */
  'dm:state': { id: string, peer: string, state: DirectState }
}

/**
 * What the UI drives: one chat session in one room. The CLI implements it over
 * a Room and a libp2p node; tests implement it with a fake.
 * Events are dispatched as `CustomEvent`s whose `detail` is typed by SessionEventMap.
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
   * Switches the active room without restarting: an invite (`p2pchat:room/<name>#<key>`, its key
   * then kept in the profile), the name of a private room whose key the profile holds, a registry
   * room name, or any other string as a plain topic. Leaves the old topic and stops providing its
   * rendezvous. Resolves with the new room's name; throws P2pchatError('INVALID_COMMAND') for an
   * invalid name or invite, or a private registry room without its key.
   */
  join (nameOrTopic: string): Promise<string>
  /** The active room's invite; throws P2pchatError('INVALID_COMMAND') when the room is not private. */
  invite (): string
  /**
   * Makes a new private room called `name` with a random key, keeps the key in the profile and
   * switches to it. Resolves with its invite; throws P2pchatError('INVALID_COMMAND') for a name
   * with spaces, `#` or `/`, or over 64 characters.
   */
  createRoom (name: string): Promise<string>
  /**
   * Moves the active private room to a new random key: the new invite is said in the old room
   * (sealed with the old key, so its members and only they learn it), the new key is kept, and
   * the session switches to the new room. Old history stays readable with the old key. Resolves
   * with the new invite; throws P2pchatError('INVALID_COMMAND') when the room is not private.
   */
  rekey (): Promise<string>
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
  /** The active room's committee and what it decided (`/committee`, `/pins`). */
  committee (): CommitteeView
  /**
   * Asks the active room's committee to ban, unban, set the title, pin or unpin. Resolves once the
   * committee's leader took the command (the decision arrives as a `governance` event); rejects
   * with a one-line P2pchatError('INVALID_COMMAND') otherwise (not a trusted peer, no committee…).
   */
  govern (action: GovernAction): Promise<void>
  /**
   * Sends a direct message to `peer` (a full peer id) over `/p2pchat/dm/1.0.0`, end to end. It is
   * shown at once as pending (a `dm` event), kept in the profile, and retried until the peer's
   * client has it (then `dm:state` delivered) or the retention runs out (expired). Throws
   * P2pchatError('INVALID_COMMAND') for an empty or too long text, or our own peer id.
   */
  sendDirect (peer: string, text: string, action?: boolean): DirectLine
  /** The last `limit` direct messages with `peer`, oldest first (both directions). */
  directHistory (peer: string, limit: number): DirectLine[]
  /** Conversations: each peer we exchanged direct messages with, its last nick, when the last message was, and how many of ours are pending (newest first). */
  conversations (): Array<{ peer: string, nick?: string, last: number, pending: number }>
  /** Stops showing `peer`'s room lines and direct messages (kept in the profile). */
  ignore (peer: string): void
  /** Shows `peer` again. */
  unignore (peer: string): void
  /** Peers ignored. */
  ignored (): string[]
  addEventListener<K extends keyof SessionEventMap> (type: K, listener: (evt: CustomEvent<SessionEventMap[K]>) => void): void
  removeEventListener<K extends keyof SessionEventMap> (type: K, listener: (evt: CustomEvent<SessionEventMap[K]>) => void): void
}
