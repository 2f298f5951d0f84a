/**
 * DHT rendezvous for one room: provide the rendezvous CID, re-provide it before
 * it expires (at 7/8 of the record TTL, as go-libp2p does), and look for other
 * providers in a loop, fast at start and while we have no room peers, backing
 * off once we have some. Found providers are dialed only while the room has
 * fewer than `targetRoomPeers` peers, chosen at random among those we are not
 * connected to: a small room still becomes a full mesh, a large one a random
 * graph of bounded degree (not a full mesh, and not a star around the
 * providers the DHT happens to list first). Inbound connections are never
 * limited here.
 */

import type { Libp2p, PeerId, PeerUpdate } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'
import { P2pchatError } from '../errors.js'
import { backoffDelay, type BackoffOptions } from './backoff.js'
import { rendezvousCid } from './rendezvous-cid.js'

/**
 * How many room peers the loop dials up to. Gossipsub keeps a mesh of D = 6
 * peers per topic (between Dlo = 4 and Dhi = 12): 8 fills it with 2 to spare
 * for a peer that is slow to subscribe or leaves. Peers also dial us (inbound
 * is not limited), so in a large room degrees end up between 8 and about 16,
 * around Dhi, instead of n − 1: at 100 peers about 600 connections instead of
 * 4,950. A random graph with minimum degree 8 is connected with high
 * probability. Rooms of up to 9 peers stay a full mesh.
 */
export const DEFAULT_TARGET_ROOM_PEERS = 8

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
  /**
   * Found providers are dialed only while we have fewer room peers than this (connected in
   * either direction, dials in flight included); `Infinity` dials every provider.
   * @default DEFAULT_TARGET_ROOM_PEERS (8; see there for why)
   */
  targetRoomPeers: number
  /**
   * How many room peers we have now: drives the fast/slow schedule and the dial target. The
   * loop also counts the found providers it is connected to, and takes the larger number, so
   * a peer whose subscription has not arrived yet still counts.
   * @default () => 0 (only connected providers count)
   */
  roomPeerCount: () => number
  /** Random source in [0, 1) for choosing providers and for backoff jitter. @default Math.random */
  random: () => number
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
  targetRoomPeers: DEFAULT_TARGET_ROOM_PEERS,
  roomPeerCount: () => 0,
  random: Math.random,
  log: () => {}
}

/** What `chooseProvidersToDial` decides from. Peers are named by their id strings. */
export interface DialChoiceInput {
  /** Providers one search found (own id excluded), in the order the DHT listed them. */
  providers: readonly string[]
  /** Peers we have an open connection to (at least those among `providers` and `dialing`). */
  connected: ReadonlySet<string>
  /** Peers a dial of ours is in flight to. */
  dialing: ReadonlySet<string>
  /** Room peers the room itself counts (e.g. topic subscribers). */
  roomPeers: number
  /** Dial only while we have fewer room peers than this. */
  target: number
  /** Random source in [0, 1). */
  random: () => number
  /** Providers a recent dial to failed: chosen only when the others do not cover the shortfall. */
  avoid?: ReadonlySet<string>
}

/**
 * Which found providers to dial: none when we already have `target` room peers, else up to the
 * shortfall, drawn uniformly at random from the providers we are neither connected to nor dialing
 * (those in `avoid` only after all the others). We have max(roomPeers, connected providers) room
 * peers, plus our dials in flight (they count as peers, so the next search does not dial past the
 * target while they connect). When the shortfall covers every candidate, every one is dialed, as
 * in a full mesh.
 */
export function chooseProvidersToDial (input: DialChoiceInput): string[] {
  const { providers, connected, dialing, roomPeers, target, random } = input
  const avoid = input.avoid ?? new Set<string>()
  const unique = [...new Set(providers)]
  const connectedProviders = unique.filter(p => connected.has(p)).length
  const pending = [...dialing].filter(p => !connected.has(p)).length
  const have = Math.max(roomPeers, connectedProviders) + pending
  const candidates = unique.filter(p => !connected.has(p) && !dialing.has(p))
  const need = Math.max(0, target - have)
  const fresh = pickRandom(candidates.filter(p => !avoid.has(p)), need, random)
  return [...fresh, ...pickRandom(candidates.filter(p => avoid.has(p)), need - fresh.length, random)]
}

/** Up to `count` items of `items` (which it shuffles in place), uniformly at random: a partial Fisher–Yates. */
function pickRandom (items: string[], count: number, random: () => number): string[] {
  const take = Math.min(items.length, count)
  for (let i = 0; i < take; i++) {
    const j = Math.min(items.length - 1, i + Math.floor(random() * (items.length - i)))
    const picked = items[j]
    items[j] = items[i]
    items[i] = picked
  }
  return items.slice(0, take)
}

/** Counters a test or `/status` can read. */
export interface RendezvousStats {
  provides: number
  finds: number
  providersFound: number
  /** Every peer findProviders returned as a provider of our rendezvous CID. */
  providersSeen: Set<string>
  /** Peers this loop dialed (and connected to) because findProviders returned them. */
  dialedFromProviders: Set<string>
  /** Found providers left undialed because we had `targetRoomPeers` room peers already. */
  skippedAtTarget: number
}

