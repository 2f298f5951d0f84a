/**
 * The committee commands: `/committee` and `/pins` show what the room's committee decided;
 * `/ban`, `/unban`, `/title`, `/pin` and `/unpin` name a peer or a message as typed, resolve it
 * (`peer-ref.ts`, `message-ref.ts`) and hand the request to the session. Whether we may ask
 * (only a registry room's trusted peers may) is the session's to decide: its refusal is the
 * one error line, printed by `dispatch`.
 */

import { peerLabel } from './format.js'
import { messageTarget } from './governance-lines.js'
import { resolveMessage } from './message-ref.js'
import { peerDirectory, resolvePeer } from './peer-ref.js'
import type { ParsedInput } from './commands.js'
import type { DispatchContext } from './dispatch.js'
import type { ChatLine, ChatSession, CommitteeView, GovernAction } from '../session/types.js'

/** Stored lines searched for nicks and for the message `/pin` names. */
export const LOOKUP_LINES = 1000

/** The parsed inputs this module carries out. */
export type GovernanceInput = Extract<ParsedInput, { type: 'committee' | 'pins' | 'title' | 'pin' | 'unpin' | 'ban' | 'unban' }>

/** True when `input` is one of the committee commands. */
export function isGovernanceInput (input: ParsedInput): input is GovernanceInput {
  return ['committee', 'pins', 'title', 'pin', 'unpin', 'ban', 'unban'].includes(input.type)
}

/** `session.committee()`'s banned peers, or none when it cannot tell. */
function bannedPeers (session: ChatSession): CommitteeView['banned'] {
  try { return session.committee().banned } catch { return [] }
}

/** Peer id → nick from the stored lines, the banned and the roster (freshest last). */
function knownPeers (session: ChatSession, lines: readonly ChatLine[], banned: CommitteeView['banned'] = []): Map<string, string> {
  return peerDirectory([
    ...lines.map(l => ({ peerId: l.from, nick: l.nick })),
    ...banned.map(b => ({ peerId: b.peer, nick: b.nick })),
    ...session.who().map(e => ({ peerId: e.peerId, nick: e.nick }))
  ])
}

/** The action `input` asks for, and how to name its peer or message to people. */
function request (input: Exclude<GovernanceInput, { type: 'committee' | 'pins' }>, session: ChatSession): { action: GovernAction, target: string } {
  switch (input.type) {
    case 'title': return { action: { type: 'title', text: input.text }, target: '' }
    case 'ban':
    case 'unban': {
      const known = knownPeers(session, session.history(LOOKUP_LINES), input.type === 'unban' ? bannedPeers(session) : [])
      const peer = resolvePeer(input.target, known, session.peerId)
      const target = peerLabel(peer, known.get(peer))
      return { action: input.type === 'ban' ? { type: 'ban', peer, reason: input.reason } : { type: 'unban', peer }, target }
    }
    case 'pin': {
      const lines = session.history(LOOKUP_LINES)
      const messageId = resolveMessage(input.target, lines.map(line => ({ id: line.id, line })),
        `no message "${input.target}" among the last ${LOOKUP_LINES} lines: give 4 or more hex characters of its id (/lastlog <text> shows ids), or a nick for its last line`)
      return { action: { type: 'pin', messageId }, target: messageTarget(messageId, lines.find(l => l.id === messageId)) }
    }
    case 'unpin': {
      const pins = session.committee().pins
      const messageId = resolveMessage(input.target, pins.map(p => ({ id: p.messageId, line: p.line })),
        `no pinned message "${input.target}": /pins lists them with their ids`)
      return { action: { type: 'unpin', messageId }, target: messageTarget(messageId, pins.find(p => p.messageId === messageId)?.line) }
    }
  }
}

/** Carries out a committee command; throws what the session throws (dispatch prints it). */
export async function runGovernance (input: GovernanceInput, ctx: DispatchContext): Promise<void> {
  const { session, renderer, print } = ctx
  switch (input.type) {
    case 'committee': {
      const view = session.committee()
      print(renderer.committee(view, knownPeers(session, session.history(LOOKUP_LINES), view.banned), session.peerId))
      return
    }
    case 'pins': print(renderer.pins(session.committee().pins)); return
    default: {
      const { action, target } = request(input, session)
      await session.govern(action)
      print(renderer.governed(action, target))
    }
  }
}
