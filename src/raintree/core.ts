/**
 * One peer's RainTree as a pure state machine, in the etcd-io/raft shape: `broadcast`,
 * `receive`, `ack` and `tick` take input with the caller's `now`; `ready()` hands over what to
 * send and deliver as one batch. No timers, sockets, clock or randomness inside.
 *
 * The procedure (spec §2, with the formulas of `targets.ts`): the originator plays rounds
 * top … 0; a peer sent layer L plays rounds L − 1 … 0; each round sends to two targets. Every
 * tree send awaits an ACK; when none comes by `now + ackTimeoutMs`, `tick` resends once to the
 * target's successor in the list, at the same layer (see `replacementIndex` for why +1). A
 * replacement does not ACK, and is not adjusted in turn.
 *
 * Dedup remembers, per message, the highest layer played. A copy at a lower or equal layer is a
 * duplicate: ACKed (so its sender does not adjust), not delivered or forwarded. A copy at a higher
 * layer (the first copy came through an overlapping run, see `targets.ts`) is not delivered again
 * but makes this peer play the rounds it had not played, so coverage does not depend on the order
 * copies arrive in.
 *
 * Bounded memory: the dedup memory (`dedupCapacity` ids) and the awaited ACKs (`maxPendingAcks`)
 * are capped; the output grows by a bounded amount per input (a receive: at most 2·(top + 1)
 * sends, one ACK and one delivery; a broadcast: as many sends, plus N − 1 with the redundancy
 * layer; a tick: one adjustment per expired ACK) and is released by `ready()`, which the driver
 * calls after every input.
 */
import { P2pchatError } from '../errors.js'
import { resolveRainTreeOptions, type RainTreeOptions } from './options.js'
import { PendingAcks } from './pending.js'
import { SeenLayers } from './seen.js'
import { firstRound, replacementIndex, roundTargets, topLayer } from './targets.js'
import type { RainTreeAck, RainTreeCounters, RainTreeReady, RainTreeSend, SendFlags } from './types.js'
import type { RainTreeView } from './view.js'

function zeroCounters (): RainTreeCounters {
  return { broadcasts: 0, received: 0, duplicates: 0, delivered: 0, sends: 0, adjustments: 0, redundancySends: 0, acksSent: 0, acksReceived: 0, unexpectedAcks: 0, timeouts: 0, upgrades: 0, pendingEvicted: 0, seenEvicted: 0 }
}

function invalid (message: string): never {
  throw new P2pchatError('INVALID_ARGUMENT', `raintree: ${message}`)
}

function requireInput (messageId: string, now: number): void {
  if (typeof messageId !== 'string' || messageId.length === 0) invalid(`a message id must be a non-empty string, got ${JSON.stringify(messageId)}`)
  if (typeof now !== 'number' || !Number.isFinite(now)) invalid(`now must be a finite number, got ${String(now)}`)
}

/** One peer's RainTree broadcast state machine. */
export class RainTreeCore {
  private view: RainTreeView
  private readonly options: RainTreeOptions
  private readonly seen: SeenLayers
  private readonly pending: PendingAcks
  private readonly counters = zeroCounters()
  private sends: RainTreeSend[] = []
  private acks: RainTreeAck[] = []
  private delivered: string[] = []

  constructor (view: RainTreeView, options: Partial<RainTreeOptions> = {}) {
    this.options = resolveRainTreeOptions(options)
    this.view = view
    this.seen = new SeenLayers(this.options.dedupCapacity)
    this.pending = new PendingAcks(this.options.maxPendingAcks)
  }

  /** This peer's id. */
  get selfId (): string {
    return this.view.selfId
  }

  /** The view targets are chosen from. */
  get currentView (): RainTreeView {
    return this.view
  }

  /** Replaces the view (membership changed); it must be seen from the same peer. Messages in flight keep their state. */
  setView (view: RainTreeView): void {
    if (view.selfId !== this.view.selfId) invalid(`setView: the view is ${view.selfId}'s, not ${this.view.selfId}'s`)
    this.view = view
  }

  /**
   * Originates `messageId`: plays rounds top … 0 (and the redundancy layer when on). Returns
   * false, doing nothing, when the id was already seen here.
   */
  broadcast (messageId: string, now: number): boolean {
    requireInput(messageId, now)
    if (this.seen.layerOf(messageId) !== undefined) return false
    this.counters.broadcasts++
    const top = topLayer(this.view.size)
    // Above any layer a peer can be sent, so no copy coming back makes the originator play again.
    this.seen.set(messageId, top + 1)
    const direct = this.playRounds(messageId, firstRound(this.view.size, 'originator'), 0, now)
    if (this.options.redundancyLayer) this.sendRedundancy(messageId, direct)
    return true
  }

