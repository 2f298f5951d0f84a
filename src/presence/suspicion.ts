/**
 * Suspicions of other peers (SWIM's suspect state with Lifeguard's dynamic timeout, after
 * hashicorp/memberlist's `suspicion.go`). A peer whose probes failed, or that went silent, is
 * suspected at one of its versions; it is removed when the timer runs out, unless a record of a
 * newer version, or a record heard after the suspicion began, shows it alive first.
 *
 * The timer: with n peers in the room and probe interval I,
 *   min = suspicionMult × max(1, log10 n) × I,  max = suspicionMaxMult × min,
 * and after C independent confirmations (distinct suspecters besides the first),
 *   timeout = max(min, max − (max − min) × log(C + 1) / log(K + 1)),   K = suspicionConfirmations,
 * counted from the start. A lone suspecter (perhaps the faulty one) waits the longest; a peer
 * that several neighbours found silent goes after `min`.
 *
 * Our own suspicions are repeated (one `PresenceSuspect` per `suspectRepeatMs`) until they end,
 * so a lost copy, or a lost refutation, cannot remove a live peer. A suspicion we only heard
 * lapses when no suspecter has repeated it for `LAPSE_REPEATS` repeat periods: they all saw the
 * refutation that we missed. Pure: time is `now`.
 */

/** Repeat periods without a repeat after which a suspicion we only heard lapses. */
export const LAPSE_REPEATS = 3.5

/** One suspicion of one peer. */
export interface Suspicion {
  peerId: string
  /** The version suspected: a record of a newer one ends it. */
  version: number
  /** When it began (our clock, ms). */
  since: number
  /** Distinct suspecters (peer id strings; ours included when we suspect it ourselves). */
  confirmers: Set<string>
  /** When the peer is removed unless shown alive. */
  deadline: number
  /** Our own suspicion: we repeat it until it ends. */
  own: boolean
  /** When our next repeat is due (own only). */
  nextRepeatAt: number
  /** When a suspecter last said it (ours included). */
  lastHeardAt: number
  /** How often we sent it. */
  sent: number
  /** Begun by silence (not a failed probe): spared when another's suspicion comes first. */
  silent: boolean
}

/** Timing of suspicions. */
export interface SuspicionTiming {
  probeIntervalMs: number
  suspicionMult: number
  suspicionMaxMult: number
  suspicionConfirmations: number
}

/** Lifeguard's timeout after `confirmations` independent confirmations in a room of `n` peers. */
export function suspicionTimeout (timing: SuspicionTiming, n: number, confirmations: number): number {
  const min = timing.suspicionMult * Math.max(1, Math.log10(Math.max(1, n))) * timing.probeIntervalMs
  const max = timing.suspicionMaxMult * min
  const k = timing.suspicionConfirmations
  if (k < 1 || confirmations >= k) return Math.floor(min)
  const fraction = Math.log(confirmations + 1) / Math.log(k + 1)
  return Math.floor(Math.max(min, max - (max - min) * fraction))
}

/** The suspicions a `Presence` holds. */
export class Suspicions {
  private readonly byPeer = new Map<string, Suspicion>()

  constructor (private readonly timing: SuspicionTiming, private readonly repeatMs: number, private readonly capacity: number) {}

  get size (): number { return this.byPeer.size }

  get (peerId: string): Suspicion | undefined { return this.byPeer.get(peerId) }

  /**
   * `by` suspects `peerId` at `version` (`own` when `by` is us). Starts a suspicion or adds a
   * confirmation (shortening the timer). Returns true when this started a new suspicion.
   */
  suspect (peerId: string, version: number, by: string, own: boolean, n: number, now: number): boolean {
    const current = this.byPeer.get(peerId)
    if (current !== undefined && current.version >= version) {
      current.lastHeardAt = now
      if (current.confirmers.has(by)) {
        if (own && !current.own) { current.own = true; current.nextRepeatAt = now + this.repeatMs }
        return false
      }
      current.confirmers.add(by)
      if (own) { current.own = true; current.nextRepeatAt = now + this.repeatMs }
      current.deadline = current.since + suspicionTimeout(this.timing, n, current.confirmers.size - 1)
      return false
    }
    if (current === undefined && this.byPeer.size >= this.capacity) {
      const oldest = this.byPeer.keys().next().value
      if (oldest !== undefined) this.byPeer.delete(oldest)
    }
    this.byPeer.set(peerId, {
      peerId,
      version,
      since: now,
      confirmers: new Set([by]),
      deadline: now + suspicionTimeout(this.timing, n, 0),
      own,
      nextRepeatAt: now + this.repeatMs,
      lastHeardAt: now,
      sent: 0,
      silent: false
    })
    return current === undefined
  }

  /** Ends the suspicion of `peerId` (it was shown alive, or it left). */
  clear (peerId: string): void { this.byPeer.delete(peerId) }

  /** Removes and returns the suspicions whose timer ran out, and those we only heard that lapsed. */
  expired (now: number): { ranOut: Suspicion[], lapsed: Suspicion[] } {
    const ranOut: Suspicion[] = []
    const lapsed: Suspicion[] = []
    for (const s of this.byPeer.values()) {
      if (s.deadline <= now) ranOut.push(s)
      else if (!s.own && now >= this.lapsesAt(s)) lapsed.push(s)
    }
    for (const s of [...ranOut, ...lapsed]) this.byPeer.delete(s.peerId)
    return { ranOut, lapsed }
  }

  private lapsesAt (s: Suspicion): number {
    return s.lastHeardAt + LAPSE_REPEATS * this.repeatMs
  }

  /** Our own suspicions whose repeat is due, earliest first; each is rescheduled. */
  repeatsDue (now: number, max: number): Suspicion[] {
    const due = [...this.byPeer.values()].filter(s => s.own && s.nextRepeatAt <= now).sort((a, b) => a.nextRepeatAt - b.nextRepeatAt).slice(0, max)
    for (const s of due) s.nextRepeatAt = now + this.repeatMs
    return due
  }

  /** Earliest time something is due. */
  get deadline (): number {
    let next = Number.POSITIVE_INFINITY
    for (const s of this.byPeer.values()) {
      next = Math.min(next, s.deadline)
      next = Math.min(next, s.own ? s.nextRepeatAt : this.lapsesAt(s))
    }
    return next
  }
}
