/**
 * The human Renderer: one styled line per event (`12:04 <alice> hi`), dim
 * `-!-` system lines, red errors, aligned tables for command output. Used by
 * the interactive terminal (coloured when allowed) and by plain mode.
 */

import { formatChatLine, formatPeerEvent, formatSystemLine, isFinalState, plural } from './format.js'
import { sanitize } from './sanitize.js'
import { dayChangeText, isMention, localDay } from './mention.js'
import { shortId } from './short-id.js'
import { helpLines, identityLines, peersTable, statusLines } from './tables.js'
import { RosterLines, censusText, roomChangeText } from './roster-lines.js'
import { roomsTable, whoTable } from './roster-tables.js'
import { governanceLine, governedText } from './governance-lines.js'
import { committeeLines } from './committee-tables.js'
import { shortMessageId } from './message-ref.js'
import { inviteGuidance, inviteSeenText, privateRoomText, rekeyHead, rekeyTail } from './private-lines.js'
import { conversationRows, conversationsHead, directStateText, formatDirectLine, ignoreChangeText, ignoredText, queryText } from './direct-lines.js'
import type { Renderer } from './renderer.js'
import type { Styler } from './style.js'
import type { ChatLine } from '../session/types.js'

/** How many own lines are remembered for "not confirmed" warnings. */
const OWN_PREVIEW_LIMIT = 1000
/** Longest quoted preview of an own line in a state warning. */
const PREVIEW_CHARS = 40

function preview (text: string): string {
  const chars = [...sanitize(text)]
  return chars.length <= PREVIEW_CHARS ? chars.join('') : chars.slice(0, PREVIEW_CHARS - 1).join('') + '…'
}

/** How the text Renderer adapts to its front end. */
export interface TextRendererOptions {
  /**
   * Whether live own lines show a passing `…` / `·` mark. True for the
   * interactive terminal, which rewrites the mark as it changes; false for
   * line mode, where a printed line never changes and such a mark would stay
   * wrong. Final marks (`✓`, `✗`) and `/history` lines always show. @default true
   */
  passingMarks?: boolean
  /** Your nick now: lines of others naming it are highlighted. @default none (no highlight) */
  ownNick?: () => string
}

/**
 * A text Renderer over `styler`, stamping system lines with `now()`.
 * State changes of own lines print nothing (the terminal rewrites the line's
 * mark through `ownLine`) except "not confirmed", which prints a red line
 * quoting the text; likewise an own direct message prints nothing until it
 * expires (a red line) or is delivered after expiring. Direct-connection join and leave lines are left out
 * while a presence roster exists (it reports arrivals itself), and a peer's
 * arrival or departure is said once even when both events report it;
 * roster changes follow the quietness rules of `roster-lines.ts`.
 */
