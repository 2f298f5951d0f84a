/**
 * A live chat session: one libp2p node, its local/bootstrap/mDNS discovery,
 * and one Room. It implements the ChatSession the UI drives, and is what the
 * CLI, the end-to-end tests and the simulator's live mode start.
 */

import { generateKeyPair } from '@libp2p/crypto/keys'
import { TypedEventEmitter, type PrivateKey } from '@libp2p/interface'
import { BootstrapDialer } from '../discovery/bootstrap-dialer.js'
import { dialDiscoveredPeers } from '../discovery/discovered-peer-dialer.js'
import { LocalAnchor } from '../discovery/local-anchor.js'
import { parseDialMultiaddr } from '../discovery/parse-multiaddr.js'
import { publicBootstrapPeers } from '../discovery/public-bootstrap.js'
import { roomNames } from '../discovery/room-names.js'
import { createChatNode, type ChatNode } from '../node/create-node.js'
import { BACKGROUND_GOSSIPSUB } from '../node/constants.js'
import { ExplicitHosts, PeerBlocklist } from '../node/dial-policy.js'
import { isRelayedConnection as isRelayed } from '../node/link-log.js'
import { Room, type RoomOptions } from '../room/room.js'
import type { RoomEventMap } from '../room/types.js'
import type { CensusResult, ChatLine, ChatSession, CommitteeView, DirectLine, GovernAction, Identity, PeerRow, RoomInfo, RoomStatus, RosterEntry, SessionEventMap } from './types.js'
import { DirectService } from './direct-service.js'
import { DirectStore, memoryRoomKeys, type ChatStore, type RoomKeyStore } from '../store/index.js'
import { randomBytes } from 'node:crypto'
import { isInvite, ROOM_KEY_BYTES } from '../private/index.js'
import { checkPrivateName, inviteOf, privateRoomNames, resolveTarget, type RoomTarget } from './room-target.js'
import type { Registry, RegistryRoom } from '../registry/index.js'
import { CONNECT_TIMEOUT_MS, PING_TIMEOUT_MS, REKEY_DRAIN_MS, resolveSessionOptions, type SessionOptions } from './options.js'
import { P2pchatError } from '../errors.js'
import { dialError } from './errors.js'

/** SessionEventMap as libp2p's TypedEventEmitter wants it: each detail wrapped in a CustomEvent. */
export type SessionEvents = { [K in keyof SessionEventMap]: CustomEvent<SessionEventMap[K]> }

/** Events a session forwards from its active room. */
const FORWARDED: Array<keyof RoomEventMap> = ['message', 'message:state', 'peer:join', 'peer:leave', 'peers:count', 'notice', 'roster:change', 'governance']

export { DEFAULT_SESSION_OPTIONS, resolveSessionOptions, type SessionOptions } from './options.js'

/** A running chat session. Create with `LiveSession.start`. */
export class LiveSession extends TypedEventEmitter<SessionEvents> implements ChatSession {
  private stopped = false
  /** The profile directory on disk, if any (shown by `/id`). */
  dataDir?: string
  private current: Room
  private readonly previous: RoomTarget[] = []
  private readonly forwarders = new Map<string, (evt: CustomEvent<unknown>) => void>()
  private switching: Promise<unknown> = Promise.resolve()

  private constructor (
    readonly node: ChatNode,
    room: Room,
    private readonly privateKey: PrivateKey,
    private readonly roomOptions: Partial<RoomOptions>,
    private readonly registry: Registry | undefined,
    private readonly explicitHosts: ExplicitHosts,
    /** Peers refused both ways; `isolate`/`heal` drive it. */
    readonly blocklist: PeerBlocklist,
    private readonly anchor: LocalAnchor,
    private readonly bootstrapDialer: BootstrapDialer | undefined,
    private readonly stopDiscoveryDialer: () => void,
    store: ChatStore | undefined,
    private readonly roomKeys: RoomKeyStore,
    log: (line: string) => void
  ) {
    super()
    this.current = room
    this.forward(room)
    this.direct = new DirectService({
      node,
      privateKey,
      ...(store === undefined ? {} : { store: new DirectStore(store.kv) }),
      now: () => Date.now(),
      nick: () => this.nick,
      log,
      line: line => { this.emitDirect('dm', line) },
      state: change => { this.emitDirect('dm:state', change) },
      drop: reason => { this.current.drops.add(reason) }
    })
  }

