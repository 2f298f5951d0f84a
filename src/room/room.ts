/**
 * A Room is the I/O shell of one chat topic on a running node. The pure `RoomDriver`
 * decides everything; the Room feeds it network input, connection changes and time
 * (one periodic timer, and a one-shot timer at the driver's next deadline), and carries
 * out its output: publishing on every broadcast path, pulls over the repair protocol,
 * durable writes, and events for the session. It also runs the DHT rendezvous and the
 * redialer of lost peers.
 */
import { randomBytes } from 'node:crypto'
import { TypedEventEmitter, type PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ReliableMessage } from '../reliability/index.js'
import { Rendezvous } from '../discovery/rendezvous.js'
import { LostPeerRedialer } from '../discovery/lost-peer-redialer.js'
import type { RoomNames } from '../discovery/room-names.js'
import type { ChatNode } from '../node/create-node.js'
import { encodeChatMessage } from '../wire/index.js'
import { P2pchatError } from '../errors.js'
import type { BroadcastPath, PathHandler } from './broadcast-path.js'
import { PathSet } from './path-set.js'
import { toWireMessage } from './core-adapter.js'
import { DropCounter } from './drop-counter.js'
import { RoomDriver } from './driver.js'
import type { RoomReady } from './driver-types.js'
import { FaultyPath, type InboundFault } from './faulty-path.js'
import { ProbeService } from './probe-service.js'
import { GossipsubPath } from './gossipsub-path.js'
import { RainTreePath } from './raintree-path.js'
import { InboundGate } from './inbound-gate.js'
import { RepairService } from './repair-service.js'
import { roomStatus } from './room-status.js'
import { resolveRoomOptions, type RoomOptions } from './room-options.js'
import type { CensusResult, ChatLine, CommitteeView, RoomEventMap, RoomStatus, RosterEntry } from './types.js'
import { RoomCommittee, type GoverningAction } from './room-committee.js'
import { committeeView } from './committee-view.js'
import { DEFAULT_DECISION_TIMING } from './decisions.js'

export { validateNick } from './nick.js'
export { CLIENT_VERSION } from './driver-options.js'
export { DEFAULT_ROOM_OPTIONS, type RoomOptions } from './room-options.js'

/** How often `drainSent` looks whether every own line reached a peer (ms). */
const DRAIN_POLL_MS = 50

/** RoomEventMap as libp2p's TypedEventEmitter wants it: each detail wrapped in a CustomEvent. */
export type RoomEvents = { [K in keyof RoomEventMap]: CustomEvent<RoomEventMap[K]> }

/** One chat room on a node. */
export class Room extends TypedEventEmitter<RoomEvents> {
  readonly names: RoomNames
  readonly driver: RoomDriver
  readonly drops = new DropCounter()
  readonly gossipsub: GossipsubPath
  /** The RainTree path, when the room runs one (`paths`). */
  readonly raintree?: RainTreePath
  rendezvous?: Rendezvous
  /** Redials room peers whose connection dropped (absent with `redial: false`). */
  redialer?: LostPeerRedialer
  private readonly opts: RoomOptions
  private readonly paths: PathSet
  private readonly gate: InboundGate
  private readonly repair: RepairService
  private readonly probes: ProbeService
  private readonly committeeHost: RoomCommittee
  private readonly censusWaiters = new Map<string, (result: CensusResult) => void>()
  private restoredLines: ChatLine[] = []
  private timer?: NodeJS.Timeout
  private deadlineTimer?: ReturnType<typeof setTimeout>
  private deadlineAt = Number.POSITIVE_INFINITY
  private started = false

