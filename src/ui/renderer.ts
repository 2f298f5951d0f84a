/**
 * The Renderer contract: turns each session event and command result into
 * output lines. Two implementations exist, human text (`render-text.ts`) and
 * NDJSON (`json.ts`); the plain and interactive front ends use either.
 */

import type { CensusResult, ChatLine, CommitteeView, DirectLine, GovernAction, Identity, PeerRow, SessionEventMap, RoomInfo, RoomStatus, RosterEntry } from '../session/types.js'
import type { Conversation, NamedPeer } from './direct-lines.js'

/** Turns events and command results into lines to print (no trailing newlines). */
export interface Renderer {
  /** A delivered chat line (own lines too). */
  message: (line: ChatLine) => string[]
  /**
   * The chat row alone of own line `line`, showing `line.state`, without side
   * effects: what the interactive terminal writes over an own line when its
   * delivery state changes. Absent when lines cannot be rewritten (NDJSON).
   */
  ownLine?: (line: ChatLine) => string
  /** An own message changed delivery state. */
  messageState: (update: SessionEventMap['message:state']) => string[]
  /**
   * A peer subscribed to the topic. `rosterSize` is the presence roster's
   * length at the time, when known: the text renderer stays quiet when it is
   * above 1, since the roster's own join and leave lines say it better.
   */
  peerJoin: (peer: SessionEventMap['peer:join'], rosterSize?: number) => string[]
  /**
   * A peer left the topic; `rosterSize` as for `peerJoin`. `inRoster` says whether the roster
   * still holds it: a peer it never held (its records never reached us) has no roster line to
   * come, so the text renderer says it left even in a big room.
   */
  peerLeave: (peer: SessionEventMap['peer:leave'], rosterSize?: number, inRoster?: boolean) => string[]
  /**
   * The active room changed (after `/join`, `/leave`, `/rekey`, or from the session itself);
   * `privateRoom` when the room now active is private (only holders of its invite can find or read it).
   */
  roomChange: (change: SessionEventMap['room:change'], privateRoom?: boolean) => string[]
  /** The presence roster changed. */
  rosterChange: (change: SessionEventMap['roster:change']) => string[]
  /** A notice from the session, or from the UI itself. */
  notice: (notice: SessionEventMap['notice']) => string[]
  /** `/connect` started dialling. */
  connecting: (multiaddr: string) => string[]
  /** `/connect` succeeded. */
  connected: (multiaddr: string, peerId: string) => string[]
  /** `/nick` succeeded. */
  nickChanged: (nick: string) => string[]
  /** A command failed: usage errors, unknown commands, session rejections. */
  error: (text: string, code?: string) => string[]
  /** `/peers` result. */
  peers: (rows: readonly PeerRow[]) => string[]
  /** `/id` result. */
  identity: (identity: Identity) => string[]
  /** `/status` result. */
  status: (status: RoomStatus) => string[]
  /** `/history` result: `lines` in canonical order, `limit` and `skip` (newest passed over) as asked. */
  history: (lines: readonly ChatLine[], limit: number, skip?: number) => string[]
  /** `/lastlog` result: the last matching `lines` (canonical order) of `total` matches of `text`. */
  lastlog: (lines: readonly ChatLine[], text: string, total: number) => string[]
  /** `/help` result. */
  help: () => string[]
  /** `/rooms` result (never empty: the active room is listed); private rooms are marked. */
  rooms: (rooms: readonly RoomInfo[]) => string[]
  /** `/invite` result: the invite of `room`, the active private room. */
  invite: (room: string, invite: string) => string[]
  /** `/rekey` succeeded: `room` moved to a new key, whose invite is `invite` (told to the old room's members). */
  rekeyed: (room: string, invite: string) => string[]
  /** Another peer's room line `line` holds `invite`, to the private room `room`: how to join it. */
  inviteSeen: (line: ChatLine, room: string, invite: string) => string[]
  /** `/who` result, most recently active first. */
  who: (entries: readonly RosterEntry[]) => string[]
  /** `/join` or `/leave` resolved with the room we were already in (no `room:change` followed). */
  alreadyInRoom: (name: string) => string[]
  /** `/status <text>` succeeded; `''` means the status was cleared. */
  statusText: (text: string) => string[]
  /** `/away` succeeded; `away` is the new state. */
  away: (away: boolean) => string[]
  /** `/census` started polling. */
  censusStarted: () => string[]
  /** `/census` finished. */
  census: (result: CensusResult) => string[]
  /**
   * The committee decided something. The text renderer shows a finality checkpoint only when
   * our history disagrees with it (they come every half minute or so); NDJSON shows every one.
   */
  governance: (notice: SessionEventMap['governance']) => string[]
  /**
   * `/ban`, `/unban`, `/title`, `/pin` or `/unpin` was taken by the committee's leader (the
   * decision follows as a `governance` event); `target` names its peer or message for people.
   */
  governed: (action: GovernAction, target: string) => string[]
  /** `/committee` result; `nicks` maps peer ids to nicks, `self` is our peer id. */
  committee: (view: CommitteeView, nicks: ReadonlyMap<string, string>, self: string) => string[]
  /** `/pins` result, in the committee's order. */
  pins: (pins: CommitteeView['pins']) => string[]
  /** A direct message sent (own, pending at first) or received; `peerNick` names the other party when known. */
  direct: (line: DirectLine, peerNick?: string) => string[]
  /**
   * The row alone of own direct message `line`, showing `line.state`, without side effects (as
   * `ownLine` for room lines). Absent when lines cannot be rewritten (NDJSON).
   */
  ownDirect?: (line: DirectLine, peerNick?: string) => string
  /** An own direct message changed state; `peerNick` as for `direct`. */
  directState: (update: SessionEventMap['dm:state'], peerNick?: string) => string[]
  /** `/query` opened the conversation with `peer` (its last `recent` messages, oldest first), or `/back` closed it (`peer` undefined); `room` is the active room. */
  query: (peer: NamedPeer | undefined, room: string, recent?: readonly DirectLine[]) => string[]
  /** `/dms` result, newest first. */
  conversations: (list: readonly Conversation[]) => string[]
  /** `/ignore` with no argument: the peers ignored. */
  ignored: (peers: readonly NamedPeer[]) => string[]
  /** `/ignore <peer>` (`ignoring` true) or `/unignore <peer>` took effect; `changed` false when it was so already; `peers` is the list now. */
  ignoreChanged: (peer: NamedPeer, ignoring: boolean, changed: boolean, peers: readonly NamedPeer[]) => string[]
}
