/**
 * The direct-message commands: `/msg`, `/query`, `/back`, `/dms`, `/ignore` and `/unignore`;
 * and, while a `/query` is open, typed lines and `/me`, which go to that peer. A peer is named
 * as `/ban` names one (`peer-ref.ts`): a nick from the roster, the stored lines or the
 * conversations, `nick#tag`, or a full peer id. The message itself shows through the session's
 * `dm` event, as a room line does through `message`.
 */

import { P2pchatError } from '../errors.js'
import { LOOKUP_LINES } from './govern-dispatch.js'
import { peerDirectory, resolvePeer } from './peer-ref.js'
import type { ParsedInput } from './commands.js'
import type { NamedPeer } from './direct-lines.js'
import type { DispatchContext } from './dispatch.js'
import type { ChatSession } from '../session/types.js'

/** How many of a conversation's last messages `/query` shows. */
export const QUERY_RECENT = 10

/** The parsed inputs this module carries out. */
export type DirectInput = Extract<ParsedInput, { type: 'msg' | 'query' | 'back' | 'dms' | 'ignore' | 'unignore' | 'ignored' }>

const COMMAND_TYPES: ReadonlySet<string> = new Set(['msg', 'query', 'back', 'dms', 'ignore', 'unignore', 'ignored'])

/** True when `input` is a direct-message command. */
export function isDirectInput (input: ParsedInput): input is DirectInput {
  return COMMAND_TYPES.has(input.type)
}

/** Sends a typed line (`action`: `/me`) to the peer of the open query; false when none is open (it goes to the room). */
export function sendToQuery (ctx: DispatchContext, text: string, action: boolean): boolean {
  const peer = ctx.direct.query?.peer
  if (peer === undefined) return false
  ctx.session.sendDirect(peer, text, action)
  return true
}

/** Peer id → nick from the stored lines, the conversations, `extra` and the roster (freshest last). */
function knownPeers (session: ChatSession, extra: readonly string[] = []): Map<string, string> {
  return peerDirectory([
    ...session.history(LOOKUP_LINES).map(l => ({ peerId: l.from, nick: l.nick })),
    ...session.conversations().map(c => ({ peerId: c.peer, nick: c.nick })),
    ...extra.map(peerId => ({ peerId })),
    ...session.who().map(e => ({ peerId: e.peerId, nick: e.nick }))
  ])
}

/** The peer `target` names (`extra`: more peers it may name, e.g. the ignored), with its nick when known; never ourselves. */
function resolve (ctx: DispatchContext, target: string, extra: readonly string[] = []): NamedPeer {
  const { session, direct } = ctx
  const known = knownPeers(session, extra)
  const peer = resolvePeer(target, known, session.peerId)
  if (peer === session.peerId) throw new P2pchatError('INVALID_COMMAND', 'that is your own peer id')
  const nick = known.get(peer) ?? direct.nickOf(peer)
  if (nick === undefined || nick === '') return { peer }
  direct.remember(peer, nick)
  return { peer, nick }
}

/** Each ignored peer, with its nick when known. */
function ignoredPeers (ctx: DispatchContext): NamedPeer[] {
  return ctx.session.ignored().map(peer => ({ peer, nick: ctx.direct.nickOf(peer) }))
}

/** Carries out a direct-message input; throws what the session throws (dispatch prints it). */
export function runDirect (input: DirectInput, ctx: DispatchContext): void {
  const { session, renderer, print, direct } = ctx
  switch (input.type) {
    case 'msg': session.sendDirect(resolve(ctx, input.target).peer, input.text); return
    case 'query': {
      const named = resolve(ctx, input.target)
      direct.openQuery(named.peer, named.nick)
      print(renderer.query(named, session.topic, session.directHistory(named.peer, QUERY_RECENT)))
      ctx.refreshPrompt()
      return
    }
    case 'back':
      print(direct.closeQuery() ? renderer.query(undefined, session.topic) : renderer.alreadyInRoom(session.topic))
      ctx.refreshPrompt()
      return
    case 'dms':
      print(renderer.conversations(session.conversations().map(c => ({ ...c, nick: c.nick !== undefined && c.nick !== '' ? c.nick : direct.nickOf(c.peer) }))))
      return
    case 'ignored': print(renderer.ignored(ignoredPeers(ctx))); return
    case 'ignore':
    case 'unignore': {
      const before = session.ignored()
      const named = resolve(ctx, input.target, input.type === 'unignore' ? before : [])
      const ignoring = input.type === 'ignore'
      if (ignoring) session.ignore(named.peer)
      else session.unignore(named.peer)
      print(renderer.ignoreChanged(named, ignoring, before.includes(named.peer) !== ignoring, ignoredPeers(ctx)))
    }
  }
}