  constructor (private readonly node: ChatNode, privateKey: PrivateKey, names: RoomNames, options: Partial<RoomOptions> = {}) {
    super()
    this.opts = resolveRoomOptions(options)
    this.names = names
    const { nick, trustedPeers, channel, presence, outboundQueueCapacity, maxPullsInFlight, saveStateIntervalMs } = this.opts
    this.driver = new RoomDriver(node.peerId.toString(), names.topic, {
      nick, trustedPeers, channel, presence, outboundQueueCapacity, maxPullsInFlight, saveStateIntervalMs, persistent: this.opts.store !== undefined,
      decisions: { ...DEFAULT_DECISION_TIMING, ...this.opts.decisions },
      roomKey: names.key,
      random: bytes => new Uint8Array(randomBytes(bytes))
    })
    this.gossipsub = new GossipsubPath(node, names.topic, { publish: this.opts.paths !== 'raintree' })
    const faults = this.opts.inboundFaults
    const paths: BroadcastPath[] = [faults === undefined ? this.gossipsub : new FaultyPath(this.gossipsub, faults)]
    if (this.opts.paths !== 'gossipsub') {
      this.raintree = new RainTreePath(node, names.topic, privateKey, {
        members: () => [...this.gossipsub.peers(), ...this.driver.presence.roster(this.opts.now()).map(e => e.peerId)],
        now: this.opts.now
      }, this.opts.raintree)
      paths.push(faults === undefined ? this.raintree : new FaultyPath(this.raintree, faults))
    }
    this.paths = new PathSet(paths)
    this.gate = new InboundGate(names.topic, this.driver, this.drops, this.opts.now, this.opts.log)
    this.repair = new RepairService({
      node, privateKey, topic: names.topic, driver: this.driver, gate: this.gate, drops: this.drops, store: this.opts.store,
      pullTimeoutMs: this.opts.pullTimeoutMs, lossy: this.opts.repairFaults, now: this.opts.now, log: this.opts.log, flush: () => { this.flush() }
    })
    this.probes = new ProbeService({ node, driver: this.driver, drops: this.drops, lossy: this.opts.probeFaults, now: this.opts.now, flush: () => { this.flush() } })
    this.committeeHost = new RoomCommittee({
      node, privateKey, topic: names.topic, driver: this.driver, drops: this.drops, store: this.opts.store, consensus: this.opts.consensus,
      now: this.opts.now, log: this.opts.log, flush: () => { this.flush() }
    })
  }

  /** Peer ids marked trusted in this room. */
  get trustedPeers (): string[] { return this.opts.trustedPeers }
  /** The presence roster (ourselves first), with direct-connection flags. */
  who (): RosterEntry[] { return this.input(now => this.driver.who(now)) }
  /** Sets the presence status text and clears away. */
  setStatusText (text: string): void { this.input(now => { this.driver.setStatusText(text, now) }) }
  /** Toggles (or sets) away. */
  setAway (away?: boolean): boolean { return this.input(now => this.driver.setAway(away, now)) }
  /** Changes the nick carried by our next messages and our presence record. */
  setNick (nick: string): void { this.input(now => { this.driver.setNick(nick, now) }) }
  /** Sends a chat line (or a `/me` action). It is delivered to our own UI at once. */
  send (text: string, action = false): void { this.input(now => { this.driver.send(text, action, now) }) }
  /** The last `limit` chat lines in canonical order. */
  history (limit: number): ChatLine[] { return this.driver.history(limit, this.opts.now()) }
  /** The lines restored from disk when the room started, in canonical order (the last `limit`). */
  startupHistory (limit: number): ChatLine[] { return this.restoredLines.slice(-limit) }
  /** True when some broadcast path can send to the peer now. */
  canSendTo (peerId: string): boolean { return this.paths.canSendTo(peerId) }
  /** The committee and what it decided (`/committee`, `/pins`). */
  committee (): CommitteeView {
    return committeeView(this.driver, this.committeeHost, this.opts.now())
  }

  /**
   * Asks the committee to ban, unban, set the title, pin or unpin. Only a trusted peer of a
   * registry room may; resolves once the committee's leader took the command into its log (the
   * decision itself arrives as a `governance` event), rejects with a one-line INVALID_COMMAND
   * error otherwise.
   */
  async govern (action: GoverningAction): Promise<void> { await this.committeeHost.govern(action) }

  /** Drives time-based work now (the timers call it too). */
  tick (): void { this.input(now => { this.driver.tick(now); this.committeeHost.tick(now) }) }

