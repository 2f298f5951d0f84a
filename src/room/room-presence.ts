/**
 * The room's side of the presence core: our own record (nick, status, away), censuses
 * and their deadlines, and the translation of presence output into the room's batch
 * (roster changes for the UI, drops, clean leaves, census results). Pure, like the core.
 */
import { Presence, Prober, rosterChange, type PresenceOptions, type ProberOptions, type ProbeOutcome, type RosterEntry, type StartCensusResult } from '../presence/index.js'
import { P2pchatError } from '../errors.js'
import type { RoomReady } from './driver-types.js'

/** Longest presence status text. */
export const MAX_STATUS_LENGTH = 100

/** Presence and census for one room. */
export class RoomPresence {
  readonly core: Presence
  /** SWIM's failure detector over our neighbours (only when we announce presence). */
  readonly prober: Prober | undefined
  private readonly censusDue = new Map<string, number>()
  /** Dropped links being confirmed: since when the link was gone. */
  private readonly confirming = new Map<string, number>()

  constructor (selfId: string, options: Partial<PresenceOptions>, private readonly announce: boolean, private readonly censusGraceMs: number, probing: Partial<ProberOptions> | false = {}) {
    this.core = new Presence(selfId, options)
    this.prober = announce && probing !== false
      ? new Prober(selfId, { probeIntervalMs: this.core.options.probeIntervalMs, ...probing })
      : undefined
  }

  /** The peers we hold a connection to in this room: the prober's neighbours. */
  setNeighbours (peers: readonly string[]): void { this.prober?.setNeighbours(peers) }

  /**
   * Our link to `peerId` dropped without a clean leave (at `since`): immediate evidence. We
   * suspect it at once (the room hears it; a live peer refutes).
   */
  linkLost (peerId: string, now: number): void {
    if (this.prober !== undefined) this.core.suspect(peerId, now)
  }

  /**
   * A redial of `peerId` failed after its link dropped at `since`: others are asked to reach it;
   * when none can, it is gone (`lost`, told to the room). Without a prober it is gone at once.
   */
  unreachable (peerId: string, since: number, now: number): void {
    if (this.prober === undefined) { this.core.lost(peerId, since, now); return }
    this.confirming.set(peerId, since)
    this.prober.confirm(peerId, now)
  }

  /** The host's answer to one probe request. */
  probed (probeId: number, outcome: ProbeOutcome, now: number): void { this.prober?.answered(probeId, outcome, now) }

  /** Joins the room: our first record (when we announce at all). */
  join (now: number): void { if (this.announce) this.core.join(now) }

  /** A newcomer appeared: our next record comes soon. */
  welcome (now: number): void { if (this.announce) this.core.welcome(now) }

  /** Our leave record, to publish at once. */
  leave (now: number): Uint8Array | undefined { return this.core.leave(now) }

  /** Sets our nick in our record. */
  setNick (nick: string, now: number): void { this.core.setNick(nick, now) }

  /** Sets the status text and clears away. */
  setStatusText (text: string, now: number): void {
    if (text.length > MAX_STATUS_LENGTH) throw new P2pchatError('INVALID_COMMAND', `status text is limited to ${MAX_STATUS_LENGTH} characters`)
    this.core.update({ status: text, away: false }, now)
  }

  /** Toggles (or sets) away; returns the new value. */
  setAway (away: boolean | undefined, now: number): boolean {
    const next = away ?? !(this.core.roster(now).find(e => e.self)?.away ?? false)
    this.core.setAway(next, now)
    return next
  }

  /** Starts a census, finished once its window and grace have passed. */
  startCensus (now: number): StartCensusResult {
    const started = this.core.startCensus(now)
    if (started.ok) this.censusDue.set(started.pollId, started.finishAt + this.censusGraceMs)
    return started
  }

  /** Runs the core's timers and the prober's, and finishes censuses that are due. */
  tick (now: number, out: RoomReady): void {
    this.prober?.tick(now)
    this.core.tick(now)
    for (const [pollId, at] of this.censusDue) {
      if (at > now) continue
      this.censusDue.delete(pollId)
      const result = this.core.finishCensus(pollId, now)
      if (result !== undefined) out.censuses.push({ pollId, result })
    }
  }

  /** Earliest time the core or a census has work. */
  nextDeadline (): number {
    return Math.min(this.core.nextDeadline(), this.prober?.nextDeadline() ?? Number.POSITIVE_INFINITY, ...this.censusDue.values())
  }

  /** The roster, ourselves first; `direct` from `connected`. */
  who (now: number, connected: (peerId: string) => boolean): RosterEntry[] {
    return this.core.roster(now).map(entry => entry.self ? entry : { ...entry, direct: connected(entry.peerId) })
  }

  /** Moves the core's output into the batch; returns the records to send as ephemeral messages. */
  drain (out: RoomReady, now: number): Uint8Array[] {
    if (this.prober !== undefined) {
      const { requests, verdicts } = this.prober.drain()
      out.probes.push(...requests)
      for (const { peerId, verdict } of verdicts) {
        const since = this.confirming.get(peerId)
        this.confirming.delete(peerId)
        if (verdict === 'dead') this.core.lost(peerId, since ?? now, now)
        else this.core.suspect(peerId, now)
      }
    }
    const events = this.core.drainEvents()
    for (const e of events) {
      if (e.type === 'census') {
        this.censusDue.delete(e.pollId)
        out.censuses.push({ pollId: e.pollId, result: e.result })
      } else if (e.type === 'dropped') out.drops.push(`presence-${e.reason}`)
      else if (e.type === 'roster:left' && e.reason === 'leave') out.departed.push(e.entry.peerId)
    }
    const change = rosterChange(events)
    if (change.joined.length + change.left.length + change.changed.length > 0) out.events.push({ type: 'roster:change', detail: change })
    return this.core.drainOutgoing()
  }
}
