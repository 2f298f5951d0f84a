/**
 * The roster of other peers: the newest record per peer, when we last heard it, and
 * tombstones of peers that left (cleanly or by timeout) so a late, older record
 * cannot bring them back while it is still within its TTL.
 *
 * Version rules (per origin):
 * - a record is accepted when its version ≥ the known one (equal = a re-announcement,
 *   which refreshes `lastSeen`); an older one is `stale`;
 * - a leave is accepted only when its version > the known one;
 * - after a timeout the last version is kept: the same version may come back (the
 *   peer was only cut off); after a leave only a newer version may.
 *
 * Expiry: an entry is gone when now − lastSeen > expiryMultiple × the period the
 * peer itself announced. Scans are lazy: only when the earliest deadline has passed.
 */
import type { PresenceRecordMessage } from './codec.js'
import type { ResolvedPresenceOptions } from './options.js'

/** What we know of one other peer. */
export interface PeerState {
  peerId: string
  nick: string
  status: string
  away: boolean
  client: string
  joinedAt: number
  version: number
  periodMs: number
  /** Our clock (ms). */
  lastSeen: number
}

interface Tombstone {
  version: number
  kind: 'timeout' | 'leave'
  until: number
}

/** The result of applying an accepted record. */
export type ApplyResult =
  | { kind: 'joined', state: PeerState }
  | { kind: 'changed', state: PeerState, previous: PeerState }
  | { kind: 'refreshed', state: PeerState }

/** Other peers' presence, with tombstones. */
export class Roster {
  private readonly entries = new Map<string, PeerState>()
  private readonly tombstones = new Map<string, Tombstone>()
  private nextScanAt = Number.POSITIVE_INFINITY

  constructor (private readonly options: ResolvedPresenceOptions) {}

  /** Peers in the roster (not counting ourselves; may include entries past their deadline until the next `expire`). */
  get size (): number {
    return this.entries.size
  }

  get tombstoneCount (): number {
    return this.tombstones.size
  }

  /** Earliest `now` at which `expire` may remove something. */
  get deadline (): number {
    return this.nextScanAt
  }

  get (peerId: string): PeerState | undefined {
    return this.entries.get(peerId)
  }

  /** When an entry expires: after expiryMultiple × its announced period without news. */
  expiresAt (state: PeerState): number {
    return state.lastSeen + this.options.expiryMultiple * state.periodMs
  }

  /** Would a record of `version` from `peerId` be accepted? */
  checkRecord (peerId: string, version: number): 'ok' | 'stale' | 'roster-full' {
    const entry = this.entries.get(peerId)
    if (entry !== undefined) return version >= entry.version ? 'ok' : 'stale'
    const tomb = this.tombstones.get(peerId)
    if (tomb !== undefined && (version < tomb.version || (version === tomb.version && tomb.kind === 'leave'))) return 'stale'
    return this.entries.size >= this.options.maxRosterSize ? 'roster-full' : 'ok'
  }

  /** Would a leave of `version` from `peerId` be accepted? */
  checkLeave (peerId: string, version: number): 'ok' | 'stale' {
    const known = this.entries.get(peerId)?.version ?? this.tombstones.get(peerId)?.version
    return known !== undefined && version <= known ? 'stale' : 'ok'
  }

  /** Applies a record that `checkRecord` accepted. */
  applyRecord (peerId: string, msg: PresenceRecordMessage, now: number): ApplyResult {
    const previous = this.entries.get(peerId)
    const state: PeerState = {
      peerId,
      nick: msg.nick,
      status: msg.status,
      away: msg.away,
      client: msg.client,
      joinedAt: msg.joinedAt,
      version: msg.version,
      periodMs: msg.periodMs,
      lastSeen: now
    }
    if (previous !== undefined && msg.version === previous.version) {
      // A re-announcement: same payload by construction; refresh liveness (and the period, which may have grown).
      previous.lastSeen = now
      previous.periodMs = msg.periodMs
      this.noteDeadline(previous)
      return { kind: 'refreshed', state: previous }
    }
    this.entries.set(peerId, state)
    this.tombstones.delete(peerId)
    this.noteDeadline(state)
    if (previous === undefined) return { kind: 'joined', state }
    const same = previous.nick === state.nick && previous.status === state.status && previous.away === state.away &&
      previous.client === state.client && previous.joinedAt === state.joinedAt
    return same ? { kind: 'refreshed', state } : { kind: 'changed', state, previous }
  }

