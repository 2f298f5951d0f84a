/**
 * The texts of room and presence system lines: the room switch, who joined
 * and left (collapsed when many), status changes worth a line, and the
 * census result. Returns plain texts; the caller makes them `-!-` lines.
 *
 * Quietness rules, since presence changes arrive all the time:
 * - our own roster entry never makes a line (the `/away`, `/status` and
 *   `/join` commands already say what happened);
 * - a peer is announced as joined (or left) once, whichever event says it
 *   first: the direct-connection `peer:join` seen before the roster fills,
 *   or the roster's own join; the same for leaving (a room switch starts afresh);
 * - more than `COLLAPSE_OVER` joins (or leaves) in one event become one line;
 * - a `changed` entry makes a line only when it is away or has a status
 *   text, and only when that differs from what we last knew of the peer;
 * - a nick that differs from the one we last knew of the peer makes
 *   `alice is now alicia` (a first sight, with no nick known, makes none).
 */

import { peerLabel } from './format.js'
import { cut } from './roster-tables.js'
import { sanitize } from './sanitize.js'
import { shortId } from './short-id.js'
import type { CensusResult, SessionEventMap, RosterEntry } from '../session/types.js'

/** More joins (or leaves) than this in one event are shown as one line. */
export const COLLAPSE_OVER = 3
/** How many names a collapsed line lists before `and N more`. */
const COLLAPSED_NAMES = 3
/** Peers whose presence is remembered for telling real changes from repeats. */
const REMEMBERED_PEERS = 10_000

/** `now in room general (left x)`; just `now in room general` when there was none before. */
export function roomChangeText ({ name, previous }: SessionEventMap['room:change']): string {
  return previous === '' || previous === name ? `now in room ${name}` : `now in room ${name} (left ${previous})`
}

function nickOf (entry: RosterEntry): string {
  return entry.nick === '' ? shortId(entry.peerId) : sanitize(entry.nick)
}

/** `alice (12D3…abcd) joined` per entry, or `7 joined: alice, bob, carol and 4 more` when many. */
export function arrivalTexts (entries: readonly RosterEntry[], verb: 'joined' | 'left'): string[] {
  if (entries.length <= COLLAPSE_OVER) return entries.map(e => `${peerLabel(e.peerId, e.nick)} ${verb}`)
  const names = entries.slice(0, COLLAPSED_NAMES).map(nickOf).join(', ')
  return [`${entries.length} ${verb}: ${names} and ${entries.length - COLLAPSED_NAMES} more`]
}

/** `alice is away`, `alice is away: "lunch"`, `alice: "lunch"`; undefined when neither is set. */
export function presenceText (entry: RosterEntry): string | undefined {
  const status = entry.status === '' ? '' : `"${cut(entry.status)}"`
  if (entry.away) return status === '' ? `${nickOf(entry)} is away` : `${nickOf(entry)} is away: ${status}`
  return status === '' ? undefined : `${nickOf(entry)}: ${status}`
}

/** Turns roster changes into line texts, remembering what was said of each peer to skip repeats. */
export class RosterLines {
  /** Per peer: its away flag and status text as last known. */
  private readonly known = new Map<string, string>()
  /** Per peer: whether the last line about it said it joined or left. */
  private readonly announced = new Map<string, 'joined' | 'left'>()
  /** Per peer: the nick we last knew. */
  private readonly nicks = new Map<string, string>()

  /** Forgets everything (the room changed: its roster is a new one). */
  reset (): void {
    this.known.clear()
    this.announced.clear()
    this.nicks.clear()
  }

  /**
   * Records that `peerId` joined or left; true when that is news worth a line
   * (the last line about it did not already say so).
   */
  announce (peerId: string, kind: 'joined' | 'left'): boolean {
    if (this.announced.get(peerId) === kind) return false
    this.announced.delete(peerId)
    this.announced.set(peerId, kind)
    if (this.announced.size > REMEMBERED_PEERS) this.announced.delete(this.announced.keys().next().value ?? '')
    return true
  }

  /** The texts for one `roster:change` event, in order: joined, left, changed. */
  texts ({ joined, left, changed }: SessionEventMap['roster:change']): string[] {
    const others = (list: readonly RosterEntry[]): RosterEntry[] => list.filter(e => !e.self)
    const renamed: string[] = []
    for (const e of others([...joined, ...changed])) {
      const before = this.nicks.get(e.peerId)
      if (before !== undefined && before !== '' && e.nick !== '' && before !== e.nick) renamed.push(`${sanitize(before)} is now ${sanitize(e.nick)}`)
      this.nicks.delete(e.peerId)
      this.nicks.set(e.peerId, e.nick)
      if (this.nicks.size > REMEMBERED_PEERS) this.nicks.delete(this.nicks.keys().next().value ?? '')
    }
    for (const e of others(joined)) this.remember(e)
    for (const e of others(left)) this.known.delete(e.peerId)
    const news = (list: readonly RosterEntry[], kind: 'joined' | 'left'): RosterEntry[] => others(list).filter(e => this.announce(e.peerId, kind))
    const out = [...arrivalTexts(news(joined, 'joined'), 'joined'), ...arrivalTexts(news(left, 'left'), 'left'), ...renamed]
    for (const e of others(changed)) {
      const before = this.known.get(e.peerId)
      if (this.remember(e) === before) continue
      const text = presenceText(e)
      if (text !== undefined) out.push(text)
    }
    return out
  }

  /** Records `entry`'s presence; returns its key. */
  private remember (entry: RosterEntry): string {
    const key = `${entry.away ? 'away' : 'here'}\n${entry.status}`
    this.known.delete(entry.peerId)
    this.known.set(entry.peerId, key)
    if (this.known.size > REMEMBERED_PEERS) this.known.delete(this.known.keys().next().value ?? '')
    return key
  }
}

/** `n` rounded for an estimate: whole below 100, else to two significant digits. */
export function roundEstimate (n: number): number {
  if (!Number.isFinite(n) || n < 0) return 0
  if (n < 100) return Math.round(n)
  const step = 10 ** (Math.floor(Math.log10(n)) - 1)
  return Math.round(n / step) * step
}

/** A probability as short decimals: `0.25`, `0.05`, `0.0012`, `1`. */
function probability (p: number): string {
  return String(Number(p.toPrecision(2)))
}

/** `room size ≈ 42 (95% CI 30–55) from 11 replies at p=0.25; roster has 38`. */
export function censusText (r: CensusResult): string {
  const low = roundEstimate(r.low)
  const high = Math.max(low, roundEstimate(r.high))
  return `room size ≈ ${roundEstimate(r.estimate)} (95% CI ${low}–${high}) from ${r.replies} ${r.replies === 1 ? 'reply' : 'replies'} at p=${probability(r.p)}; roster has ${r.rosterCount}`
}
