/**
 * Messages named on a command line (`/pin`, `/unpin`): 4 or more hex characters of the id (a
 * leading `#`, as `/lastlog` and `/pins` show ids, is allowed), or a nick, meaning that peer's
 * last line among the candidates. A full 32-character id is taken even when no candidate has it.
 */

import { P2pchatError } from '../errors.js'
import { cut } from './roster-tables.js'
import { peerTag } from './peer-ref.js'
import { sanitize } from './sanitize.js'
import type { ChatLine } from '../session/types.js'

/** Hex characters of a message id that `/lastlog` and `/pins` show. */
export const SHOWN_ID_CHARS = 8
/** Fewest hex characters of an id a command accepts. */
export const MIN_ID_CHARS = 4
/** Characters of text an ambiguity error quotes per message. */
const QUOTED = 24
/** How many of the candidates an ambiguity error lists. */
const LISTED = 5

/** A message a command may name: its id and, when stored here, its line. */
export interface MessageCandidate { id: string, line?: ChatLine }

/** A message id as `/lastlog` and `/pins` show it: `#` and its first 8 characters; sanitised. */
export function shortMessageId (id: string): string {
  return `#${sanitize(id.slice(0, SHOWN_ID_CHARS))}`
}

function described (c: MessageCandidate): string {
  return c.line === undefined ? shortMessageId(c.id) : `${shortMessageId(c.id)} ${c.line.nick} "${cut(c.line.text, QUOTED)}"`
}

function fitsNick (line: ChatLine, name: string): boolean {
  const lower = name.toLowerCase()
  return line.nick.toLowerCase() === lower || `${line.nick}#${peerTag(line.from)}`.toLowerCase() === lower
}

function listing (found: readonly MessageCandidate[]): string {
  const more = found.length > LISTED ? ` and ${found.length - LISTED} more` : ''
  return found.slice(0, LISTED).map(described).join(', ') + more
}

/**
 * The message id `ref` names among `candidates` (oldest first). `notFound` is the error text
 * when it names none. Throws a one-line P2pchatError('INVALID_COMMAND') when it names none or
 * several (listed).
 */
export function resolveMessage (ref: string, candidates: readonly MessageCandidate[], notFound: string): string {
  const hashed = ref.startsWith('#')
  const text = hashed ? ref.slice(1) : ref
  if (new RegExp(`^[0-9a-f]{${MIN_ID_CHARS},32}$`, 'i').test(text)) {
    const prefix = text.toLowerCase()
    const found = [...new Map(candidates.filter(c => c.id.startsWith(prefix)).map(c => [c.id, c])).values()]
    if (found.length === 1) return found[0].id
    if (found.length > 1) throw new P2pchatError('INVALID_COMMAND', `"${ref}" fits ${found.length} messages: ${listing(found)}; give more of the id`)
    if (prefix.length === 32) return prefix
  }
  if (!hashed) {
    const byNick = candidates.filter(c => c.line !== undefined && fitsNick(c.line, text))
    const peers = [...new Set(byNick.map(c => c.line?.from ?? ''))]
    if (peers.length > 1) {
      const last = peers.map(p => byNick.findLast(c => c.line?.from === p)).filter(c => c !== undefined)
      throw new P2pchatError('INVALID_COMMAND', `"${ref}" is ${peers.length} peers, whose last lines are ${listing(last)}; give the message id`)
    }
    const last = byNick.at(-1)
    if (last !== undefined) return last.id
  }
  throw new P2pchatError('INVALID_COMMAND', notFound)
}
