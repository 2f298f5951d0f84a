/**
 * The texts of committee system lines: what the committee decided (a `governance` event) and
 * what a `/ban`, `/unban`, `/title`, `/pin` or `/unpin` handed to it. Returns plain texts; the
 * caller makes them `-!-` lines. A finality checkpoint makes a line only when our history
 * disagrees with it (checkpoints come every half minute or so).
 */

import { clockTime, peerLabel, type SystemLevel } from './format.js'
import { cut } from './roster-tables.js'
import { shortId } from './short-id.js'
import { sanitize } from './sanitize.js'
import { shortMessageId } from './message-ref.js'
import type { ChatLine, GovernAction, GovernanceNotice } from '../session/types.js'

/** Characters of a pinned line's text quoted in a pin line. */
const PIN_QUOTE = 80

/** A system line to show: its text and level. */
export interface GovernanceLine { text: string, level: SystemLevel }

/** `HH:MM:SS` of `ms`, local, 24 h, with the date before it when not on the day of `now`. */
export function clockSeconds (ms: number, now?: number): string {
  const d = new Date(ms)
  const time = `${clockTime(ms)}:${String(d.getSeconds()).padStart(2, '0')}`
  if (now === undefined || new Date(now).toDateString() === d.toDateString()) return time
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${time}`
}

function byLabel (by: string, byNick?: string): string {
  return byNick === undefined || byNick === '' ? shortId(by) : sanitize(byNick)
}

/** `bob: the text` of a pinned line, or its id when it is not stored here. */
function pinnedText (messageId: string, line?: ChatLine): string {
  if (line === undefined) return `message ${shortMessageId(messageId)} (not stored here)`
  const nick = line.nick === '' ? shortId(line.from) : sanitize(line.nick)
  return `${nick}: ${cut(line.text, PIN_QUOTE)}`
}

/** The line for a committee decision, or undefined when it makes none (a checkpoint we agree with, or did not check). */
export function governanceLine (notice: GovernanceNotice, now?: number): GovernanceLine | undefined {
  const line = decisionLine(notice, now)
  // Caught up on (joining, a restart, a gap): say it is not news, so nobody reads an old ban as new.
  return line === undefined || notice.earlier !== true ? line : { ...line, text: `earlier: ${line.text}` }
}

function decisionLine (notice: GovernanceNotice, now?: number): GovernanceLine | undefined {
  switch (notice.type) {
    case 'banned': {
      const reason = notice.reason === '' ? '' : `: ${notice.reason}`
      if (notice.self) return { text: `you were banned from this room by ${byLabel(notice.by, notice.byNick)}${reason} — every peer now refuses your messages`, level: 'error' }
      return { text: `${peerLabel(notice.peer, notice.nick)} was banned by ${byLabel(notice.by, notice.byNick)}${reason}`, level: 'info' }
    }
    case 'unbanned':
      if (notice.self) return { text: `your ban from this room was lifted by ${byLabel(notice.by, notice.byNick)}: peers accept your messages again`, level: 'info' }
      return { text: `${peerLabel(notice.peer, notice.nick)} was unbanned by ${byLabel(notice.by, notice.byNick)}`, level: 'info' }
    case 'title':
      return { text: notice.text === '' ? `title cleared by ${byLabel(notice.by, notice.byNick)}` : `title: ${notice.text} (set by ${byLabel(notice.by, notice.byNick)})`, level: 'info' }
    case 'pinned':
    case 'unpinned':
      return { text: `${byLabel(notice.by, notice.byNick)} ${notice.type} ${pinnedText(notice.messageId, notice.line)}`, level: 'info' }
    case 'final':
      if (notice.agree !== false) return undefined
      return { text: `your history differs from the committee's final order up to ${clockSeconds(notice.lamport, now)}; asking peers for what is missing`, level: 'warn' }
  }
}

/** What a request the committee's leader took asks for; `target` describes its peer or message. */
export function governedText (action: GovernAction, target: string): string {
  switch (action.type) {
    case 'ban': return `the committee is deciding: ban ${target}${action.reason === '' ? '' : ` (${action.reason})`}`
    case 'unban': return `the committee is deciding: lift the ban on ${target}`
    case 'title': return action.text === '' ? 'the committee is deciding: clear the title' : `the committee is deciding: title "${action.text}"`
    case 'pin': return `the committee is deciding: pin ${target}`
    case 'unpin': return `the committee is deciding: unpin ${target}`
  }
}

/** How `governedText` and the pin lines name a message: `#3f9a1c2e (bob: the text)`, or the id alone. */
export function messageTarget (messageId: string, line?: ChatLine): string {
  return line === undefined ? shortMessageId(messageId) : `${shortMessageId(messageId)} (${pinnedText(messageId, line)})`
}