  /** Applies a leave that `checkLeave` accepted; returns the removed entry, if it was in the roster. */
  applyLeave (peerId: string, version: number, now: number, fallbackPeriodMs: number): PeerState | undefined {
    const entry = this.entries.get(peerId)
    this.entries.delete(peerId)
    // Records older than the leave stay acceptable by TTL for up to expiryMultiple periods (+ skew).
    const period = Math.max(entry?.periodMs ?? 0, fallbackPeriodMs)
    this.bury(peerId, { version, kind: 'leave', until: now + this.options.expiryMultiple * period + 2 * this.options.maxClockSkewMs })
    return entry
  }

  /**
   * Removes a peer that left without a leave record we received (it unsubscribed): its
   * last version is buried as a leave, so only a newer record (a rejoin) brings it back.
   */
  applyDeparture (peerId: string, now: number, fallbackPeriodMs: number): PeerState | undefined {
    const entry = this.entries.get(peerId)
    if (entry === undefined) return undefined
    return this.applyLeave(peerId, entry.version, now, fallbackPeriodMs)
  }

  /**
   * Removes a peer found unreachable (its connection dropped and a redial failed), unless a
   * record of it arrived at or after `since`. Buried like an expiry, so its next record, of any
   * version, brings it back. Returns the removed entry.
   */
  applyLost (peerId: string, since: number, now: number): PeerState | undefined {
    const entry = this.entries.get(peerId)
    if (entry === undefined || entry.lastSeen >= since) return undefined
    this.entries.delete(peerId)
    this.bury(peerId, { version: entry.version, kind: 'timeout', until: now + this.options.expiryMultiple * entry.periodMs + 2 * this.options.maxClockSkewMs })
    return entry
  }

  /** Removes entries past their deadline and forgets old tombstones; returns the removed entries. */
  expire (now: number): PeerState[] {
    if (now < this.nextScanAt) return []
    const removed: PeerState[] = []
    let next = Number.POSITIVE_INFINITY
    for (const [peerId, state] of this.entries) {
      const deadline = this.expiresAt(state)
      if (now > deadline) {
        this.entries.delete(peerId)
        removed.push(state)
        this.bury(peerId, {
          version: state.version,
          kind: 'timeout',
          until: now + this.options.expiryMultiple * state.periodMs + 2 * this.options.maxClockSkewMs
        })
      } else if (deadline < next) {
        next = deadline
      }
    }
    for (const [peerId, tomb] of this.tombstones) {
      if (now >= tomb.until) this.tombstones.delete(peerId)
      else if (tomb.until < next) next = tomb.until
    }
    // `now > deadline` is strict: an entry exactly at its deadline is rescanned on the next tick.
    this.nextScanAt = next === Number.POSITIVE_INFINITY ? next : Math.max(next, now)
    return removed
  }

  /** Live entries at `now` (those past their deadline are hidden even before `expire` runs). */
  live (now: number): PeerState[] {
    const out: PeerState[] = []
    for (const state of this.entries.values()) if (now <= this.expiresAt(state)) out.push(state)
    return out
  }

  /** Number of live entries at `now`. */
  liveCount (now: number): number {
    if (now < this.nextScanAt) return this.entries.size
    let n = 0
    for (const state of this.entries.values()) if (now <= this.expiresAt(state)) n++
    return n
  }

  private noteDeadline (state: PeerState): void {
    const deadline = this.expiresAt(state)
    if (deadline < this.nextScanAt) this.nextScanAt = deadline
  }

  private bury (peerId: string, tomb: Tombstone): void {
    this.tombstones.delete(peerId)
    if (this.tombstones.size >= this.options.maxRosterSize) {
      const oldest = this.tombstones.keys().next().value
      if (oldest !== undefined) this.tombstones.delete(oldest)
    }
    this.tombstones.set(peerId, tomb)
    if (tomb.until < this.nextScanAt) this.nextScanAt = tomb.until
  }
}
