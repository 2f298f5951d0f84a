/**
 * Turns a delivered content message into the `ChatLine` the UI shows: the decoded
 * nick and text, own or not, its mark, and the trusted flag of registry rooms.
 */
import type { ReliableMessage } from '../reliability/index.js'
import { decodeChatContent } from '../wire/index.js'
import type { ChatLine, OwnMessageState } from './types.js'

/** What a line needs to know of the room. */
export interface LineContext {
  selfId: string
  trustedPeers: readonly string[]
  ownState: (id: string) => OwnMessageState | undefined
}

/** The chat line of a content message delivered at `now`, or undefined when its content does not decode. */
export function toChatLine (msg: ReliableMessage, now: number, ctx: LineContext): ChatLine | undefined {
  const content = decodeChatContent(msg.content)
  if (!content.ok) return undefined
  const own = msg.senderId === ctx.selfId
  const line: ChatLine = {
    id: msg.messageId,
    from: msg.senderId,
    nick: content.value.nick,
    text: content.value.text,
    action: content.value.action,
    lamport: msg.lamport,
    sentAt: Math.min(msg.lamport, now),
    receivedAt: now,
    own
  }
  if (own) line.state = ctx.ownState(msg.messageId) ?? 'sent'
  if (ctx.trustedPeers.includes(msg.senderId)) line.trusted = true
  return line
}