  /** Direct messages (`/msg`), beside the room. */
  private readonly direct: DirectService

  private emitDirect<K extends 'dm' | 'dm:state'> (type: K, detail: SessionEventMap[K]): void {
    if (this.early !== undefined) this.early.push({ type: type as never, detail })
    else this.safeDispatchEvent(type, { detail })
  }

  /** The active room. */
  get room (): Room {
    return this.current
  }

  get topic (): string {
    return this.current.names.name
  }

  /** Starts the node, discovery and the room. */
  static async start (options: Partial<SessionOptions> = {}): Promise<LiveSession> {
    const opts = resolveSessionOptions(options)
    const privateKey = opts.privateKey ?? await generateKeyPair('Ed25519')
    const explicitHosts = new ExplicitHosts()
    const blocklist = new PeerBlocklist()
    const bootstrapAddrs = opts.bootstrap.map(b => parseDialMultiaddr(b))
    for (const ma of bootstrapAddrs) explicitHosts.allow(ma)
    const node = await createChatNode({
      privateKey,
      ...(opts.datastore !== undefined ? { datastore: opts.datastore } : {}),
      listen: opts.listen,
      mdns: opts.mdns,
      public: opts.public,
      explicitHosts,
      blocklist,
      publicBootstrap: opts.public ? publicBootstrapPeers() : [],
      relayServer: opts.public && opts.relay,
      upnp: opts.public && opts.upnp,
      log: opts.log,
      // Beside RainTree, gossipsub is the background path: a smaller mesh, no flood publishing.
      gossipsub: opts.room.paths === 'raintree+gossipsub' ? { ...BACKGROUND_GOSSIPSUB, ...opts.gossipsub } : opts.gossipsub
    })
    const roomOptions: Partial<RoomOptions> = { nick: opts.nick, log: opts.log, ...(opts.store !== undefined ? { store: opts.store } : {}), ...opts.room }
    const roomKeys = opts.roomKeys ?? memoryRoomKeys()
    let first: RoomTarget
    try {
      first = await firstRoom(opts, roomKeys)
    } catch (err) {
      await node.stop()
      throw err
    }
    const room = new Room(node, privateKey, first.names, { ...roomOptions, trustedPeers: first.trustedPeers })
    const anchor = new LocalAnchor(node, { port: opts.localPort, log: opts.log })
    const bootstrapDialer = bootstrapAddrs.length > 0 ? new BootstrapDialer(node, bootstrapAddrs, { log: opts.log }) : undefined
    const stopDiscoveryDialer = dialDiscoveredPeers(node, opts.log)
    const session = new LiveSession(node, room, privateKey, roomOptions, opts.registry, explicitHosts, blocklist, anchor, bootstrapDialer, stopDiscoveryDialer, opts.store, roomKeys, opts.log)
    session.dataDir = opts.dataDir
    try {
      await room.start()
      await session.direct.start()
      await Promise.all([anchor.start(), bootstrapDialer?.start()])
    } catch (err) {
      await session.stop()
      throw err
    }
    return session
  }

  get nick (): string {
    return this.current.driver.nick
  }

  get peerId (): string {
    return this.node.peerId.toString()
  }

  async send (text: string): Promise<void> {
    this.room.send(text)
  }

  async sendAction (text: string): Promise<void> {
    this.room.send(text, true)
  }

  setNick (nick: string): void {
    this.room.setNick(nick)
    this.roomOptions.store?.setNick(this.room.driver.nick).catch(() => {})
  }

