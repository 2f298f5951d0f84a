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
 * Silence: an entry falls silent when now − lastSeen > expiryMultiple × the period the
 * peer itself announced; it is then held (kept) while the caller suspects it, and removed
 * only when that suspicion runs out. Scans are lazy: only when the earliest deadline has passed.
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
  /** Peers under suspicion: kept (past their silence deadline too) until the suspicion ends. */
  private readonly held = new Set<string>()
  /** Peers whose silence deadline passed and was reported by `expire` (once, until heard from or released). */
  private readonly reportedSilent = new Set<string>()
  private nextScanAt = Number.POSITIVE_INFINITY

  constructor (private readonly options: ResolvedPresenceOptions) {}

  /** Peers in the roster (not counting ourselves; may include entries past their deadline until the next `expire`). */
  get size (): number {
    return this.entries.size
  }

  get tombstoneCount (): number {
    return this.tombstones.size
  }

  /** How a peer that is gone left, while its tombstone lasts: a clean `leave`, or a `timeout` (silence, suspicion, a lost claim). */
  departure (peerId: string): 'leave' | 'timeout' | undefined {
    return this.tombstones.get(peerId)?.kind
  }

  /** Earliest `now` at which `expire` may remove something. */
  get deadline (): number {
    return this.nextScanAt
  }

  get (peerId: string): PeerState | undefined {
    return this.entries.get(peerId)
  }

  /**
   * When an entry falls silent: after expiryMultiple × its announced period without news. Also
   * while another's suspicion holds it (our silence is then a confirmation); never again once
   * reported, until it is heard from or released.
   */
  expiresAt (state: PeerState): number {
    return this.reportedSilent.has(state.peerId) ? Number.POSITIVE_INFINITY : state.lastSeen + this.options.expiryMultiple * state.periodMs
  }

  /** Keeps `peerId` in the roster while it is suspected, however long it is silent. */
  hold (peerId: string): void {
    if (this.entries.has(peerId)) this.held.add(peerId)
  }

  /** Ends a hold: the silence deadline applies again (rescanned at once). */
  release (peerId: string, now: number): void {
    this.reportedSilent.delete(peerId)
    if (!this.held.delete(peerId)) return
    const state = this.entries.get(peerId)
    if (state !== undefined) this.nextScanAt = Math.min(this.nextScanAt, Math.max(now, this.expiresAt(state)))
  }

  /** Removes a peer whose suspicion ran out, buried like a timeout (its next record of any version brings it back). */
  remove (peerId: string, now: number): PeerState | undefined {
    this.held.delete(peerId)
    this.reportedSilent.delete(peerId)
    return this.applyLost(peerId, Number.POSITIVE_INFINITY, now)
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
    this.held.delete(peerId)
    this.reportedSilent.delete(peerId)
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
    this.held.delete(peerId)
    this.reportedSilent.delete(peerId)
    this.bury(peerId, { version: entry.version, kind: 'timeout', until: now + this.options.expiryMultiple * entry.periodMs + 2 * this.options.maxClockSkewMs })
    return entry
  }

  /**
   * Finds entries past their silence deadline and forgets old tombstones. Silent entries are
   * held, not removed: the caller suspects them, and the suspicion decides (a live peer
   * refutes it). Returns the entries that fell silent.
   */
  expire (now: number): PeerState[] {
    if (now < this.nextScanAt) return []
    const silent: PeerState[] = []
    let next = Number.POSITIVE_INFINITY
    for (const [peerId, state] of this.entries) {
      const deadline = this.expiresAt(state)
      if (now > deadline) {
        this.held.add(peerId)
        this.reportedSilent.add(peerId)
        silent.push(state)
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
    return silent
  }

  /** The entries (a silent one stays until its suspicion runs out). */
  live (): PeerState[] {
    return [...this.entries.values()]
  }

  /** Number of entries. */
  liveCount (): number {
    return this.entries.size
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
