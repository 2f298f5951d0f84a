/**
 * Subscribes a Renderer to a session's events and prints what it renders.
 * Room lines and direct messages of ignored peers (`/ignore`) are not shown.
 * A room switch says whether the room now active is private (from `rooms()`); a live room
 * line of another peer holding an invite to another room is followed by how to join it.
 * Handlers never throw into the session's dispatch (an exception from an
 * EventTarget listener would surface as an uncaught error); a failure becomes
 * one error line instead.
 */

import { DirectView } from './direct-view.js'
import { findInvites, type SeenInvite } from './private-lines.js'
import type { Renderer } from './renderer.js'
import type { ChatLine, ChatSession, DirectLine, SessionEventMap } from '../session/types.js'

/** Where rendered lines go. */
export type PrintLines = (lines: string[]) => void

/** Optional extras for a front end that does more than print. */
export interface SessionEventHooks {
  /** Called after a peer joins or leaves, the roster changes, or the room changes (to refresh the prompt). */
  onPresence?: () => void
  /** Prints a rendered chat line instead of `print`, knowing which line it shows. */
  printMessage?: (lines: string[], line: ChatLine) => void
  /** Called after an own line's state change was rendered and printed. */
  onState?: (update: SessionEventMap['message:state']) => void
  /** Prints a rendered direct message instead of `print`, knowing which message it shows. */
  printDirect?: (lines: string[], line: DirectLine) => void
  /** Called after an own direct message's state change was rendered and printed. */
  onDirectState?: (update: SessionEventMap['dm:state']) => void
  /** The front end's direct-message state: names the other party of own direct messages. @default a fresh one */
  direct?: DirectView
}

function listen<K extends keyof SessionEventMap> (session: ChatSession, type: K, handle: (detail: SessionEventMap[K]) => void): () => void {
  const listener = (evt: CustomEvent<SessionEventMap[K]>): void => { handle(evt.detail) }
  session.addEventListener(type, listener)
  return () => { session.removeEventListener(type, listener) }
}

/** The length of the session's presence roster, or undefined when it cannot tell. */
function rosterSize (session: ChatSession): number | undefined {
  try { return session.who().length } catch { return undefined }
}

/** True when the session's presence roster holds the peer (true when it cannot tell). */
function inRoster (session: ChatSession, peerId: string): boolean {
  try { return session.who().some(entry => entry.peerId === peerId) } catch { return true }
}

/** True when the active room is a private one (false when the session cannot tell). */
function activeIsPrivate (session: ChatSession): boolean {
  try { return session.rooms().find(r => r.joined)?.private === true } catch { return false }
}

/** The active room's invite, or undefined when it is not private. */
function activeInvite (session: ChatSession): string | undefined {
  try { return session.invite() } catch { return undefined }
}

/**
 * The first invite in another peer's live room line, unless it is the active room's own
 * (nothing to join then); undefined when there is none.
 */
function sharedInvite (session: ChatSession, line: ChatLine): SeenInvite | undefined {
  if (line.own || line.history === true) return undefined
  const found = findInvites(line.text)
  if (found.length === 0) return undefined
  const own = activeInvite(session)
  return found.find(f => f.invite !== own)
}

/**
 * Renders every session event with `renderer` into `print` (chat lines into
 * `hooks.printMessage` when given), calling the other `hooks` after the
 * events they name. Returns the function that removes every listener it added.
 */
export function renderSessionEvents (session: ChatSession, renderer: Renderer, print: PrintLines, hooks: SessionEventHooks = {}): () => void {
  const direct = hooks.direct ?? new DirectView(session)
  /** Renders `detail` unless `hidden(detail)`, and prints it through `out`. */
  const guarded = <T>(render: (detail: T) => string[], after?: (detail: T) => void, out: (lines: string[], detail: T) => void = lines => { print(lines) }, hidden?: (detail: T) => boolean) => (detail: T): void => {
    try {
      if (hidden?.(detail) === true) return
      out(render(detail), detail)
      after?.(detail)
    } catch (err) {
      try { print(renderer.error(`could not show an event: ${err instanceof Error ? err.message : String(err)}`)) } catch {}
    }
  }
  const offs = [
    listen(session, 'message', guarded(renderer.message, line => {
      const seen = sharedInvite(session, line)
      if (seen !== undefined) print(renderer.inviteSeen(line, seen.room, seen.invite))
    }, hooks.printMessage, line => !line.own && direct.isIgnored(line.from))),
    listen(session, 'message:state', guarded(renderer.messageState, hooks.onState)),
    listen(session, 'dm', guarded(line => renderer.direct(line, line.own ? direct.nickOf(line.peer) : undefined), undefined, hooks.printDirect, line => !line.own && direct.isIgnored(line.peer))),
    listen(session, 'dm:state', guarded(update => renderer.directState(update, direct.nickOf(update.peer)), hooks.onDirectState)),
    listen(session, 'peer:join', guarded(peer => renderer.peerJoin(peer, rosterSize(session)), hooks.onPresence)),
    listen(session, 'peer:leave', guarded(peer => renderer.peerLeave(peer, rosterSize(session), inRoster(session, peer.peerId)), hooks.onPresence)),
    listen(session, 'peers:count', guarded(() => [], hooks.onPresence)),
    listen(session, 'room:change', guarded(change => renderer.roomChange(change, activeIsPrivate(session)), hooks.onPresence)),
    listen(session, 'roster:change', guarded(renderer.rosterChange, hooks.onPresence)),
    listen(session, 'notice', guarded(renderer.notice)),
    listen(session, 'governance', guarded(renderer.governance))
  ]
  return () => { for (const off of offs) off() }
}
