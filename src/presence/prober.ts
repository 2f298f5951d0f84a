/**
 * `Prober`: SWIM's failure detector with Lifeguard's local health, as a pure state machine
 * (after hashicorp/memberlist's `probeNode`). Once per probe period it probes one neighbour
 * (round robin over a shuffled list, so every neighbour is probed within one pass). A probe
 * that gets no answer within the timeout is retried indirectly: up to `indirectProbes` other
 * neighbours are asked to probe the target for us, and we try it directly once more (memberlist's
 * fallback probe). One acknowledgement from anyone ends the round; when none comes, the verdict
 * is `suspect`.
 *
 * A link that dropped (the host's connection closed and a redial failed) starts an indirect
 * round at once (`confirm`): when nobody reaches the peer either, the verdict is `dead`.
 *
 * Local health (Lifeguard, as memberlist scores it): a failed round raises a score (up to
 * `maxLocalHealth`) by the helpers that did not answer at all (not even "could not reach it"),
 * which points at us, not the target: slow, overloaded or paused; with no helper to ask, a failed
 * probe raises it by 1. Each clean probe lowers it by 1. Timeouts and the probe period are scaled
 * by (1 + score), so an unhealthy peer suspects others less eagerly.
 *
 * Inputs: `setNeighbours`, `tick(now)`, `answered(probeId, outcome, now)`, `confirm`. Output:
 * `drain()` → probe requests for the host (a direct ping, or a request to a helper) and verdicts.
 * No timers, sockets or clock inside.
 */
import { createRandom, seedFromString } from '../shared/index.js'

/** Tunables of the prober (ms). */
export interface ProberOptions {
  /** One probe per this period. @default 1000 */
  probeIntervalMs: number
  /** A direct probe unanswered this long has failed. @default 500 */
  probeTimeoutMs: number
  /** Helpers asked to probe for us after a direct failure. @default 3 */
  indirectProbes: number
  /** Indirect probes unanswered this long have failed (covers the helper's own probe and both hops). @default 1000 */
  indirectTimeoutMs: number
  /** Highest local-health score (timeouts scale by up to 1 + it). @default 8 */
  maxLocalHealth: number
  /** Source of randomness in [0, 1). @default a PRNG seeded from the self id */
  random: (() => number) | undefined
}

/** The defaults: memberlist's LAN values. */
export const DEFAULT_PROBER_OPTIONS: Readonly<ProberOptions> = Object.freeze({
  probeIntervalMs: 1_000,
  probeTimeoutMs: 500,
  indirectProbes: 3,
  indirectTimeoutMs: 1_000,
  maxLocalHealth: 8,
  random: undefined
})

/** One probe for the host: ping `target` directly, or (with `via`) ask the helper `via` to ping it. */
export interface ProbeRequest {
  probeId: number
  target: string
  via?: string
  /** Give up after this long (ms); the host answers `failed` then. */
  timeoutMs: number
}

/** How a probe ended: the target answered (`ack`), a helper could not reach it (`nack`), or no answer (`failed`). */
export type ProbeOutcome = 'ack' | 'nack' | 'failed'

/** The prober's conclusion about one peer. */
export interface ProbeVerdict {
  peerId: string
  /** `suspect`: probes failed (start a suspicion); `dead`: a dropped link nobody could reach either. */
  verdict: 'suspect' | 'dead'
}

interface Round {
  target: string
  /** Begun by a dropped link (indirect only; failure means dead). */
  link: boolean
  phase: 'direct' | 'indirect'
  pending: Set<number>
  deadline: number
  nacks: number
  /** Helpers asked in the indirect phase. */
  helpers: number
}

/** The failure detector of one room. */
export class Prober {
  readonly options: Readonly<ProberOptions>
  private neighbours: string[] = []
  private order: string[] = []
  private nextIndex = 0
  private nextProbeAt = Number.NEGATIVE_INFINITY
  private health = 0
  private nextProbeId = 1
  private readonly rounds = new Map<string, Round>()
  private readonly byProbe = new Map<number, string>()
  private requests: ProbeRequest[] = []
  private verdicts: ProbeVerdict[] = []
  private readonly random: () => number
  private readonly counters = { probes: 0, indirect: 0, acks: 0, suspects: 0, deaths: 0 }

