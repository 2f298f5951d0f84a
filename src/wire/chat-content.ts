/**
 * Encode and decode `ChatContent` (nick, text, action), the content of a
 * KIND_CONTENT message. Text and nick are bounded and stripped of nothing here:
 * the UI neutralises control characters when it prints.
 */

import { schema } from './schema.js'
import { MAX_NICK_LENGTH, MAX_TEXT_LENGTH } from './limits.js'
import type { DecodeResult } from './chat-message.js'

/** A chat line's content. */
export interface ChatContent {
  nick: string
  text: string
  action: boolean
}

/** Encodes a chat line's content. */
export function encodeChatContent (content: ChatContent): Uint8Array {
  return schema.ChatContent.encode(content).finish()
}

/** Decodes and checks a chat line's content. Never throws. */
export function decodeChatContent (bytes: Uint8Array): DecodeResult<ChatContent> {
  let raw: Partial<ChatContent>
  try {
    raw = schema.ChatContent.decode(bytes) as unknown as Partial<ChatContent>
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: `undecodable content: ${(err as Error).message}` }
  }
  const nick = raw.nick ?? ''
  const text = raw.text ?? ''
  if (nick.length > MAX_NICK_LENGTH) return { ok: false, reason: 'oversized', detail: `nick longer than ${MAX_NICK_LENGTH}` }
  if (text.length > MAX_TEXT_LENGTH) return { ok: false, reason: 'oversized', detail: `text longer than ${MAX_TEXT_LENGTH}` }
  return { ok: true, value: { nick, text, action: raw.action === true } }
}