export function createTextRenderer (styler: Styler, now: () => number, options: TextRendererOptions = {}): Renderer {
  const passingMarks = options.passingMarks ?? true
  const mentioned = (line: ChatLine): boolean => options.ownNick !== undefined && isMention(line, options.ownNick())
  /** The day of the last chat line shown live: a line of another day is preceded by a day-change line. */
  let shownDay = localDay(now())
  /** A day-change line before a line of `ms` when its day differs from `day` (and `day` is updated). */
  const dayLine = (ms: number, day: { value: string }): string[] => {
    const next = localDay(ms)
    if (next === day.value) return []
    day.value = next
    return [formatSystemLine(dayChangeText(ms), ms, styler)]
  }
  const ownPreviews = new Map<string, string>()
  /** Own lines shown `✗`: a late acknowledgement says so in a line of its own. */
  const unconfirmed = new Set<string>()
  /** Own direct messages not yet delivered: their text (cut), for the line an expiry prints. */
  const directPreviews = new Map<string, string>()
  /** Own direct messages shown expired: a late delivery says so in a line of its own. */
  const expired = new Set<string>()
  /** Drops the oldest entry of `bounded` once it holds more than `OWN_PREVIEW_LIMIT`. */
  const bound = (bounded: Map<string, string> | Set<string>): void => {
    if (bounded.size > OWN_PREVIEW_LIMIT) bounded.delete(bounded.keys().next().value ?? '')
  }
  const roster = new RosterLines()
  const system = (text: string, level: 'info' | 'warn' | 'error' = 'info'): string[] =>
    [formatSystemLine(text, now(), styler, level)]

  /** A stored line, dim; after `#` and its short id (`#3f9a1c2e`, to give `/pin` or `/unpin`) when `ids`. */
  const stored = (line: ChatLine, ids: boolean): string[] => {
    const out = formatChatLine(line, styler, true, mentioned(line))
    if (ids) out[out.length - 1] = `${styler.apply('dim', shortMessageId(line.id))} ${out[out.length - 1]}`
    return out
  }
  /** Stored lines, with a day-change line before each new day (and before the first, unless it is today). */
  const withDays = (lines: readonly ChatLine[], ids = false): string[] => {
    const day = { value: localDay(now()) }
    const first = lines[0]
    if (first !== undefined && localDay(first.sentAt) !== day.value) day.value = ''
    return lines.flatMap(l => [...dayLine(l.sentAt, day), ...stored(l, ids)])
  }

  return {
    message (line) {
      if (line.own && line.state !== 'confirmed' && line.state !== 'not-confirmed') {
        ownPreviews.set(line.id, preview(line.text))
        if (ownPreviews.size > OWN_PREVIEW_LIMIT) ownPreviews.delete(ownPreviews.keys().next().value ?? '')
      }
      const passing = line.own && line.history !== true && !isFinalState(line.state) && line.state !== 'not-confirmed'
      const day = { value: shownDay }
      const before = line.history === true ? [] : dayLine(line.receivedAt, day)
      shownDay = day.value
      return [...before, ...formatChatLine(passing && !passingMarks ? { ...line, state: undefined } : line, styler, false, mentioned(line), now())]
    },
    ownLine: line => formatChatLine({ ...line, gapBefore: undefined }, styler, false, false, now()).at(-1) ?? '',
    messageState ({ id, state }) {
      const text = ownPreviews.get(id)
      if (state === 'confirmed') {
        ownPreviews.delete(id)
        if (!unconfirmed.delete(id)) return []
        return system(text === undefined ? '✓ a message of yours was confirmed after all' : `✓ confirmed after all: "${text}"`)
      }
      if (state !== 'not-confirmed') return []
      unconfirmed.add(id)
      if (unconfirmed.size > OWN_PREVIEW_LIMIT) unconfirmed.delete(unconfirmed.values().next().value ?? '')
      return system(text === undefined ? '✗ a message of yours was not confirmed by any peer' : `✗ not confirmed by any peer: "${text}"`, 'error')
    },
    peerJoin: (peer, rosterSize = 0) => rosterSize > 1 || !roster.announce(peer.peerId, 'joined') ? [] : [formatPeerEvent(peer, 'joined', now(), styler)],
    peerLeave: (peer, rosterSize = 0, inRoster = true) => (rosterSize > 1 && inRoster) || !roster.announce(peer.peerId, 'left') ? [] : [formatPeerEvent(peer, 'left', now(), styler)],
    roomChange (change, privateRoom = false) {
      roster.reset()
      return [...system(roomChangeText(change)), ...(privateRoom ? system(privateRoomText(change.name)) : [])]
    },
    rosterChange: change => roster.texts(change).flatMap(text => system(text)),
    notice: n => system(n.text, n.level),
    connecting: multiaddr => system(`connecting to ${multiaddr} …`),
    connected: (_multiaddr, peerId) => system(`connected to ${shortId(peerId)}`),
    nickChanged: nick => system(`you are now known as ${nick}`),
    error: text => system(text, 'error'),
    peers: rows => peersTable(rows, styler),
    identity: id => identityLines(id),
    status: s => statusLines(s),
    history (lines, limit, skip = 0) {
      if (lines.length === 0) return system(skip > 0 ? `history: nothing stored ${plural(skip, 'message')} back` : 'no messages yet')
      const older = lines.length < limit ? '' : ` (older: /history ${limit} ${skip + limit})`
      const head = skip > 0
        ? `${plural(lines.length, 'message')} ending ${skip} back${older}`
        : lines.length < limit ? `all ${plural(lines.length, 'message')}` : `last ${plural(lines.length, 'message')}${older}`
      return [
        ...system(`history: ${head}`),
        ...withDays(lines),
        ...system('end of history')
      ]
    },
    lastlog (lines, text, total) {
      const quoted = `"${sanitize(text)}"`
      if (total === 0) return system(`lastlog: no stored message contains ${quoted}`)
      const head = total > lines.length ? `the last ${lines.length} of ${plural(total, 'message')}` : plural(total, 'message')
      return [
        ...system(`lastlog: ${head} containing ${quoted}`),
        ...withDays(lines, true),
        ...system('end of lastlog')
      ]
    },
    help: () => helpLines(),
    rooms: rooms => roomsTable(rooms, styler),
    // The invite alone on its line, so it copies whole.
    invite: (room, invite) => [sanitize(invite), ...system(inviteGuidance(room))],
    rekeyed: (room, invite) => [...system(rekeyHead(room)), sanitize(invite), ...system(rekeyTail())],
    inviteSeen: (line, room, invite) => system(inviteSeenText(line, room, invite)),
    who: entries => whoTable(entries, now(), styler),
    alreadyInRoom: name => system(`already in room ${name}`),
    statusText: text => system(text === '' ? 'status cleared' : `status set: ${text}`),
    away: away => system(away ? 'you are away' : 'you are back'),
    censusStarted: () => system('census running…'),
    census: result => system(censusText(result)),
    governance (notice) {
      const line = governanceLine(notice, now())
      return line === undefined ? [] : system(line.text, line.level)
    },
    governed: (action, target) => system(governedText(action, target)),
    committee: (view, nicks, self) => committeeLines(view, nicks, self, now()),
    direct (line, peerNick) {
      if (line.own && line.state !== 'delivered') bound(directPreviews.set(line.id, preview(line.text)))
      const day = { value: shownDay }
      const before = dayLine(line.receivedAt, day)
      shownDay = day.value
      const shown = line.own && line.state === 'pending' && !passingMarks ? { ...line, state: undefined } : line
      return [...before, formatDirectLine(shown, styler, peerNick, false, now())]
    },
    ownDirect: (line, peerNick) => formatDirectLine(line, styler, peerNick, false, now()),
    directState ({ id, peer, state }, peerNick) {
      const text = directPreviews.get(id)
      if (state === 'delivered') {
        directPreviews.delete(id)
        if (!expired.delete(id)) return []
      } else if (state === 'expired') {
        bound(expired.add(id))
      } else {
        return []
      }
      const line = directStateText(state, { peer, nick: peerNick }, text)
      return line === undefined ? [] : system(line, state === 'expired' ? 'error' : 'info')
    },
    query (peer, room, recent = []) {
      if (peer === undefined || recent.length === 0) return system(queryText(peer, room))
      return [
        ...system(queryText(peer, room)),
        ...recent.map(l => formatDirectLine(l, styler, peer.nick, true, now()))
      ]
    },
    conversations (list) {
      const head = system(conversationsHead(list.length))
      return list.length === 0 ? head : [...head, ...conversationRows(list, now(), styler)]
    },
    ignored: peers => system(ignoredText(peers)),
    ignoreChanged: (peer, ignoring, changed) => system(ignoreChangeText(peer, ignoring, changed)),
    pins (pins) {
      if (pins.length === 0) return system('no pinned messages')
      return [
        ...system(`pins: ${plural(pins.length, 'message')} (/unpin <id> unpins one)`),
        ...pins.flatMap(p => p.line === undefined
          ? [styler.apply('dim', `${shortMessageId(p.messageId)} (not stored here)`)]
          : stored({ ...p.line, id: p.messageId }, true))
      ]
    }
  }
}
