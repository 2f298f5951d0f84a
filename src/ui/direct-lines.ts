/**
 * Pure formatting of direct messages and their command output: `12:04 *bob* hi` (received),
 * `12:04 -> *bob* hi ✓` (sent), `/dms` and `/ignore` listings, and the texts of `/query`,
 * `/back`, `/ignore` and `/unignore`. The `*nick*` of a direct message is magenta, so a
 * direct line never reads as a room line; every remote string is sanitised.
 */

import { HISTORY_MARK, LATE_ARRIVAL_MS, peerLabel, plural, stampOf } from './format.js'
import { sanitize } from './sanitize.js'
import { shortId } from './short-id.js'
import { alignColumns } from './tables.js'
import type { Styler } from './style.js'
import type { ChatLine, DirectLine, DirectState } from '../session/types.js'

/** A peer as the `/dms` and `/ignore` listings name it. */
export interface NamedPeer { peer: string, nick?: string }

/** A conversation as `/dms` lists it (`session.conversations()`, nick filled in when known). */
export interface Conversation extends NamedPeer { last: number, pending: number }

/**
 * What an own direct message shows after its text, per state: `…` pending (not yet on the
 * recipient's client), `✓` delivered, red `✗` expired (given up). One column each.
 */
export const DIRECT_STATE_MARKS: Readonly<Record<DirectState, string>> = {
  pending: '…',
  delivered: '✓',
  expired: '✗'
}

/** True when `line` is a direct message rather than a room line. */
export function isDirectLine (line: ChatLine | DirectLine): line is DirectLine {
  return 'peer' in line && 'seq' in line
}

/** Marker before the recipient of an own direct message: `12:04 -> *bob* hi`. */
export const SENT_MARK = '->'

/** `*bob*`, magenta: the other party of a direct message (its short id when the nick is unknown). */
function party (name: string | undefined, peer: string, styler: Styler): string {
  const text = name === undefined || name === '' ? shortId(peer) : sanitize(name)
  return styler.apply(['magenta', 'bold'], `*${text}*`)
}

function stateMark (state: DirectState | undefined, styler: Styler): string {
  if (state === undefined) return ''
  return ' ' + styler.apply(state === 'expired' ? 'red' : 'dim', DIRECT_STATE_MARKS[state])
}

/**
 * One direct message. Received: `12:04 *bob* hi`, an action `12:04 * *bob* waves`, and
 * `(arrived HH:MM)` when it came more than a minute after it was sent (it waited for us to be
 * online). Sent: `12:04 -> *bob* hi …` naming the recipient by `peerNick` (its short id when
 * unknown), an action `12:04 -> *bob* * alice waves`, with its state mark. The time is when it was
 * sent, with the date when that is not the day of `now`. Stored lines (`asHistory`) are dim and
 * marked `~`.
 */
export function formatDirectLine (line: DirectLine, styler: Styler, peerNick?: string, asHistory = false, now?: number): string {
  const stamp = stampOf(line.sentAt, now)
  const time = asHistory ? `${stamp} ${HISTORY_MARK}` : styler.apply('dim', stamp)
  const text = sanitize(line.text)
  let body: string
  if (line.own) {
    const to = `${SENT_MARK} ${party(peerNick, line.peer, styler)}`
    const self = line.nick === '' ? shortId(line.from) : sanitize(line.nick)
    body = (line.action ? `${to} * ${self} ${text}` : `${to} ${text}`) + stateMark(line.state, styler)
  } else {
    const from = party(line.nick, line.from, styler)
    const late = line.receivedAt - line.sentAt > LATE_ARRIVAL_MS ? ' ' + styler.apply('dim', `(arrived ${stampOf(line.receivedAt, now)})`) : ''
    body = (line.action ? `* ${from} ${text}` : `${from} ${text}`) + late
  }
  const out = `${time} ${body}`
  return asHistory ? styler.apply('dim', out) : out
}

/** The rows of `/dms`: who, when the last message was, how many of ours are pending; newest first as given. */
export function conversationRows (list: readonly Conversation[], now: number, styler: Styler): string[] {
  return alignColumns(list.map(c => [
    peerLabel(c.peer, c.nick),
    stampOf(c.last, now),
    c.pending === 0 ? '' : styler.apply('yellow', `${c.pending} pending`)
  ]))
}

/** The head line of `/dms`. */
export function conversationsHead (count: number): string {
  return count === 0
    ? 'no direct messages yet: /msg <nick> <text> sends one'
    : `direct conversations: ${count} (/query <nick> opens one)`
}

/** The `/ignore` list as one line. */
export function ignoredText (peers: readonly NamedPeer[]): string {
  if (peers.length === 0) return 'you ignore nobody (/ignore <nick|peer id> hides a peer)'
  return `ignoring ${plural(peers.length, 'peer')}: ${peers.map(p => peerLabel(p.peer, p.nick)).join(', ')} (/unignore <nick|peer id> shows one again)`
}

/** What `/ignore <peer>` (`ignoring` true) or `/unignore <peer>` did; `changed` false when it was so already. */
export function ignoreChangeText (peer: NamedPeer, ignoring: boolean, changed: boolean): string {
  const who = peerLabel(peer.peer, peer.nick)
  if (ignoring) return changed ? `ignoring ${who}: their room lines and direct messages are hidden` : `already ignoring ${who}`
  return changed ? `no longer ignoring ${who}` : `${who} was not ignored`
}

/** What `/query` (`peer` given) or `/back` did, in room `room`. */
export function queryText (peer: NamedPeer | undefined, room: string): string {
  if (peer === undefined) return `back in room ${room}: your lines go to the room`
  return `talking to ${peerLabel(peer.peer, peer.nick)}: your lines go to them only, as direct messages; /back returns to room ${room}`
}

/** The warning line of an own direct message that expired (`preview`: its text, cut), or was delivered after all. */
export function directStateText (state: DirectState, peer: NamedPeer, preview?: string): string | undefined {
  const who = peerLabel(peer.peer, peer.nick)
  const quoted = preview === undefined ? '' : `: "${preview}"`
  if (state === 'expired') return `✗ not delivered to ${who}, gave up${quoted}`
  if (state === 'delivered') return `✓ delivered to ${who} after all${quoted}`
  return undefined
}