  async connect (target: string): Promise<string> {
    const ma = parseDialMultiaddr(target)
    this.explicitHosts.allow(ma)
    try {
      const conn = await this.node.dial(ma, { signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) })
      return conn.remotePeer.toString()
    } catch (err) {
      throw dialError(target, err)
    }
  }

  async peers (): Promise<PeerRow[]> {
    const byPeer = new Map<string, PeerRow>()
    // Direct connections first, so a peer reached both ways shows its direct one.
    const connections = [...this.node.getConnections()].sort((a, b) => Number(isRelayed(a)) - Number(isRelayed(b)))
    for (const conn of connections) {
      const id = conn.remotePeer.toString()
      if (byPeer.has(id)) continue
      const subscribed = this.room.driver.isTopicPeer(id)
      const sendable = subscribed && this.room.canSendTo(id)
      byPeer.set(id, {
        peerId: id,
        nick: this.room.driver.nickOf(id),
        address: conn.remoteAddr.toString().replace(/\/p2p\/[^/]+$/, ''),
        direction: conn.direction,
        link: isRelayed(conn) ? 'relayed' : 'direct',
        inTopic: sendable,
        ...(subscribed && !sendable ? { noStream: true } : {})
      })
    }
    await Promise.all([...byPeer.values()].map(async row => {
      const conn = this.node.getConnections().find(c => c.remotePeer.toString() === row.peerId)
      if (conn === undefined) return
      if (row.link === 'relayed') {
        // ping.ping(peer) would dial a new relayed connection (libp2p never reuses a limited one
        // for a dial); the connection monitor's last round trip is what we have.
        if (conn.rtt !== undefined) row.latencyMs = conn.rtt
        return
      }
      try {
        // The first ping over a connection also pays one-time costs on both ends (40-85 ms on
        // loopback, against 1-2 ms after): the lower of two pings is the round trip.
        const signal = AbortSignal.timeout(PING_TIMEOUT_MS)
        const first = await this.node.services.ping.ping(conn.remotePeer, { signal })
        const second = await this.node.services.ping.ping(conn.remotePeer, { signal }).catch(() => first)
        row.latencyMs = Math.min(first, second)
      } catch {}
    }))
    return [...byPeer.values()].sort((a, b) => Number(b.inTopic) - Number(a.inTopic) || a.peerId.localeCompare(b.peerId))
  }

  identity (): Identity {
    return {
      peerId: this.peerId,
      addresses: this.node.getMultiaddrs().map(ma => ma.toString()),
      ...(this.dataDir !== undefined ? { dataDir: this.dataDir } : {})
    }
  }

  topicPeerCount (): number {
    return this.room.driver.topicPeerCount
  }

  status (): RoomStatus {
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage()
    return { ...this.room.status(), memory: { rss, heapTotal, heapUsed, external, arrayBuffers } }
  }

  history (limit: number): ChatLine[] {
    return this.room.history(limit)
  }

  startupHistory (limit: number): ChatLine[] {
    return this.room.startupHistory(limit)
  }

  knownNicks (): string[] {
    return this.room.driver.knownNicks()
  }

  rooms (): RoomInfo[] {
    const active = this.current.names
    const listed: RoomInfo[] = (this.registry?.rooms ?? []).map(r => {
      const joined = r.private === true ? active.key !== undefined && active.name === r.name : r.rendezvous === active.rendezvous
      return { name: r.name, desc: r.desc, rendezvous: r.rendezvous, trustedPeers: r.trustedPeers, joined, ...(r.private === true ? { private: true as const } : {}) }
    })
    // Private rooms whose key the profile holds (the newest key of each name).
    const held = new Map(this.roomKeys.list().map(k => [k.name, k]))
    for (const [name, { key }] of held) {
      if (listed.some(r => r.name === name && r.private === true)) continue
      const names = privateRoomNames(name, key)
      listed.push({ name, desc: '', rendezvous: names.rendezvous, trustedPeers: [], joined: names.topic === active.topic, private: true })
    }
    if (!listed.some(r => r.joined)) {
      listed.unshift({ name: active.name, desc: '', rendezvous: active.rendezvous, trustedPeers: this.current.trustedPeers, joined: true, ...(active.key !== undefined ? { private: true as const } : {}) })
    }
    return listed
  }

  async join (nameOrTopic: string): Promise<string> {
    // `<name> <passphrase…>`: the private room that passphrase gives.
    const [name, ...words] = nameOrTopic.trim().split(/\s+/)
    const passphrase = words.length > 0 && !isInvite(name) ? nameOrTopic.trim().slice(name.length).trim() : undefined
    const target = await resolveTarget(passphrase === undefined ? nameOrTopic : name, { registry: this.registry, roomKeys: this.roomKeys, now: Date.now(), code: 'INVALID_COMMAND', ...(passphrase === undefined ? {} : { passphrase }) })
    if (target.names.topic === this.current.names.topic) return this.current.names.name
    return await this.switchTo(target, true)
  }

  invite (): string {
    const invite = inviteOf(this.current.names)
    if (invite === undefined) throw new P2pchatError('INVALID_COMMAND', `room "${this.current.names.name}" is not private: anyone who knows its name can join it. /join an invite, or make one with /join p2pchat:room/<name>#… from a member`)
    return invite
  }

  async createRoom (name: string): Promise<string> {
    const trimmed = name.trim()
    checkPrivateName(trimmed, 'INVALID_COMMAND')
    const names = privateRoomNames(trimmed, new Uint8Array(randomBytes(ROOM_KEY_BYTES)))
    await this.roomKeys.put(names.name, names.key as Uint8Array, Date.now())
    await this.switchTo({ names, trustedPeers: [] }, true)
    return inviteOf(names) as string
  }

  async rekey (): Promise<string> {
    const old = this.current
    if (old.names.key === undefined) throw new P2pchatError('INVALID_COMMAND', `room "${old.names.name}" is not private, so it has no key to change`)
    const names = privateRoomNames(old.names.name, new Uint8Array(randomBytes(ROOM_KEY_BYTES)))
    const invite = inviteOf(names) as string
    await this.roomKeys.put(names.name, names.key as Uint8Array, Date.now())
    // Said in the old room, sealed with the old key: its members, and only they, learn the new one.
    old.send(`moved this room to a new key; join it with: ${invite}`, true)
    if (old.driver.topicPeerCount > 0) await old.drainSent(REKEY_DRAIN_MS)
    await this.switchTo({ names, trustedPeers: old.trustedPeers }, true)
    return invite
  }

  async leave (): Promise<string> {
    const back = this.previous.pop()
    if (back === undefined) throw new P2pchatError('INVALID_COMMAND', 'there is no previous room to go back to')
    return await this.switchTo(back, false)
  }

  /** Leaves the active room and starts `target`; one switch at a time. */
  private async switchTo ({ names, trustedPeers }: RoomTarget, remember: boolean): Promise<string> {
    const run = this.switching.then(async () => {
      const old = this.current
      const room = new Room(this.node, this.privateKey, names, { ...this.roomOptions, nick: old.driver.nick, trustedPeers })
      // Status text and away go with you from room to room, like the nick.
      const self = old.who().find(e => e.self)
      this.unforward(old)
      await old.stop()
      this.current = room
      this.forward(room)
      if (self !== undefined && self.status !== '') room.setStatusText(self.status)
      if (self?.away === true) room.setAway(true)
      await room.start()
      if (remember) this.previous.push({ names: old.names, trustedPeers: old.trustedPeers })
      this.safeDispatchEvent('room:change', { detail: { name: names.name, previous: old.names.name } })
      return names.name
    })
    this.switching = run.catch(() => {})
    return await run
  }

  /**
   * Events forwarded before anyone listened (the room starts, and may deliver, before the UI
   * attaches): kept and dispatched once the first listener is added, so nothing is lost.
   */
  private early: Array<{ type: keyof RoomEventMap, detail: unknown }> | undefined = []

  override addEventListener<K extends keyof SessionEvents> (type: K, listener: ((evt: SessionEvents[K]) => void) | null, options?: boolean | { once?: boolean, signal?: AbortSignal }): void {
    super.addEventListener(type, listener as never, options)
    const early = this.early
    if (early === undefined) return
    this.early = undefined
    // after the caller's synchronous registrations, so every listener sees the backlog
    queueMicrotask(() => { for (const e of early) this.safeDispatchEvent(e.type, { detail: e.detail }) })
  }

  private forward (room: Room): void {
    for (const type of FORWARDED) {
      const listener = (evt: CustomEvent<unknown>): void => {
        if (this.early !== undefined) this.early.push({ type, detail: evt.detail })
        else this.safeDispatchEvent(type, { detail: evt.detail })
      }
      this.forwarders.set(type, listener)
      room.addEventListener(type, listener as never)
    }
  }

  private unforward (room: Room): void {
    for (const [type, listener] of this.forwarders) room.removeEventListener(type as keyof RoomEventMap, listener as never)
    this.forwarders.clear()
  }

  who (): RosterEntry[] {
    return this.current.who()
  }

  setStatusText (text: string): void {
    this.current.setStatusText(text)
  }

  setAway (away?: boolean): boolean {
    return this.current.setAway(away)
  }

  async census (): Promise<CensusResult> {
    return await this.current.census()
  }

  committee (): CommitteeView {
    return this.current.committee()
  }

  async govern (action: GovernAction): Promise<void> {
    await this.current.govern(action)
  }

  sendDirect (peer: string, text: string, action = false): DirectLine {
    return this.direct.send(peer, text, action)
  }

  directHistory (peer: string, limit: number): DirectLine[] {
    return this.direct.history(peer, limit)
  }

  conversations (): Array<{ peer: string, nick?: string, last: number, pending: number }> {
    return this.direct.conversations()
  }

  ignore (peer: string): void { this.direct.ignore(peer) }
  unignore (peer: string): void { this.direct.unignore(peer) }
  ignored (): string[] { return this.direct.ignored() }

  /** Cuts this session off from `peers`: closes connections and refuses new ones both ways (tests, simulator). */
  async isolateFrom (peers: string[]): Promise<void> {
    for (const p of peers) this.blocklist.block(p)
    await Promise.all(this.node.getConnections()
      .filter(c => this.blocklist.has(c.remotePeer))
      .map(async c => { await c.close().catch(() => { c.abort(new Error('isolated')) }) }))
  }

  /** Undoes `isolateFrom`. Reconnection then happens through the normal discovery paths. */
  heal (): void {
    this.blocklist.clear()
  }

  /** Waits (at most `timeoutMs`) until every own message has reached at least one peer. */
  async drain (timeoutMs: number): Promise<void> {
    await this.room.drainSent(timeoutMs)
  }

  /** Stops the room, discovery and the node. Safe to call twice. */
  async stop (): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.stopDiscoveryDialer()
    this.bootstrapDialer?.stop()
    await this.switching
    await this.direct.stop().catch(() => {})
    await this.current.stop().catch(() => {})
    await this.anchor.stop().catch(() => {})
    await this.node.stop()
  }
}