  /** Estimates the room size by a probabilistic poll; resolves after the reply window. */
  async census (): Promise<CensusResult> {
    const started = this.input(now => this.driver.startCensus(now))
    if (!started.ok) {
      const wait = Math.max(1, Math.ceil((started.retryAt - this.opts.now()) / 1000))
      throw new P2pchatError('INVALID_COMMAND', `a census ran moments ago; try again in ${wait} s`)
    }
    return await new Promise<CensusResult>(resolve => { this.censusWaiters.set(started.pollId, resolve) })
  }

  /** Restores stored state, joins every path, starts repair, rendezvous, redialing and the timer. */
  async start (): Promise<void> {
    const store = this.opts.store
    if (store !== undefined) {
      const loaded = await store.loadRoom(this.names.topic, { messages: this.driver.channel.options.storeMaxMessages })
      for (const entry of loaded.entries) {
        if (entry.signed !== undefined) this.repair.remember(entry.message, { ...entry.signed, topic: this.names.topic })
      }
      this.restoredLines = this.driver.restore(loaded.restore, loaded.entries, this.opts.now())
    }
    this.started = true
    this.input(now => { this.driver.start(now) })
    await this.paths.start(this.handler)
    await this.repair.start()
    await this.probes.start()
    await this.committeeHost.start()
    if (this.opts.rendezvous !== false) {
      this.rendezvous = new Rendezvous(this.node, this.names.rendezvous, { log: this.opts.log, ...this.opts.rendezvous, roomPeerCount: () => this.driver.topicPeerCount })
      await this.rendezvous.start()
    }
    if (this.opts.redial !== false) {
      this.redialer = new LostPeerRedialer(this.node, {
        log: this.opts.log,
        onUnreachable: peerId => { if (this.started) this.input(now => { this.driver.unreachable(peerId, now) }) },
        ...this.opts.redial
      })
      this.redialer.start()
    }
    this.timer = setInterval(() => { this.tick() }, this.opts.tickIntervalMs)
  }

