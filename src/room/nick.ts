/**
 * Nick validation, shared by the driver (our own nick) and the session (`/nick`).
 */
import { MAX_NICK_LENGTH } from '../wire/index.js'
import { P2pchatError } from '../errors.js'

/** Checks a nick: 1-32 printable characters without spaces; returns it trimmed. */
export function validateNick (nick: string): string {
  const trimmed = nick.trim()
  if (trimmed.length === 0 || trimmed.length > MAX_NICK_LENGTH || /[\s\p{Cc}]/u.test(trimmed)) {
    throw new P2pchatError('INVALID_COMMAND', `invalid nick "${nick.slice(0, 40)}": use 1-${MAX_NICK_LENGTH} printable characters without spaces`)
  }
  return trimmed
}