/** A registry room by name, or a one-line error listing the rooms. */
function findRegistryRoom (registry: Registry | undefined, name: string): RegistryRoom {
  if (registry === undefined) throw new P2pchatError('INVALID_FLAG', `--room ${name} needs --registry <file|url|cid>`)
  const entry = registry.rooms.find(r => r.name === name)
  if (entry === undefined) {
    throw new P2pchatError('INVALID_FLAG', `no room "${name}" in the registry; rooms: ${registry.rooms.map(r => r.name).join(', ') || '(none)'}`)
  }
  return entry
}

/** The room a session starts in: `--join` (an invite or a held private room), `--room`, or `--topic`. */
async function firstRoom (opts: SessionOptions, roomKeys: RoomKeyStore): Promise<RoomTarget> {
  const ctx = { registry: opts.registry, roomKeys, now: Date.now(), code: 'INVALID_FLAG' as const }
  if (opts.join !== undefined && opts.passphrase !== undefined && !isInvite(opts.join)) return await resolveTarget(opts.join, { ...ctx, passphrase: opts.passphrase })
  if (opts.join !== undefined) {
    const name = opts.join.trim()
    if (!isInvite(name) && roomKeys.current(name) === undefined) {
      throw new P2pchatError('INVALID_FLAG', `--join: this profile holds no private room "${name.slice(0, 40)}"; give its invite (p2pchat:room/${name.slice(0, 40)}#…), which a member prints with /invite`)
    }
    return await resolveTarget(name, ctx)
  }
  if (opts.registryRoom !== undefined) {
    const entry = findRegistryRoom(opts.registry, opts.registryRoom)
    return await resolveTarget(entry.name, ctx)
  }
  return { names: roomNames(opts.topic), trustedPeers: [] }
}
