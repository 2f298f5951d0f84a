/**
 * The `/who` and `/rooms` tables. Pure; every remote string (nicks, status
 * texts, room descriptions) is sanitised, and long free texts are cut so a
 * row stays readable. A `*` in the first column marks our own entry (`/who`)
 * or the room we are in (`/rooms`), as irssi marks the active window.
 */

import { alignColumns } from './tables.js'
import { sanitize } from './sanitize.js'
import { shortId } from './short-id.js'
import { createStyler, peerColor } from './style.js'
import type { Styler } from './style.js'
import type { RoomInfo, RosterEntry } from '../session/types.js'

const PLAIN = createStyler(false)

/** How many roster entries `/who` lists; a bigger roster gets a count line and its most recently active. */
export const WHO_LIMIT = 50
/** Longest status text or room description shown in a table cell. */
export const CELL_TEXT_MAX = 40
/** Below this age a last-seen time shows as `now`. */
const NOW_MS = 2000

/** The mark of our own entry or room, in the first column. */
export const SELF_MARK = '*'

/** `text` sanitised and cut to `max` characters, ending in `…` when cut. */
export function cut (text: string, max = CELL_TEXT_MAX): string {
  const chars = [...sanitize(text)]
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…'
}

/** How long ago `then` was at `now`, coarsely: `now`, `12s`, `3m`, `5h`, `2d`. */
export function ago (then: number, now: number): string {
  const ms = now - then
  if (!Number.isFinite(ms) || ms < NOW_MS) return 'now'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86_400) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86_400)}d`
}

/** The status cell: the text, `(away)` after it when away, `—` when neither. */
function statusCell (entry: RosterEntry): string {
  const text = entry.status === '' ? '' : cut(entry.status)
  const away = entry.away ? '(away)' : ''
  const cell = [text, away].filter(t => t !== '').join(' ')
  return cell === '' ? '—' : cell
}

/**
 * The `/who` table: mark, nick in the sender's colour (bold for us), short
 * id, status, last seen, and whether we hold a direct connection. Rows go
 * most recently active first; past `WHO_LIMIT` entries, a count line heads
 * the `WHO_LIMIT` most recently active.
 */
export function whoTable (entries: readonly RosterEntry[], now: number, styler: Styler = PLAIN): string[] {
  if (entries.length === 0) return ['nobody in the roster yet']
  const sorted = [...entries].sort((a, b) => (b.self ? now : b.lastSeen) - (a.self ? now : a.lastSeen))
  const shown = sorted.slice(0, WHO_LIMIT)
  const header = ['', 'NICK', 'PEER', 'STATUS', 'SEEN', 'DIRECT']
  const cells = shown.map(e => [
    e.self ? SELF_MARK : '',
    styler.apply(e.self ? [peerColor(e.peerId), 'bold'] : [peerColor(e.peerId)], e.nick === '' ? '—' : sanitize(e.nick)),
    shortId(e.peerId),
    statusCell(e),
    e.self ? 'now' : ago(e.lastSeen, now),
    e.self ? '—' : e.direct ? 'yes' : 'no'
  ])
  const [head, ...body] = alignColumns([header, ...cells])
  const count = entries.length > WHO_LIMIT ? [`${entries.length} in the roster; showing the ${WHO_LIMIT} most recently active`] : []
  return [...count, styler.apply('bold', head), ...body]
}

/**
 * The `/rooms` table: mark, name, description, trusted-peer count, rendezvous (`—` when none).
 * When a listed room is private, an ACCESS column after the name says `private` or `open` (a
 * room anyone who knows its name can join).
 */
export function roomsTable (rooms: readonly RoomInfo[], styler: Styler = PLAIN): string[] {
  if (rooms.length === 0) return ['no rooms']
  const access = rooms.some(r => r.private === true)
  const header = ['', 'ROOM', ...(access ? ['ACCESS'] : []), 'DESCRIPTION', 'TRUSTED', 'RENDEZVOUS']
  const cells = rooms.map(r => [
    r.joined ? SELF_MARK : '',
    sanitize(r.name),
    ...(access ? [r.private === true ? 'private' : 'open'] : []),
    r.desc === '' ? '—' : cut(r.desc),
    String(r.trustedPeers.length),
    r.rendezvous === '' ? '—' : sanitize(r.rendezvous)
  ])
  const [head, ...body] = alignColumns([header, ...cells])
  return [styler.apply('bold', head), ...body]
}