/** A provider one search found, with the addresses it came with. */
interface FoundProvider {
  id: PeerId
  multiaddrs: Multiaddr[]
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
  /** Our addresses when we last provided: a provider record carries them, so a change (a relay
   * reservation, a confirmed public address) is provided again. */
  private announcedAddrs = ''
  private readonly onSelfUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    this.onAddressesChanged(evt.detail.peer.addresses.map(a => a.multiaddr.toString()).sort().join(' '))
  }
  private hadPeers = false
  /** Peers a dial of ours is in flight to. */
  private readonly dialing = new Set<string>()
  /** Providers a dial of ours failed to, and when (ms): chosen last for a record lifetime, as the record may be stale. */
  private readonly failed = new Map<string, number>()
  readonly stats: RendezvousStats = { provides: 0, finds: 0, providersFound: 0, providersSeen: new Set(), dialedFromProviders: new Set(), skippedAtTarget: 0 }

  constructor (private readonly node: Libp2p, readonly namespace: string, options: Partial<RendezvousOptions> = {}) {
    this.opts = { ...DEFAULT_RENDEZVOUS_OPTIONS, ...options }
    const target = this.opts.targetRoomPeers
    if (Number.isNaN(target) || target < 1) {
      throw new P2pchatError('INVALID_OPTION', `targetRoomPeers must be at least 1, got ${target}`)
    }
  }

  /** Starts providing and searching. Resolves after the first provide and find were started. */
  async start (): Promise<void> {
    this.cid = await rendezvousCid(this.namespace)
    this.node.addEventListener('peer:connect', this.onConnect)
    this.node.addEventListener('self:peer:update', this.onSelfUpdate)
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
    this.node.removeEventListener('self:peer:update', this.onSelfUpdate)
  }

  /** Provide again soon when the addresses our record would carry changed (e.g. a new relay reservation). */
  private onAddressesChanged (key: string): void {
    if (this.stopped || key === this.announcedAddrs) return
    this.announcedAddrs = key
    clearTimeout(this.provideTimer)
    this.provideTimer = setTimeout(() => { void this.provide() }, 200)
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

  /**
   * One search. The providers are collected first and chosen from when the query ends (it ends
   * as soon as it has found 20, kad-dht's k), so the choice is among all of them and not among
   * the first few in the order the DHT lists them, which is the same for every searcher.
   */
  private async find (): Promise<void> {
    if (this.stopped || this.cid === undefined) return
    this.stats.finds++
    const found = new Map<string, FoundProvider>()
    try {
      for await (const provider of this.node.contentRouting.findProviders(this.cid, { signal: this.signal() })) {
        if (this.stopped) break
        if (provider.id.equals(this.node.peerId)) continue
        this.stats.providersFound++
        this.stats.providersSeen.add(provider.id.toString())
        found.set(provider.id.toString(), { id: provider.id, multiaddrs: provider.multiaddrs })
      }
    } catch (err) {
      if (!this.stopped) this.opts.log(`findProviders failed: ${(err as Error).message}`)
    }
    if (this.stopped) return
    this.dialSome(found)
    let delay = backoffDelay(this.attempt++, this.opts.findBackoff, this.opts.random)
    if (this.opts.roomPeerCount() === 0) delay = Math.min(delay, this.opts.lonelyMaxMs)
    this.findTimer = setTimeout(() => { void this.find() }, delay)
    this.findTimer.unref()
  }

  /** Dials the providers `chooseProvidersToDial` picks from one search's results. */
  private dialSome (found: Map<string, FoundProvider>): void {
    if (found.size === 0) return
    const connected = new Set<string>()
    for (const [id, p] of found) if (this.node.getConnections(p.id).length > 0) connected.add(id)
    for (const conn of this.node.getConnections()) {
      const id = conn.remotePeer.toString()
      if (this.dialing.has(id)) connected.add(id)
    }
    const now = Date.now()
    for (const [id, at] of this.failed) if (now - at > this.opts.providerTtlMs || connected.has(id)) this.failed.delete(id)
    const chosen = chooseProvidersToDial({
      providers: [...found.keys()],
      connected,
      dialing: this.dialing,
      roomPeers: this.opts.roomPeerCount(),
      target: this.opts.targetRoomPeers,
      random: this.opts.random,
      avoid: new Set(this.failed.keys())
    })
    const candidates = [...found.keys()].filter(id => !connected.has(id) && !this.dialing.has(id)).length
    this.stats.skippedAtTarget += candidates - chosen.length
    for (const id of chosen) {
      const p = found.get(id)
      if (p !== undefined) void this.dialProvider(p.id, p.multiaddrs)
    }
  }

  private async dialProvider (peer: PeerId, addrs: Multiaddr[]): Promise<void> {
    if (this.node.getConnections(peer).length > 0) return
    const id = peer.toString()
    this.dialing.add(id)
    try {
      if (addrs.length > 0) await this.node.peerStore.merge(peer, { multiaddrs: addrs })
      await this.node.dial(peer, { signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.dialTimeoutMs)]) })
      this.stats.dialedFromProviders.add(id)
      this.failed.delete(id)
      this.opts.log(`connected to provider ${id}`)
    } catch (err) {
      this.failed.set(id, Date.now())
      if (!this.stopped) this.opts.log(`dial to provider ${id} failed: ${(err as Error).message}`)
    } finally {
      this.dialing.delete(id)
    }
  }
}