  /** Waits (at most `timeoutMs`) until every own message has reached at least one peer. */
  async drainSent (timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.driver.pendingCount() > 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, DRAIN_POLL_MS))
    }
  }

  /** Says goodbye, leaves every path and stops every loop. */
  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    clearInterval(this.timer)
    clearTimeout(this.deadlineTimer)
    this.rendezvous?.stop()
    this.redialer?.stop()
    const leave = this.driver.leave(this.opts.now())
    if (leave !== undefined) await this.announceLeave(leave)
    await this.paths.stop()
    await this.repair.stop()
    await this.probes.stop()
    await this.committeeHost.stop()
    if (this.opts.store !== undefined) {
      await this.opts.store.saveState(this.names.topic, this.driver.channel.snapshot({ messages: false, seen: false })).catch(() => {})
      await this.opts.store.flush().catch(() => {})
    }
  }

  /** Reliability and health counters. */
  status (): RoomStatus {
    return roomStatus({ name: this.names.name, driver: this.driver, drops: this.drops, pullsServed: this.repair.pullsServed, node: this.node, canSendTo: peer => this.paths.canSendTo(peer), now: this.opts.now() })
  }

  /** What the broadcast paths call back into. */
  private readonly handler: PathHandler = {
    check: (data, from) => this.gate.checkSigned(data, from),
    verify: async record => await this.gate.verify(record),
    deliver: ({ msg, record }) => {
      if (!this.started) return
      this.repair.remember(msg, record)
      this.raintree?.remember(msg.messageId, record)
      this.input(now => { this.driver.receive(msg, now) })
    },
    drop: reason => { this.drops.add(reason) },
    membership: () => { this.onMembership() },
    departed: peerId => { this.input(now => { this.driver.departed(peerId, now) }) }
  }

  private onMembership (): void {
    const peers = this.paths.peers()
    const connected = this.node.getConnections().map(c => c.remotePeer.toString())
    this.input(now => { this.driver.membership(peers, connected, now) })
    if (this.driver.topicPeerCount === 0) this.rendezvous?.hurry()
  }

  /** Runs one input against the driver with the current time, then carries out its output. */
  private input<T> (step: (now: number) => T): T {
    const result = step(this.opts.now())
    this.flush()
    return result
  }

  /** Carries out everything the driver produced, then arms the deadline timer. */
  private flush (): void {
    const ready = this.driver.ready()
    this.apply(ready)
    this.scheduleDeadline()
  }

  private apply (ready: RoomReady): void {
    const store = this.opts.store
    for (const reason of ready.drops) this.drops.add(reason)
    for (const line of ready.log) this.opts.log(line)
    for (const msg of ready.persistOwn) {
      store?.appendOwn(this.names.topic, msg).then(
        () => { this.opts.log(`stored own message ${msg.messageId}`); this.input(now => { this.driver.written(msg.messageId, true, now) }) },
        (err: Error) => { this.opts.log(`storing own message failed: ${err.message}`); this.input(now => { this.driver.written(msg.messageId, false, now) }) })
    }
    for (const msg of ready.persistDelivered) {
      store?.appendDelivered(this.names.topic, msg, this.repair.recordOf(msg)).catch((err: Error) => { this.opts.log(`storing a message failed: ${err.message}`) })
    }
    if (ready.saveState && store !== undefined) {
      store.saveState(this.names.topic, this.driver.channel.snapshot({ messages: false, seen: false })).catch((err: Error) => { this.opts.log(`saving state failed: ${err.message}`) })
    }
    for (const msg of ready.publish) this.publish(msg)
    if (this.started) for (const attempt of ready.pulls) this.repair.attempt(attempt)
    if (this.started) for (const probe of ready.probes) this.probes.run(probe)
    if (this.started) for (const { target, after } of ready.catchUps) this.committeeHost.catchUp(target, after)
    for (const peerId of ready.joined) this.redialer?.back(peerId)
    if (ready.joined.length > 0) this.committeeHost.joined(this.opts.now())
    for (const peerId of ready.left) if (this.node.getConnections().every(c => c.remotePeer.toString() !== peerId)) this.redialer?.lost(peerIdFromString(peerId))
    for (const peerId of ready.departed) this.redialer?.departed(peerId)
    for (const { pollId, result } of ready.censuses) {
      this.censusWaiters.get(pollId)?.(result)
      this.censusWaiters.delete(pollId)
    }
    for (const event of ready.events) this.safeDispatch(event.type, event.detail)
  }

  /** Publishes on every path; "sent" when any path reached a peer. */
  private publish (msg: ReliableMessage): void {
    const bytes = encodeChatMessage(toWireMessage(msg, this.node.peerId))
    void this.paths.publish(msg, bytes).then(({ reached, failed, errors }) => {
      for (const error of errors) this.opts.log(`publish failed: ${error}`)
      if (failed) this.driver.publishFailed(msg)
      else this.driver.published(msg, reached)
      this.flush()
    })
  }

  /** A clean quit: publish the leave record and give it a moment to drain (bounded: a quit never hangs). */
  private async announceLeave (msg: ReliableMessage): Promise<void> {
    const bytes = encodeChatMessage(toWireMessage(msg, this.node.peerId))
    await Promise.race([
      this.paths.publish(msg, bytes).then(async () => { await new Promise(resolve => setTimeout(resolve, this.opts.leaveFlushMs)) }),
      new Promise(resolve => setTimeout(resolve, this.opts.leaveTimeoutMs))
    ])
  }

  /** Ticks at the driver's next deadline when that comes before the periodic tick. */
  private scheduleDeadline (): void {
    if (!this.started) return
    const now = this.opts.now()
    const at = this.driver.nextDeadline()
    if (!(at > now && at < now + this.opts.tickIntervalMs && at < this.deadlineAt)) return
    clearTimeout(this.deadlineTimer)
    this.deadlineAt = at
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = undefined
      this.deadlineAt = Number.POSITIVE_INFINITY
      if (this.started) this.tick()
    }, at - now)
  }

  /** Listener errors (a UI bug) must not break the network path. */
  private safeDispatch<K extends keyof RoomEventMap> (type: K, detail: RoomEventMap[K]): void {
    try {
      this.safeDispatchEvent(type, { detail })
    } catch (err) {
      this.opts.log(`event listener for ${String(type)} failed: ${(err as Error).message}`)
    }
  }
}

export type { InboundFault }
