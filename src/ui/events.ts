/**
 * Subscribes a Renderer to a session's events and prints what it renders.
 * Handlers never throw into the session's dispatch (an exception from an
 * EventTarget listener would surface as an uncaught error); a failure becomes
 * one error line instead.
 */

import type { Renderer } from './renderer.js'
import type { ChatSession, RoomEventMap } from '../room/types.js'

/** Where rendered lines go. */
export type PrintLines = (lines: string[]) => void

function listen<K extends keyof RoomEventMap> (session: ChatSession, type: K, handle: (detail: RoomEventMap[K]) => void): () => void {
  const listener = (evt: CustomEvent<RoomEventMap[K]>): void => { handle(evt.detail) }
  session.addEventListener(type, listener)
  return () => { session.removeEventListener(type, listener) }
}

/**
 * Renders every session event with `renderer` into `print`, calling
 * `onPresence` after a peer joins or leaves (to refresh the prompt).
 * Returns the function that removes every listener it added.
 */
export function renderSessionEvents (session: ChatSession, renderer: Renderer, print: PrintLines, onPresence: () => void = () => {}): () => void {
  const guarded = <T>(render: (detail: T) => string[], after?: () => void) => (detail: T): void => {
    try {
      print(render(detail))
      after?.()
    } catch (err) {
      try { print(renderer.error(`could not show an event: ${err instanceof Error ? err.message : String(err)}`)) } catch {}
    }
  }
  const offs = [
    listen(session, 'message', guarded(renderer.message)),
    listen(session, 'message:state', guarded(renderer.messageState)),
    listen(session, 'peer:join', guarded(renderer.peerJoin, onPresence)),
    listen(session, 'peer:leave', guarded(renderer.peerLeave, onPresence)),
    listen(session, 'notice', guarded(renderer.notice))
  ]
  return () => { for (const off of offs) off() }
}