  /**
   * A copy of `messageId` from `fromPeer`, sent `layer`. ACKs it unless it is an adjustment or a
   * redundancy copy; delivers it the first time; plays the rounds below `layer` not played yet.
   * `flags` may be the `RainTreeSend` itself.
   */
  receive (messageId: string, fromPeer: string, layer: number, now: number, flags: SendFlags = {}): void {
    requireInput(messageId, now)
    if (typeof fromPeer !== 'string' || fromPeer.length === 0) invalid(`fromPeer must be a non-empty string, got ${JSON.stringify(fromPeer)}`)
    if (!Number.isSafeInteger(layer) || layer < 0) invalid(`layer must be an integer >= 0, got ${String(layer)}`)
    this.counters.received++
    if (flags.adjustment !== true && flags.redundancy !== true) {
      this.acks.push({ to: fromPeer, messageId })
      this.counters.acksSent++
    }
    // A redundancy copy is delivered but never forwarded: it counts as layer 0.
    const sent = flags.redundancy === true ? 0 : Math.min(layer, topLayer(this.view.size))
    const played = this.seen.layerOf(messageId)
    if (played === undefined) {
      this.delivered.push(messageId)
      this.counters.delivered++
      this.seen.set(messageId, sent)
      this.playRounds(messageId, firstRound(this.view.size, sent), 0, now)
      return
    }
    this.counters.duplicates++
    if (sent <= played) return
    // Rounds played-1 … 0 are done; the rounds between are this copy's share.
    this.counters.upgrades++
    this.seen.set(messageId, sent)
    this.playRounds(messageId, firstRound(this.view.size, sent), played, now)
  }

  /** `fromPeer`'s ACK of `messageId`. */
  ack (messageId: string, fromPeer: string, now: number): void {
    requireInput(messageId, now)
    if (this.pending.ack(messageId, fromPeer)) this.counters.acksReceived++
    else this.counters.unexpectedAcks++
  }

  /** Fires the ACK deadlines ≤ now: each silent target is replaced once by its successor. */
  tick (now: number): void {
    if (typeof now !== 'number' || !Number.isFinite(now)) invalid(`now must be a finite number, got ${String(now)}`)
    for (const expired of this.pending.expire(now)) {
      this.counters.timeouts++
      const index = this.view.indexOf(expired.to)
      if (index === undefined) continue // left the view meanwhile: there is no "next in the list" to speak of
      const replacement = replacementIndex(this.view.size, index, Math.min(expired.layer, topLayer(this.view.size)))
      if (replacement === undefined || replacement === this.view.selfIndex) continue
      this.sends.push({ to: this.view.peerAt(replacement), messageId: expired.messageId, layer: expired.layer, adjustment: true, redundancy: false })
      this.counters.adjustments++
    }
  }

  /** The earliest ACK deadline still awaited (when `tick` next has work), or undefined. */
  nextDeadline (): number | undefined {
    return this.pending.nextDeadline()
  }

  /** Number of sends awaiting their ACK. */
  get awaitingAcks (): number {
    return this.pending.size
  }

  /** Hands over everything produced since the last call. */
  ready (): RainTreeReady {
    const out: RainTreeReady = { sends: this.sends, acks: this.acks, delivered: this.delivered, counters: this.snapshotCounters() }
    this.sends = []
    this.acks = []
    this.delivered = []
    return out
  }

  /** The running totals. */
  snapshotCounters (): RainTreeCounters {
    return { ...this.counters, pendingEvicted: this.pending.evicted, seenEvicted: this.seen.evicted }
  }

  /** Plays rounds from … to (from ≥ to; none when from < to); returns the peers sent to. */
  private playRounds (messageId: string, from: number, to: number, now: number): Set<string> {
    const sentTo = new Set<string>()
    const size = this.view.size
    const deadline = now + this.options.ackTimeoutMs
    for (let layer = from; layer >= to; layer--) {
      const { first, second } = roundTargets(size, this.view.selfIndex, layer)
      for (const index of [first, second]) {
        if (index === undefined) continue
        const peer = this.view.peerAt(index)
        this.sends.push({ to: peer, messageId, layer, adjustment: false, redundancy: false })
        this.pending.add(messageId, peer, layer, deadline)
        this.counters.sends++
        sentTo.add(peer)
      }
    }
    return sentTo
  }

  /** The redundancy layer: a layer-0 copy to every other member not already sent one. */
  private sendRedundancy (messageId: string, direct: Set<string>): void {
    for (const peer of this.view.ids) {
      if (peer === this.view.selfId || direct.has(peer)) continue
      this.sends.push({ to: peer, messageId, layer: 0, adjustment: false, redundancy: true })
      this.counters.redundancySends++
    }
  }
}
