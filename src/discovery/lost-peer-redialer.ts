/**
 * Redials room peers whose connection dropped (a network blip, a partition that healed) for a
 * bounded time. Nothing else in the stack reconnects them on purpose: the rendezvous loop backs
 * off to a minute once we have other room peers, and libp2p has no autodialer. A peer that left
 * cleanly, or that came back by itself, is forgotten.
 */

import type { Libp2p, PeerId } from '@libp2p/interface'
import { backoffDelay, type BackoffOptions } from './backoff.js'

/** Options of the redialer. */
export interface RedialOptions {
  /** Delay before each attempt. @default 500 ms, then every 1 s, ±20 % */
  backoff: BackoffOptions
  /** A peer is given up this long after it was lost (ms). @default 300000 */
  giveUpAfterMs: number
  /** Most lost peers tracked at once; past it the longest-lost is given up. @default 32 */
  maxPeers: number
  /** Timeout of one dial (ms). @default 5000 */
  dialTimeoutMs: number
  /**
   * The end of a lost link with the greater peer id waits this much longer before its first
   * attempt (ms), so normally only one end dials: half the handshakes, no duplicate connection.
   * @default 1000
   */
  yieldMs: number
  /** How often due redials are looked for (ms). @default 250 */
  checkIntervalMs: number
  /** Clock (ms). @default Date.now */
  now: () => number
  /** Random source for jitter. @default Math.random */
  random: () => number
  /** One-line diagnostics. */
  log: (line: string) => void
  /** A redial of `peerId` failed: it cannot be reached now (the room drops it from the roster). */
  onUnreachable: (peerId: string) => void
}

/** Defaults of RedialOptions. */
export const DEFAULT_REDIAL_OPTIONS: RedialOptions = {
  // Quick enough that a healed link carries chat again within about a second; a refused dial to
  // a peer that is still away costs one attempt a second (a dial that hangs, one per timeout).
  backoff: { initialMs: 500, factor: 2, maxMs: 1000, jitter: 0.2 },
  // Covers network blips and partitions of minutes; a peer away longer is found by rendezvous.
  giveUpAfterMs: 5 * 60_000,
  maxPeers: 32,
  dialTimeoutMs: 5000,
  yieldMs: 1000,
  checkIntervalMs: 250,
  now: () => Date.now(),
  random: Math.random,
  log: () => {},
  onUnreachable: () => {}
}

interface LostPeer { lostAt: number, attempt: number, dueAt: number }

/** Which lost peers are due for a redial, and when the next attempts are: pure, time injected. */
export class RedialSchedule {
  private readonly peers = new Map<string, LostPeer>()

  constructor (private readonly opts: Pick<RedialOptions, 'backoff' | 'giveUpAfterMs' | 'maxPeers' | 'random'>) {}

  /** Peers tracked now. */
  get size (): number {
    return this.peers.size
  }

  has (id: string): boolean {
    return this.peers.has(id)
  }

  /** A peer was lost at `now`; its first attempt waits `extraDelayMs` more (no-op while it is tracked). */
  lost (id: string, now: number, extraDelayMs = 0): void {
    if (this.peers.has(id)) return
    this.peers.set(id, { lostAt: now, attempt: 0, dueAt: now + extraDelayMs + backoffDelay(0, this.opts.backoff, this.opts.random) })
    // Map order is insertion order: the first key is the longest-lost peer.
    if (this.peers.size > this.opts.maxPeers) this.peers.delete(this.peers.keys().next().value as string)
  }

  /** Stops tracking a peer (it is back, or it left cleanly). */
  forget (id: string): void {
    this.peers.delete(id)
  }

  /** The peers due at `now`, which are then in flight until `failed` or `forget`; gives up stale ones. */
  takeDue (now: number): string[] {
    const due: string[] = []
    for (const [id, peer] of this.peers) {
      if (now - peer.lostAt > this.opts.giveUpAfterMs) {
        this.peers.delete(id)
      } else if (peer.dueAt <= now) {
        peer.dueAt = Number.POSITIVE_INFINITY
        due.push(id)
      }
    }
    return due
  }

  /** An attempt failed at `now`: the next one follows the backoff. */
  failed (id: string, now: number): void {
    const peer = this.peers.get(id)
    if (peer === undefined) return
    peer.attempt++
    peer.dueAt = now + backoffDelay(peer.attempt, this.opts.backoff, this.opts.random)
  }
}

/** Drives a RedialSchedule: dials due peers, forgets those that are back. */
export class LostPeerRedialer {
  private readonly opts: RedialOptions
  private readonly schedule: RedialSchedule
  private readonly peerIds = new Map<string, PeerId>()
  /** Peers that left cleanly (their disconnect follows): not redialed until they are back. */
  private readonly gone = new Set<string>()
  private readonly abort = new AbortController()
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (private readonly node: Libp2p, options: Partial<RedialOptions> = {}) {
    this.opts = { ...DEFAULT_REDIAL_OPTIONS, ...options }
    this.schedule = new RedialSchedule(this.opts)
  }

  /** Starts looking for due redials. */
  start (): void {
    this.timer = setInterval(() => { this.check() }, this.opts.checkIntervalMs)
    this.timer.unref()
  }

  /** Stops; dials in flight are aborted. */
  stop (): void {
    clearInterval(this.timer)
    this.abort.abort()
  }

  /** A room peer's connection dropped: redial it until it is back (unless it left cleanly). */
  lost (peer: PeerId): void {
    const id = peer.toString()
    if (this.gone.has(id)) return
    this.peerIds.set(id, peer)
    this.schedule.lost(id, this.opts.now(), this.node.peerId.toString() > id ? this.opts.yieldMs : 0)
  }

  /** The peer is back in the room: stop redialing it. */
  back (id: string): void {
    this.gone.delete(id)
    this.forget(id)
  }

  /** The peer announced a clean leave: do not redial it when its connection drops. */
  departed (id: string): void {
    this.forget(id)
    this.gone.add(id)
    if (this.gone.size > this.opts.maxPeers * 8) this.gone.delete(this.gone.values().next().value as string)
  }

  private forget (id: string): void {
    this.schedule.forget(id)
    this.peerIds.delete(id)
  }

  /** Peers being redialed now. */
  get size (): number {
    return this.schedule.size
  }

  private check (): void {
    const due = this.schedule.takeDue(this.opts.now())
    for (const id of this.peerIds.keys()) if (!this.schedule.has(id)) this.peerIds.delete(id) // given up
    for (const id of due) {
      const peer = this.peerIds.get(id)
      if (peer === undefined || this.node.getConnections(peer).length > 0) {
        this.forget(id)
        continue
      }
      void this.redial(id, peer)
    }
  }

  private async redial (id: string, peer: PeerId): Promise<void> {
    try {
      await this.node.dial(peer, { signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.dialTimeoutMs)]) })
      this.opts.log(`reconnected to room peer ${id}`)
      this.forget(id)
    } catch {
      if (this.abort.signal.aborted) return
      this.schedule.failed(id, this.opts.now())
      this.opts.onUnreachable(id)
    }
  }
}
