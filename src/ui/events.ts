/**
 * Subscribes a Renderer to a session's events and prints what it renders.
 * Room lines and direct messages of ignored peers (`/ignore`) are not shown.
 * Handlers never throw into the session's dispatch (an exception from an
 * EventTarget listener would surface as an uncaught error); a failure becomes
 * one error line instead.
 */

import { DirectView } from './direct-view.js'
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
    listen(session, 'message', guarded(renderer.message, undefined, hooks.printMessage, line => !line.own && direct.isIgnored(line.from))),
    listen(session, 'message:state', guarded(renderer.messageState, hooks.onState)),
    listen(session, 'dm', guarded(line => renderer.direct(line, line.own ? direct.nickOf(line.peer) : undefined), undefined, hooks.printDirect, line => !line.own && direct.isIgnored(line.peer))),
    listen(session, 'dm:state', guarded(update => renderer.directState(update, direct.nickOf(update.peer)), hooks.onDirectState)),
    listen(session, 'peer:join', guarded(peer => renderer.peerJoin(peer, rosterSize(session)), hooks.onPresence)),
    listen(session, 'peer:leave', guarded(peer => renderer.peerLeave(peer, rosterSize(session), inRoster(session, peer.peerId)), hooks.onPresence)),
    listen(session, 'peers:count', guarded(() => [], hooks.onPresence)),
    listen(session, 'room:change', guarded(renderer.roomChange, hooks.onPresence)),
    listen(session, 'roster:change', guarded(renderer.rosterChange, hooks.onPresence)),
    listen(session, 'notice', guarded(renderer.notice)),
    listen(session, 'governance', guarded(renderer.governance))
  ]
  return () => { for (const off of offs) off() }
}
