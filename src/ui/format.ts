/**
 * Pure formatting of chat events to terminal lines: `12:04 <alice> hi`,
 * `12:04 * alice waves`, dim `-!-` system lines, red errors. Every string
 * that came from the network (text, nicks, peer ids) is sanitised here, so a
 * remote peer cannot inject escape sequences. Times are the local wall clock,
 * 24 h. The command-output tables live in `tables.ts` and are re-exported.
 */

import { sanitize } from './sanitize.js'
import { shortId } from './short-id.js'
import { FINAL_MARK, LATE_WORD, TRUSTED_MARK } from './marks.js'
import { peerColor } from './style.js'
import type { StyleFormat, Styler } from './style.js'
import type { ChatLine, DirectState, OwnMessageState } from '../session/types.js'

export { peersTable, statusLines, identityLines, helpLines } from './tables.js'
export { shortId } from './short-id.js'
export { FINAL_MARK, LATE_WORD, TRUSTED_MARK } from './marks.js'

/** Level of a system line: info is dim, warn yellow, error red. */
export type SystemLevel = 'info' | 'warn' | 'error'

/** Marker between the time and the sender on replayed history lines (which are also dim). */
export const HISTORY_MARK = '~'

/**
 * What an own line shows after its text, per delivery state, like a
 * messenger's ticks: `…` on its way, dim `·` sent, `✓` confirmed by a peer,
 * red `✗` not confirmed. All one column wide, so a changed mark never makes
 * a line wrap differently.
 */
export const OWN_STATE_MARKS: Readonly<Record<OwnMessageState, string>> = {
  pending: '…',
  sent: '·',
  confirmed: '✓',
  'not-confirmed': '✗'
}

/**
 * True for the delivery state that never changes again: `confirmed` (a room line), `delivered`
 * (a direct message). A `not-confirmed` line can still turn `confirmed` (a peer that was cut
 * off, or quiet, acknowledges it later), an `expired` direct message `delivered`.
 */
export function isFinalState (state: OwnMessageState | DirectState | undefined): boolean {
  return state === 'confirmed' || state === 'delivered'
}

/** `HH:MM`, or `YYYY-MM-DD HH:MM` when `ms` is not on the day of `now` (when given). */
export function stampOf (ms: number, now?: number): string {
  if (now === undefined || sameLocalDay(ms, now)) return clockTime(ms)
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clockTime(ms)}`
}

function sameLocalDay (a: number, b: number): boolean {
  const x = new Date(a)
  const y = new Date(b)
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate()
}

function pad2 (n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** `HH:MM` of `ms` in local time, 24 h. */
export function clockTime (ms: number): string {
  const d = new Date(ms)
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`
}

/** `n word` or `n words`. */
export function plural (n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

const LEVEL_STYLE: Readonly<Record<SystemLevel, StyleFormat>> = { info: 'dim', warn: 'yellow', error: 'red' }

/** A system line `HH:MM -!- text` at time `at`: dim for info, yellow for warn, red for error. */
export function formatSystemLine (text: string, at: number, styler: Styler, level: SystemLevel = 'info'): string {
  return styler.apply(LEVEL_STYLE[level], `${clockTime(at)} -!- ${sanitize(text)}`)
}

/** `alice (12D3…abcd)` or just `12D3…abcd` when the nick is unknown; sanitised. */
export function peerLabel (peerId: string, nick?: string): string {
  const id = shortId(peerId)
  return nick === undefined || nick === '' ? id : `${sanitize(nick)} (${id})`
}

/** The dim line for a peer joining or leaving the topic: `HH:MM -!- alice (12D3…abcd) joined`. */
export function formatPeerEvent (peer: { peerId: string, nick?: string }, kind: 'joined' | 'left', at: number, styler: Styler): string {
  return styler.apply('dim', `${clockTime(at)} -!- ${peerLabel(peer.peerId, peer.nick)} ${kind}`)
}

function ownMark (state: OwnMessageState | undefined, styler: Styler): string {
  if (state === undefined) return ''
  const mark = OWN_STATE_MARKS[state]
  if (mark === '') return ''
  return ' ' + styler.apply(state === 'not-confirmed' ? 'red' : 'dim', mark)
}

/** A line that arrives this much after it was sent also shows when it arrived (ms). */
export const LATE_ARRIVAL_MS = 60_000

/**
 * One chat line, plus a dim `-!- N earlier messages could not be recovered`
 * line before it when it follows a gap. The time is when the line was sent
 * (`sentAt`), with the date when that is not the day of `now`; a line that
 * arrived out of order or more than a minute late ends with `(arrived HH:MM)`,
 * a line that arrived after the committee made the order final past it with
 * `(late)` (both: `(late, arrived HH:MM)`).
 * Own lines show the nick bold and a delivery mark; history lines (or all lines
 * when `asHistory`) are dim and marked `~`, or `FINAL_MARK` when their order is
 * final; lines from trusted peers carry
 * `TRUSTED_MARK` before the sender; a nick another peer uses too carries the
 * sender's tag (`bob#Y3H8`); a line that mentions you (`mention`) shows
 * the sender inverse and its text bold yellow.
 */
export function formatChatLine (line: ChatLine, styler: Styler, asHistory = false, mention = false, now?: number): string[] {
  const out: string[] = []
  const gap = line.gapBefore?.length ?? 0
  if (gap > 0) out.push(formatSystemLine(`${plural(gap, 'earlier message')} could not be recovered`, line.receivedAt, styler, 'info'))
  const history = asHistory || line.history === true
  const nickText = line.nick === '' ? shortId(line.from) : sanitize(line.nick) + (line.nickTag === undefined ? '' : `#${sanitize(line.nickTag)}`)
  const nick = styler.apply(line.own ? [peerColor(line.from), 'bold'] : mention ? [peerColor(line.from), 'inverse'] : [peerColor(line.from)], nickText)
  const trusted = line.trusted === true ? styler.apply('bold', TRUSTED_MARK) + ' ' : ''
  const who = trusted + (line.action ? `* ${nick}` : `<${nick}>`)
  const mark = line.own ? ownMark(line.state, styler) : ''
  const delayed = line.outOfOrder === true || line.receivedAt - line.sentAt > LATE_ARRIVAL_MS
  const after = [line.late === true ? LATE_WORD : '', delayed ? `arrived ${stampOf(line.receivedAt, now)}` : ''].filter(t => t !== '').join(', ')
  const arrived = after === '' ? '' : ' ' + styler.apply('dim', `(${after})`)
  const stamp = stampOf(line.sentAt, now)
  const time = history ? `${stamp} ${line.final === true ? FINAL_MARK : HISTORY_MARK}` : styler.apply('dim', stamp)
  const body = mention ? styler.apply(['bold', 'yellow'], sanitize(line.text)) : sanitize(line.text)
  const text = `${time} ${who} ${body}${mark}${arrived}`
  out.push(history ? styler.apply('dim', text) : text)
  return out
}

/** The interactive prompt while `/query` is open: `[dm bob] alice> ` (`peer`: its nick, else its short id). */
export function formatQueryPrompt (peer: string, nick: string): string {
  return `[dm ${sanitize(peer)}] ${sanitize(nick)}> `
}

/** The interactive prompt, carrying state: `[topic · 4 peers] alice> `. */
export function formatPrompt (topic: string, topicPeers: number | undefined, nick: string): string {
  const peers = topicPeers === undefined ? '? peers' : plural(topicPeers, 'peer')
  return `[${sanitize(topic)} · ${peers}] ${sanitize(nick)}> `
}
