/**
 * DHT rendezvous for one room: provide the rendezvous CID, re-provide it before
 * it expires (at 7/8 of the record TTL, as go-libp2p does), and look for other
 * providers in a loop, fast at start and while we have no room peers, backing
 * off once we have some. Every provider found is dialed.
 */

import type { Libp2p, PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { backoffDelay, type BackoffOptions } from './backoff.js'
import { rendezvousCid } from './rendezvous-cid.js'

/** Options for the rendezvous loop. */
export interface RendezvousOptions {
  /** Provider record TTL we assume (ms); we re-provide at 7/8 of it. @default 600000 */
  providerTtlMs: number
  /** Backoff of the findProviders loop. @default 250 ms doubling to 60 s, ±20% */
  findBackoff: BackoffOptions
  /** Ceiling on the find interval while we have no room peers (ms). @default 2000 */
  lonelyMaxMs: number
  /** Timeout of one provide or findProviders query (ms). @default 5000 */
  queryTimeoutMs: number
  /** Timeout of one dial to a found provider (ms). @default 5000 */
  dialTimeoutMs: number
  /** How many room peers we have now (drives the fast/slow schedule). */
  roomPeerCount: () => number
  /** One-line diagnostics. */
  log: (line: string) => void
}

/** Defaults for RendezvousOptions. */
export const DEFAULT_RENDEZVOUS_OPTIONS: RendezvousOptions = {
  providerTtlMs: 10 * 60 * 1000,
  findBackoff: { initialMs: 250, factor: 2, maxMs: 60_000, jitter: 0.2 },
  lonelyMaxMs: 2000,
  queryTimeoutMs: 5000,
  dialTimeoutMs: 5000,
  roomPeerCount: () => 0,
  log: () => {}
}

/** Counters a test or `/status` can read. */
export interface RendezvousStats {
  provides: number
  finds: number
  providersFound: number
  /** Every peer findProviders returned as a provider of our rendezvous CID. */
  providersSeen: Set<string>
  /** Peers this loop dialed because findProviders returned them. */
  dialedFromProviders: Set<string>
}

/** The provide/findProviders loop of one room. */
export class Rendezvous {
  private readonly opts: RendezvousOptions
  private cid?: CID
  private findTimer?: NodeJS.Timeout
  private provideTimer?: NodeJS.Timeout
  private attempt = 0
  private stopped = false
  private readonly abort = new AbortController()
  private readonly onConnect = (): void => { this.onFirstPeer() }
  private hadPeers = false
  readonly stats: RendezvousStats = { provides: 0, finds: 0, providersFound: 0, providersSeen: new Set(), dialedFromProviders: new Set() }

  constructor (private readonly node: Libp2p, readonly namespace: string, options: Partial<RendezvousOptions> = {}) {
    this.opts = { ...DEFAULT_RENDEZVOUS_OPTIONS, ...options }
  }

  /** Starts providing and searching. Resolves after the first provide and find were started. */
  async start (): Promise<void> {
    this.cid = await rendezvousCid(this.namespace)
    this.node.addEventListener('peer:connect', this.onConnect)
    this.hadPeers = this.node.getConnections().length > 0
    void this.provide()
    void this.find()
  }

  /** Stops the loop; in-flight queries are aborted. */
  stop (): void {
    this.stopped = true
    this.abort.abort()
    clearTimeout(this.findTimer)
    clearTimeout(this.provideTimer)
    this.node.removeEventListener('peer:connect', this.onConnect)
  }

  /** Search again soon (e.g. after the last room peer left). */
  hurry (): void {
    if (this.stopped) return
    this.attempt = 0
    clearTimeout(this.findTimer)
    this.findTimer = setTimeout(() => { void this.find() }, 50)
  }

  /** The first connection (or a reconnection after being alone): provide again, so the record leaves this node, and search. */
  private onFirstPeer (): void {
    if (this.hadPeers || this.stopped) return
    this.hadPeers = true
    clearTimeout(this.provideTimer)
    this.provideTimer = setTimeout(() => { void this.provide() }, 100)
    this.hurry()
  }

  private signal (): AbortSignal {
    return AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.queryTimeoutMs)])
  }

  private async provide (): Promise<void> {
    if (this.stopped || this.cid === undefined) return
    try {
      await this.node.contentRouting.provide(this.cid, { signal: this.signal() })
      this.stats.provides++
    } catch (err) {
      if (!this.stopped) this.opts.log(`provide failed: ${(err as Error).message}`)
    }
    if (this.node.getConnections().length === 0) this.hadPeers = false
    if (this.stopped) return
    this.provideTimer = setTimeout(() => { void this.provide() }, this.opts.providerTtlMs * 7 / 8)
    this.provideTimer.unref()
  }

  private async find (): Promise<void> {
    if (this.stopped || this.cid === undefined) return
    this.stats.finds++
    try {
      for await (const provider of this.node.contentRouting.findProviders(this.cid, { signal: this.signal() })) {
        if (this.stopped) break
        if (provider.id.equals(this.node.peerId)) continue
        this.stats.providersFound++
        this.stats.providersSeen.add(provider.id.toString())
        void this.dialProvider(provider.id, provider.multiaddrs)
      }
    } catch (err) {
      if (!this.stopped) this.opts.log(`findProviders failed: ${(err as Error).message}`)
    }
    if (this.stopped) return
    let delay = backoffDelay(this.attempt++, this.opts.findBackoff)
    if (this.opts.roomPeerCount() === 0) delay = Math.min(delay, this.opts.lonelyMaxMs)
    this.findTimer = setTimeout(() => { void this.find() }, delay)
    this.findTimer.unref()
  }

  private async dialProvider (peer: PeerId, addrs: Array<import('@multiformats/multiaddr').Multiaddr>): Promise<void> {
    if (this.node.getConnections(peer).length > 0) return
    try {
      if (addrs.length > 0) await this.node.peerStore.merge(peer, { multiaddrs: addrs })
      await this.node.dial(peer, { signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.dialTimeoutMs)]) })
      this.stats.dialedFromProviders.add(peer.toString())
      this.opts.log(`connected to provider ${peer.toString()}`)
    } catch (err) {
      if (!this.stopped) this.opts.log(`dial to provider ${peer.toString()} failed: ${(err as Error).message}`)
    }
  }
}