  constructor (readonly selfId: string, options: Partial<ProberOptions> = {}) {
    this.options = { ...DEFAULT_PROBER_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) }
    this.random = this.options.random ?? createRandom(seedFromString(`probe:${selfId}`))
  }

  /** Lifeguard's local health score (0 = healthy). */
  get localHealth (): number { return this.health }

  /** The neighbours to probe: peers we hold a connection to in this room. */
  setNeighbours (peers: readonly string[]): void {
    this.neighbours = peers.filter(p => p !== this.selfId)
    const known = new Set(this.neighbours)
    this.order = this.order.filter(p => known.has(p))
    for (const p of this.neighbours) if (!this.order.includes(p)) this.order.splice(Math.floor(this.random() * (this.order.length + 1)), 0, p)
    if (this.nextIndex > this.order.length) this.nextIndex = 0
  }

  /**
   * Our link to `peerId` dropped and a redial failed: ask others at once. If nobody reaches it
   * either, the verdict is `dead`; with nobody to ask, it is `dead` at once.
   */
  confirm (peerId: string, now: number): void {
    const current = this.rounds.get(peerId)
    if (current !== undefined) { current.link = true; if (current.phase === 'indirect') return }
    const round: Round = current ?? { target: peerId, link: true, phase: 'indirect', pending: new Set(), deadline: now, nacks: 0, helpers: 0 }
    this.rounds.set(peerId, round)
    this.startIndirect(round, now)
  }

  /** Starts the period's probe when due, and ends rounds whose time ran out. */
  tick (now: number): void {
    for (const round of [...this.rounds.values()]) if (now >= round.deadline) this.timedOut(round, now)
    // The first probe comes at a random point of the first period, so peers that start together do not probe in step.
    if (this.nextProbeAt === Number.NEGATIVE_INFINITY) this.nextProbeAt = now + this.random() * this.options.probeIntervalMs
    if (now < this.nextProbeAt) return
    this.nextProbeAt = now + this.options.probeIntervalMs * (1 + this.health)
    const target = this.nextTarget()
    if (target === undefined || this.rounds.has(target)) return
    const probeId = this.nextProbeId++
    const timeoutMs = this.options.probeTimeoutMs * (1 + this.health)
    const round: Round = { target, link: false, phase: 'direct', pending: new Set([probeId]), deadline: now + timeoutMs, nacks: 0, helpers: 0 }
    this.rounds.set(target, round)
    this.byProbe.set(probeId, target)
    this.requests.push({ probeId, target, timeoutMs })
    this.counters.probes++
  }

  /** The host's answer to one probe request. Late or unknown answers are ignored. */
  answered (probeId: number, outcome: ProbeOutcome, now: number): void {
    const target = this.byProbe.get(probeId)
    if (target === undefined) return
    this.byProbe.delete(probeId)
    const round = this.rounds.get(target)
    if (round === undefined || !round.pending.delete(probeId)) return
    if (outcome === 'ack') {
      this.counters.acks++
      if (round.phase === 'direct') this.health = Math.max(0, this.health - 1)
      this.end(round)
      return
    }
    if (outcome === 'nack') round.nacks++
    if (round.pending.size === 0) this.timedOut(round, now)
  }

  /** Requests and verdicts since the last drain. */
  drain (): { requests: ProbeRequest[], verdicts: ProbeVerdict[] } {
    const out = { requests: this.requests, verdicts: this.verdicts }
    this.requests = []
    this.verdicts = []
    return out
  }

  /** Earliest `now` at which `tick` has work. */
  nextDeadline (): number {
    let next = this.neighbours.length > 0 ? this.nextProbeAt : Number.POSITIVE_INFINITY
    for (const round of this.rounds.values()) next = Math.min(next, round.deadline)
    return next
  }

  /** Counters for `/status`. */
  status (): { probes: number, indirect: number, acks: number, suspects: number, deaths: number, localHealth: number } {
    return { ...this.counters, localHealth: this.health }
  }

  private nextTarget (): string | undefined {
    if (this.order.length === 0) return undefined
    if (this.nextIndex >= this.order.length) {
      // A new pass: reshuffle (Fisher–Yates), as SWIM's round-robin probing does.
      for (let i = this.order.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1))
        const t = this.order[i]; this.order[i] = this.order[j]; this.order[j] = t
      }
      this.nextIndex = 0
    }
    return this.order[this.nextIndex++]
  }

  private timedOut (round: Round, now: number): void {
    if (round.phase === 'direct') { this.startIndirect(round, now); return }
    // Helpers that did not answer at all point at us rather than the target (Lifeguard); with
    // nobody to ask, the failed probe itself counts against us (memberlist).
    const silent = round.helpers - round.nacks
    const penalty = round.helpers > 0 ? silent : 1
    this.health = Math.min(this.options.maxLocalHealth, this.health + penalty)
    this.end(round)
    this.verdicts.push({ peerId: round.target, verdict: round.link ? 'dead' : 'suspect' })
    if (round.link) this.counters.deaths++
    else this.counters.suspects++
  }

  private startIndirect (round: Round, now: number): void {
    for (const id of round.pending) this.byProbe.delete(id)
    round.pending.clear()
    round.phase = 'indirect'
    round.nacks = 0
    const helpers = this.pickHelpers(round.target)
    round.helpers = helpers.length
    const timeoutMs = this.options.indirectTimeoutMs * (1 + this.health)
    round.deadline = now + timeoutMs
    if (helpers.length === 0) { round.deadline = now; this.timedOut(round, now); return }
    if (!round.link) {
      // memberlist's fallback: one more direct try beside the helpers (a slow answer still counts).
      const probeId = this.nextProbeId++
      round.pending.add(probeId)
      this.byProbe.set(probeId, round.target)
      this.requests.push({ probeId, target: round.target, timeoutMs })
    }
    for (const via of helpers) {
      const probeId = this.nextProbeId++
      round.pending.add(probeId)
      this.byProbe.set(probeId, round.target)
      this.requests.push({ probeId, target: round.target, via, timeoutMs })
      this.counters.indirect++
    }
  }

  private pickHelpers (target: string): string[] {
    const pool = this.neighbours.filter(p => p !== target)
    const out: string[] = []
    while (out.length < this.options.indirectProbes && pool.length > 0) {
      out.push(pool.splice(Math.floor(this.random() * pool.length), 1)[0])
    }
    return out
  }

  private end (round: Round): void {
    for (const id of round.pending) this.byProbe.delete(id)
    this.rounds.delete(round.target)
  }
}
