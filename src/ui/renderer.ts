/**
 * The Renderer contract: turns each session event and command result into
 * output lines. Two implementations exist, human text (`render-text.ts`) and
 * NDJSON (`json.ts`); the plain and interactive front ends use either.
 */

import type { ChatLine, Identity, PeerRow, RoomEventMap, RoomStatus } from '../room/types.js'

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
  messageState: (update: RoomEventMap['message:state']) => string[]
  /** A peer subscribed to the topic. */
  peerJoin: (peer: RoomEventMap['peer:join']) => string[]
  /** A peer left the topic. */
  peerLeave: (peer: RoomEventMap['peer:leave']) => string[]
  /** A notice from the session, or from the UI itself. */
  notice: (notice: RoomEventMap['notice']) => string[]
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
  /** `/history` result: `lines` in canonical order, `limit` as asked. */
  history: (lines: readonly ChatLine[], limit: number) => string[]
  /** `/help` result. */
  help: () => string[]
}
