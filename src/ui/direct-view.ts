/**
 * The UI's state of direct messages, shared by the renderer, the dispatcher and the prompt:
 * which peer `/query` opened (while one is open, typed lines and `/me` go to that peer), and
 * the nicks of the peers we write to. A direct message names its sender's nick, never its
 * recipient's, so an own line (`-> *bob* hi`) names the recipient from the roster, the
 * stored conversations, or the nick `/msg` and `/query` resolved.
 */

import type { ChatSession } from '../session/types.js'

/** How many resolved nicks are remembered. */
const REMEMBERED = 500

/** The peer a `/query` opened. */
export interface OpenQuery {
  /** Its full peer id. */
  peer: string
  /** Its nick when it was opened, if known. */
  nick?: string
}

/** The open query and the nicks of the peers we talk to directly. */
export class DirectView {
  private open?: OpenQuery
  private readonly remembered = new Map<string, string>()

  constructor (private readonly session: ChatSession) {}

  /** The open query, or undefined in the room view. */
  get query (): OpenQuery | undefined { return this.open }

  /** Opens the query of `peer` (replacing any other). */
  openQuery (peer: string, nick?: string): void {
    this.open = nick === undefined || nick === '' ? { peer } : { peer, nick }
    if (nick !== undefined) this.remember(peer, nick)
  }

  /** Closes the query; false when none was open. */
  closeQuery (): boolean {
    const was = this.open !== undefined
    this.open = undefined
    return was
  }

  /** Keeps `nick` as the name of `peer` (a peer `/msg` or `/query` resolved). */
  remember (peer: string, nick: string): void {
    if (nick === '') return
    this.remembered.delete(peer)
    this.remembered.set(peer, nick)
    if (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value ?? '')
  }

  /** The nick of `peer`: the roster's, else its conversation's, else the one remembered; undefined when none is known. */
  nickOf (peer: string): string | undefined {
    const sources: Array<() => string | undefined> = [
      () => this.session.who().find(e => e.peerId === peer)?.nick,
      () => this.session.conversations().find(c => c.peer === peer)?.nick,
      () => this.remembered.get(peer)
    ]
    for (const source of sources) {
      let nick: string | undefined
      try { nick = source() } catch { nick = undefined }
      if (nick !== undefined && nick !== '') return nick
    }
    return undefined
  }

  /** True when `peer` is ignored (false when the session cannot tell). */
  isIgnored (peer: string): boolean {
    try { return this.session.ignored().includes(peer) } catch { return false }
  }
}
