/**
 * A Room is one chat topic on a running node: the gossipsub subscription and
 * its validator, the DHT rendezvous that finds the room's peers, the
 * reliability channel between the topic and the UI, and the repair protocol
 * that fills gaps. It turns typed lines into messages and network input into
 * ChatLine events; the core decides what is delivered, and when.
 */

import { TypedEventEmitter } from '@libp2p/interface'
import { TopicValidatorResult, type Message, type SignedMessage, type SubscriptionChangeData } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { ReliableChannel, type ChannelEvent, type ChannelOptions, type PullRequest, type ReliableMessage } from '../reliability/index.js'
import { Rendezvous, type RendezvousOptions } from '../discovery/rendezvous.js'
import { LostPeerRedialer, type RedialOptions } from '../discovery/lost-peer-redialer.js'
import type { RoomNames } from '../discovery/room-names.js'
import type { ChatNode } from '../node/create-node.js'
import { hasOutboundStream, streamFollowerCounts } from '../node/gossipsub-restart.js'
import { decodeChatContent, encodeChatContent, encodeChatMessage, MAX_NICK_LENGTH, MAX_TEXT_LENGTH, type WireMessage } from '../wire/index.js'
import { P2pchatError } from '../errors.js'
import { BLAMELESS_REASONS, checkPayload } from './payload-check.js'
import { toCoreMessage, toWireMessage } from './core-adapter.js'
import { DropCounter } from './drop-counter.js'
import { OutboundQueue } from './outbound-queue.js'
import { classifyRepairFailure, handleRepair, pullFrom, type PullAsk } from './repair-protocol.js'
import { recordFromGossip, signRecord, verifyRecord, type SignedRecord } from './signed-record.js'
import { TopicPeers } from './topic-peers.js'
import { Presence, rosterChange, type PresenceEvent, type PresenceOptions } from '../presence/index.js'
import type { ChatStore } from '../store/index.js'
import type { CensusResult, ChatLine, InboundFault, OwnMessageState, RoomEventMap, RoomStatus, RosterEntry } from './types.js'

/** Options of a Room. */
export interface RoomOptions {
  /** Own nick. @default 'anon' */
  nick: string
  /** How often the channel is ticked (ms). @default 250 */
  tickIntervalMs: number
  /** Wall clock (ms). Injected so tests and the simulator can control it. @default Date.now */
  now: () => number
  /** Reliability parameters. */
  channel: Partial<ChannelOptions>
  /**
   * Fault injection between gossipsub and the core (tests and the simulator only): asked once per
   * topic message that passed validation, it may drop it, hand it to the core twice, or delay it.
   * @default undefined (no faults)
   */
  inboundFaults?: () => InboundFault
  /** Most own messages kept while no topic peer exists. @default 1000 */
  outboundQueueCapacity: number
  /** Timeout of one pull request (ms). @default 3000 */
  pullTimeoutMs: number
  /** Most pull requests in flight at once. @default 8 */
  maxPullsInFlight: number
  /** Redialing of room peers whose connection dropped, or false to not redial. */
  redial: Partial<RedialOptions> | false
  /** DHT rendezvous options, or false to not run the rendezvous loop. */
  rendezvous: Partial<RendezvousOptions> | false
  /** Peer ids whose lines carry a trusted mark (a registry room's `trustedPeers`). */
  trustedPeers: string[]
  /** Presence and census tuning. */
  presence: Partial<PresenceOptions>
  /** Where history and restart state persist; none keeps everything in memory only. */
  store?: ChatStore
  /** How often changed reliability state is saved (ms). @default 1000 */
  saveStateIntervalMs: number
  /** One-line diagnostics (goes to the log file, never stdout). */
  log: (line: string) => void
}

/** Defaults of RoomOptions. */
export const DEFAULT_ROOM_OPTIONS: RoomOptions = {
  nick: 'anon',
  tickIntervalMs: 250,
  now: () => Date.now(),
  channel: {},
  outboundQueueCapacity: 1000,
  pullTimeoutMs: 3000,
  maxPullsInFlight: 8,
  redial: {},
  rendezvous: {},
  trustedPeers: [],
  presence: {},
  saveStateIntervalMs: 1000,
  log: () => {}
}

/** Own-message states remembered for marks; settled ones beyond this are forgotten (they show as sent). */
const OWN_STATES_KEPT = 1000

/**
 * A peer joining the topic gets our history (a sync message) within this long (ms): after a
 * partition heals, that sync is how the other side learns what it missed, so it is short;
 * joins that arrive together still share one sync.
 */
const SYNC_ON_JOIN_MS = 200

/** Most pulls waiting for a free slot; past it the oldest is dropped (the core retries it after its backoff). */
const PULL_QUEUE_CAPACITY = 64

/** How long a clean quit lets its leave announcement drain before connections close (ms). */
const LEAVE_FLUSH_MS = 100

/** The client version string presence announces. */
export const CLIENT_VERSION = 'p2pchat/0.1.0'

/** Checks a nick: 1-32 printable characters without spaces. */
export function validateNick (nick: string): string {
  const trimmed = nick.trim()
  if (trimmed.length === 0 || trimmed.length > MAX_NICK_LENGTH || /[\s\p{Cc}]/u.test(trimmed)) {
    throw new P2pchatError('INVALID_COMMAND', `invalid nick "${nick.slice(0, 40)}": use 1-${MAX_NICK_LENGTH} printable characters without spaces`)
  }
  return trimmed
}

/** RoomEventMap as libp2p's TypedEventEmitter wants it: each detail wrapped in a CustomEvent. */
export type RoomEvents = { [K in keyof RoomEventMap]: CustomEvent<RoomEventMap[K]> }

/** One chat room on a node. */
export class Room extends TypedEventEmitter<RoomEvents> {
  readonly names: RoomNames
  readonly channel: ReliableChannel
  readonly drops = new DropCounter()
  readonly topicPeers: TopicPeers
  readonly presence: Presence
  rendezvous?: Rendezvous
  /** Redials room peers whose connection dropped (absent with `redial: false`). */
  redialer?: LostPeerRedialer
  private readonly opts: RoomOptions
  private readonly self: PeerId
  private readonly records = new WeakMap<ReliableMessage, SignedRecord>()
  /** Messages the validator accepted, converted for the core once. */
  private readonly checked = new WeakMap<Message, ReliableMessage>()
  private readonly ownStates = new Map<string, OwnMessageState>()
  private readonly peerNicks = new Map<string, string>()
  private readonly queue: OutboundQueue<{ msg: ReliableMessage, bytes: Uint8Array }>
  private readonly pullsInFlight = new Set<string>()
  /** Pulls waiting for one of the `maxPullsInFlight` slots, oldest first. */
  private pullQueue: PullRequest[] = []
  private unhandleRepair?: () => Promise<void>
  private timer?: NodeJS.Timeout
  private started = false
  /** Messages held back by `inboundFaults` (cleared on stop). */
  private readonly faultTimers = new Set<ReturnType<typeof setTimeout>>()
  /** A one-shot tick at the channel's next deadline when that comes before the periodic tick. */
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined
  private deadlineAt = Number.POSITIVE_INFINITY
  private nickValue: string
  private readonly censusWaiters = new Map<string, (result: CensusResult) => void>()
  private presenceDirty = false
  /** Own messages whose durable write has not finished: not published until it has. */
  private readonly unwritten = new Set<string>()
  private heldBack: ReliableMessage[] = []
  private readonly restoredLines: ChatLine[] = []
  private stateDirty = false
  private lastStateSave = 0
  pullsMade = 0
  pullsServed = 0

  constructor (private readonly node: ChatNode, private readonly privateKey: PrivateKey, names: RoomNames, options: Partial<RoomOptions> = {}) {
    super()
    this.opts = { ...DEFAULT_ROOM_OPTIONS, ...options }
    this.names = names
    this.self = node.peerId
    this.nickValue = validateNick(this.opts.nick)
    this.channel = new ReliableChannel(this.self.toString(), names.topic, this.opts.channel)
    this.topicPeers = new TopicPeers(node.services.pubsub, names.topic,
      peer => node.getConnections().every(c => c.remotePeer.toString() !== peer))
    this.presence = new Presence(this.self.toString(), { client: CLIENT_VERSION, ...this.opts.presence, nick: this.nickValue })
    this.queue = new OutboundQueue(this.opts.outboundQueueCapacity)
  }

  get nick (): string {
    return this.nickValue
  }

  /** Peer ids marked trusted in this room. */
  get trustedPeers (): string[] {
    return this.opts.trustedPeers
  }

  /** The presence roster (ourselves first), with direct-connection flags from the node. */
  who (): RosterEntry[] {
    return this.presence.roster(this.opts.now()).map(entry => entry.self
      ? entry
      : { ...entry, direct: this.node.getConnections(peerIdFromString(entry.peerId)).length > 0 })
  }

  /** Sets the presence status text and clears away. */
  setStatusText (text: string): void {
    if (text.length > 100) throw new P2pchatError('INVALID_COMMAND', 'status text is limited to 100 characters')
    this.presence.update({ status: text, away: false }, this.opts.now())
    this.pumpPresence()
  }

  /** Toggles (or sets) away. */
  setAway (away?: boolean): boolean {
    const now = this.opts.now()
    const next = away ?? !(this.presence.roster(now).find(e => e.self)?.away ?? false)
    this.presence.setAway(next, now)
    this.pumpPresence()
    return next
  }

  /** Estimates the room size by a probabilistic poll; resolves after the reply window. */
  async census (): Promise<CensusResult> {
    const started = this.presence.startCensus(this.opts.now())
    if (!started.ok) {
      const wait = Math.max(1, Math.ceil((started.retryAt - this.opts.now()) / 1000))
      throw new P2pchatError('INVALID_COMMAND', `a census ran moments ago; try again in ${wait} s`)
    }
    this.pumpPresence()
    return await new Promise<CensusResult>(resolve => {
      this.censusWaiters.set(started.pollId, resolve)
      const timer = setTimeout(() => {
        const result = this.presence.finishCensus(started.pollId, this.opts.now())
        if (result !== undefined) this.settleCensus(started.pollId, result)
        this.pumpPresence()
      }, Math.max(0, started.finishAt - this.opts.now()) + 50)
      timer.unref()
    })
  }

  private settleCensus (pollId: string, result: CensusResult): void {
    const resolve = this.censusWaiters.get(pollId)
    this.censusWaiters.delete(pollId)
    resolve?.(result)
  }

  /** Subscribes, starts the rendezvous, the repair server and the tick timer. */
  async start (): Promise<void> {
    await this.restore()
    this.channel.tick(this.opts.now()) // the channel's join time: messages older than this are "pre-join" history
    const pubsub = this.node.services.pubsub
    pubsub.topicValidators.set(this.names.topic, (_peer, msg) => this.validate(msg))
    pubsub.addEventListener('message', this.onMessage)
    pubsub.addEventListener('subscription-change', this.onSubscriptionChange)
    this.node.addEventListener('peer:disconnect', this.onDisconnect)
    pubsub.subscribe(this.names.topic)
    this.unhandleRepair = await handleRepair(this.node, async (ask, maxBytes) => await this.answerPull(ask, maxBytes),
      this.opts.pullTimeoutMs, n => { this.pullsServed += n }, reason => { this.drops.add(`repair-${reason}`) })
    if (this.opts.rendezvous !== false) {
      this.rendezvous = new Rendezvous(this.node, this.names.rendezvous, {
        log: this.opts.log, ...this.opts.rendezvous, roomPeerCount: () => this.topicPeers.size
      })
      await this.rendezvous.start()
    }
    if (this.opts.redial !== false) {
      this.redialer = new LostPeerRedialer(this.node, { log: this.opts.log, ...this.opts.redial })
      this.redialer.start()
    }
    this.presence.join(this.opts.now())
    this.pumpPresence()
    this.timer = setInterval(() => { this.tick() }, this.opts.tickIntervalMs)
    this.started = true
  }

  /** Loads this room's stored history and reliability state; replays the last lines as history. */
  private async restore (): Promise<void> {
    const store = this.opts.store
    if (store === undefined) return
    const loaded = await store.loadRoom(this.names.topic, { messages: this.channel.options.storeMaxMessages })
    for (const entry of loaded.entries) {
      if (entry.signed !== undefined) this.records.set(entry.message, { ...entry.signed, topic: this.names.topic })
    }
    this.channel.restore(loaded.restore, this.opts.now())
    for (const unacked of loaded.restore.unacked ?? []) this.ownStates.set(unacked.messageId, 'pending')
    const now = this.opts.now()
    for (const entry of loaded.entries) {
      const line = this.toChatLine(entry.message, now)
      if (line === undefined) continue
      if (!line.own) this.peerNicks.set(line.from, line.nick)
      this.restoredLines.push({ ...line, history: true, receivedAt: entry.storedAt })
    }
  }

  /** The lines restored from disk when the room started, in canonical order (the last `limit`). */
  startupHistory (limit: number): ChatLine[] {
    return this.restoredLines.slice(-limit)
  }

  /** Saves the reliability state when it changed (throttled), or now with `force`. */
  private saveState (force = false): void {
    const store = this.opts.store
    if (store === undefined || (!this.stateDirty && !force)) return
    const now = this.opts.now()
    if (!force && now - this.lastStateSave < this.opts.saveStateIntervalMs) return
    this.stateDirty = false
    this.lastStateSave = now
    store.saveState(this.names.topic, this.channel.snapshot({ messages: false, seen: false }))
      .catch((err: Error) => { this.opts.log(`saving state failed: ${err.message}`) })
  }

  /** Leaves the topic and stops every loop. */
  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    clearInterval(this.timer)
    clearTimeout(this.deadlineTimer)
    for (const timer of this.faultTimers) clearTimeout(timer)
    this.faultTimers.clear()
    this.pullQueue = []
    this.rendezvous?.stop()
    this.redialer?.stop()
    await this.announceLeave()
    const pubsub = this.node.services.pubsub
    pubsub.removeEventListener('message', this.onMessage)
    pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
    pubsub.topicValidators.delete(this.names.topic)
    try { pubsub.unsubscribe(this.names.topic) } catch {}
    await this.unhandleRepair?.().catch(() => {})
    this.saveState(true)
    await this.opts.store?.flush().catch(() => {})
  }

  /** Changes the nick carried by our next messages and our presence record. */
  setNick (nick: string): void {
    this.nickValue = validateNick(nick)
    this.presence.setNick(this.nickValue, this.opts.now())
    this.pumpPresence()
  }

  /** A clean quit: tell the room at once (best effort, bounded wait). */
  private async announceLeave (): Promise<void> {
    const bytes = this.presence.leave(this.opts.now())
    if (bytes === undefined || this.topicPeers.size === 0) return
    const msg = this.channel.sendEphemeral(bytes, this.opts.now())
    this.channel.drainOutgoing()
    const wire = encodeChatMessage(toWireMessage(msg, this.self))
    // Publishing only queues the bytes on each peer's stream; give them a moment to leave
    // before the caller closes the connections (bounded: a quit never hangs on this).
    await Promise.race([
      this.node.services.pubsub.publish(this.names.topic, wire)
        .then(async () => { await new Promise(resolve => setTimeout(resolve, LEAVE_FLUSH_MS)) })
        .catch(() => {}),
      new Promise(resolve => setTimeout(resolve, 500))
    ])
  }

  /** Turns presence output into ephemeral messages and presence events into room events. */
  private pumpPresence (): void {
    const now = this.opts.now()
    for (const bytes of this.presence.drainOutgoing()) this.channel.sendEphemeral(bytes, now)
    const events: PresenceEvent[] = this.presence.drainEvents()
    for (const e of events) {
      if (e.type === 'census') this.settleCensus(e.pollId, e.result)
      else if (e.type === 'dropped') this.drops.add(`presence-${e.reason}`)
      else if (e.type === 'roster:left' && e.reason === 'leave') this.redialer?.departed(e.entry.peerId)
    }
    const change = rosterChange(events)
    if (change.joined.length + change.left.length + change.changed.length > 0) this.safeDispatch('roster:change', change)
    this.pump()
  }

  /** Sends a chat line (or a `/me` action). It is delivered to our own UI at once. */
  send (text: string, action = false): void {
    if (text.length > MAX_TEXT_LENGTH) {
      throw new P2pchatError('INVALID_COMMAND', `line too long (${text.length} characters, at most ${MAX_TEXT_LENGTH})`)
    }
    const content = encodeChatContent({ nick: this.nickValue, text, action })
    const msg = this.channel.send(content, this.opts.now())
    this.ownStates.set(msg.messageId, 'pending')
    if (this.ownStates.size > OWN_STATES_KEPT) this.pruneOwnStates()
    const store = this.opts.store
    if (store !== undefined) {
      // Written durably before it can be published (and so before it shows as sent).
      this.unwritten.add(msg.messageId)
      store.appendOwn(this.names.topic, msg).then(() => {
        this.unwritten.delete(msg.messageId)
        this.opts.log(`stored own message ${msg.messageId}`)
        const ready = this.heldBack.filter(m => !this.unwritten.has(m.messageId))
        this.heldBack = this.heldBack.filter(m => this.unwritten.has(m.messageId))
        for (const m of ready) this.broadcast(m)
      }).catch((err: Error) => {
        this.drops.add('store-write-failed')
        this.safeDispatch('notice', { level: 'error', text: `could not save your message, so it was not sent: ${err.message}` })
      })
    }
    this.stateDirty = true
    this.pump()
  }

  /** The last `limit` chat lines in canonical order. */
  history (limit: number): ChatLine[] {
    const lines: ChatLine[] = []
    for (const msg of this.channel.history(limit)) {
      const line = this.toChatLine(msg, this.opts.now())
      if (line !== undefined) lines.push({ ...line, history: true })
    }
    return lines
  }

  /** How many own messages have not yet reached any peer. */
  pendingCount (): number {
    let n = 0
    for (const state of this.ownStates.values()) if (state === 'pending') n++
    return n
  }

  /** The last nick seen from a peer. */
  nickOf (peerId: string): string | undefined {
    return this.peerNicks.get(peerId)
  }

  /** Every nick seen in this room. */
  knownNicks (): string[] {
    return [...new Set([...this.peerNicks.values(), this.nickValue])]
  }

  /** Reliability and health counters. */
  status (): RoomStatus {
    const s = this.channel.status()
    const dropped: Record<string, number> = { ...this.drops.toJSON() }
    for (const [reason, n] of Object.entries(s.dropped)) if (n > 0 && reason !== 'own') dropped[reason] = (dropped[reason] ?? 0) + n
    if (this.queue.overflowed > 0) dropped['outbound-queue-full'] = this.queue.overflowed
    return {
      topic: this.names.name,
      peerId: this.self.toString(),
      topicPeers: this.topicPeers.size,
      connections: this.node.getConnections().length,
      lamport: s.lamport,
      unacknowledged: s.unacknowledged,
      buffered: s.buffered,
      missing: s.missing,
      lost: s.lost,
      pullsServed: this.pullsServed,
      pullsMade: this.pullsMade,
      noStream: this.topicPeers.list().filter(p => !this.canSendTo(p)).length,
      gossipStreams: streamFollowerCounts(this.node.services.pubsub),
      dropped
    }
  }

  /** True when gossipsub has a stream to `peerId` (a topic peer without one cannot receive our messages). */
  canSendTo (peerId: string): boolean {
    return hasOutboundStream(this.node.services.pubsub, peerId)
  }

  /** Drives time-based work: resends, pull retries, loss deadlines, sync messages. */
  tick (): void {
    const now = this.opts.now()
    this.channel.tick(now)
    this.presence.tick(now)
    this.pumpPresence()
    this.saveState()
  }

  // --- network input --------------------------------------------------------

  private validate (msg: Message): TopicValidatorResult {
    const signer = msg.type === 'signed' ? msg.from.toMultihash().bytes : undefined
    const result = checkPayload(this.names.topic, msg.data, signer)
    if (!result.ok) {
      this.drops.add(result.reason)
      this.opts.log(`dropped a message: ${result.reason}: ${result.detail}`)
      return BLAMELESS_REASONS.has(result.reason) ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
    }
    if (msg.type !== 'signed') return TopicValidatorResult.Reject // checkPayload refused it already
    // What the core would refuse (the id hash, a clock far ahead, history naming itself) is
    // refused here too, before gossipsub forwards it. The wall-clock skew is Ignore: the
    // forwarder's clock may be right. The converted message is kept for delivery.
    const core = toCoreMessage(result.wire, msg.from)
    const invalid = this.channel.check(core, this.opts.now())
    if (invalid !== undefined) {
      this.drops.add(invalid)
      this.opts.log(`dropped a message: ${invalid}`)
      return BLAMELESS_REASONS.has(invalid) ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
    }
    if (core.kind === 'ephemeral') {
      const verdict = this.presence.validate(core.content, core.senderId, this.opts.now())
      if (verdict.action !== 'accept') {
        return verdict.action === 'ignore' ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
      }
    }
    this.checked.set(msg, core)
    return TopicValidatorResult.Accept
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    if (msg.topic !== this.names.topic || msg.type !== 'signed') return
    const core = this.checked.get(msg)
    if (core === undefined) return
    const record = recordFromGossip(msg as SignedMessage)
    const fault = this.opts.inboundFaults?.()
    if (fault === undefined) {
      this.receive(core, record)
      return
    }
    if (fault.drop === true) {
      this.drops.add('injected-loss')
      return
    }
    const copies = fault.duplicate === true ? 2 : 1
    for (let i = 0; i < copies; i++) {
      if ((fault.delayMs ?? 0) <= 0) {
        this.receive(core, record)
        continue
      }
      const timer = setTimeout(() => {
        this.faultTimers.delete(timer)
        if (this.started) this.receive(core, record)
      }, fault.delayMs)
      this.faultTimers.add(timer)
    }
  }

  /** Hands a checked message to the core; `via` is the peer it was pulled from. */
  private receive (core: ReliableMessage, record: SignedRecord, via?: string): void {
    this.records.set(core, record)
    try {
      this.channel.receive(core, this.opts.now(), via)
    } catch (err) {
      this.drops.add('core-error')
      this.opts.log(`reliability core refused a message: ${(err as Error).message}`)
    }
    this.pump()
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const peerId = evt.detail.toString()
    if (this.topicPeers.drop(peerId)) {
      this.safeDispatch('peer:leave', { peerId, nick: this.peerNicks.get(peerId) })
      this.redialer?.lost(evt.detail)
    }
    this.onMembership()
  }

  /**
   * A peer's subscriptions changed. An unsubscribe from our topic over a live connection is
   * that peer's clean leave (a room switch or a quit), said on the same ordered stream as its
   * messages: the roster drops it at once, whether or not its presence leave record arrives.
   */
  private readonly onSubscriptionChange = (evt: CustomEvent<SubscriptionChangeData>): void => {
    const { peerId, subscriptions } = evt.detail
    if (subscriptions.some(s => s.topic === this.names.topic && !s.subscribe)) {
      this.presence.departed(peerId.toString(), this.opts.now())
      this.pumpPresence()
    }
    this.onMembership()
  }

  private readonly onMembership = (): void => {
    const { joined, left } = this.topicPeers.refresh()
    for (const peerId of joined) {
      this.redialer?.back(peerId)
      this.safeDispatch('peer:join', { peerId, nick: this.peerNicks.get(peerId) })
    }
    for (const peerId of left) this.safeDispatch('peer:leave', { peerId, nick: this.peerNicks.get(peerId) })
    if (joined.length > 0) {
      // The newcomer's first presence record went out before anyone knew it was subscribed,
      // and ours reached nobody in its room: announce within welcomeSpreadMs, both ends.
      this.presence.welcome(this.opts.now())
      this.flushQueue()
      // A newcomer (or a peer back from a restart or partition) learns our history at once.
      this.channel.syncSoon(this.opts.now(), SYNC_ON_JOIN_MS)
    }
    if (this.topicPeers.size === 0) this.rendezvous?.hurry()
  }

  // --- output ---------------------------------------------------------------

  /** Drains everything the channel produced: broadcasts, pulls and events. */
  private pump (): void {
    for (const msg of this.channel.drainOutgoing()) this.broadcast(msg)
    for (const pull of this.channel.drainPulls()) void this.runPull(pull)
    for (const event of this.channel.drainEvents()) this.onChannelEvent(event)
    if (this.presenceDirty) {
      this.presenceDirty = false
      this.pumpPresence()
    }
    this.scheduleDeadline()
  }

  /**
   * Ticks at the channel's next deadline (a pull falling due, a sync) when that is before the
   * periodic tick, so a pull waits `pullInitialDelayMs` and not up to one tick interval more.
   */
  private scheduleDeadline (): void {
    if (!this.started) return
    const now = this.opts.now()
    const at = this.channel.nextDeadline()
    if (!(at > now && at < now + this.opts.tickIntervalMs && at < this.deadlineAt)) return
    clearTimeout(this.deadlineTimer)
    this.deadlineAt = at
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = undefined
      this.deadlineAt = Number.POSITIVE_INFINITY
      if (this.started) this.tick()
    }, at - now)
  }

  private broadcast (msg: ReliableMessage): void {
    if (this.unwritten.has(msg.messageId)) {
      this.heldBack.push(msg)
      return
    }
    const bytes = encodeChatMessage(toWireMessage(msg, this.self))
    if (this.topicPeers.size === 0 && this.node.services.pubsub.getSubscribers(this.names.topic).length === 0) {
      if (msg.kind === 'content' && this.ownStates.get(msg.messageId) === 'pending') this.queue.push({ msg, bytes })
      return
    }
    this.publish(msg, bytes)
  }

  private publish (msg: ReliableMessage, bytes: Uint8Array): void {
    this.node.services.pubsub.publish(this.names.topic, bytes).then(result => {
      if (result.recipients.length > 0 && this.ownStates.get(msg.messageId) === 'pending') this.setState(msg.messageId, 'sent')
    }).catch((err: Error) => {
      if (msg.kind === 'content' && this.ownStates.get(msg.messageId) === 'pending') this.queue.push({ msg, bytes })
      this.opts.log(`publish failed: ${err.message}`)
    })
  }

  private flushQueue (): void {
    for (const { msg, bytes } of this.queue.takeAll()) this.publish(msg, bytes)
  }

  private setState (id: string, state: OwnMessageState): void {
    if (!this.ownStates.has(id) || this.ownStates.get(id) === state) return
    if (this.ownStates.get(id) === 'confirmed') return
    this.ownStates.set(id, state)
    this.safeDispatch('message:state', { id, state })
    if (this.ownStates.size > OWN_STATES_KEPT) this.pruneOwnStates()
  }

  /**
   * Forgets the oldest own-message states past `OWN_STATES_KEPT`, keeping memory bounded in a
   * long chat: any but pending ones (a forgotten state shows as sent; a pending one still waits
   * to be published).
   */
  private pruneOwnStates (): void {
    for (const [id, state] of this.ownStates) {
      if (this.ownStates.size <= OWN_STATES_KEPT) return
      if (state !== 'pending') this.ownStates.delete(id)
    }
  }

  private onChannelEvent (event: ChannelEvent): void {
    switch (event.type) {
      case 'in:delivered': {
        if (event.message.kind === 'ephemeral') {
          this.presence.receive(event.message.content, event.message.senderId, this.opts.now())
          this.presenceDirty = true
          return
        }
        if (event.message.kind !== 'content') return
        const line = this.toChatLine(event.message, this.opts.now())
        if (line === undefined) return
        if (event.outOfOrder) line.outOfOrder = true
        if (event.gapBefore !== undefined && event.gapBefore.length > 0) line.gapBefore = event.gapBefore
        if (!line.own) {
          this.peerNicks.set(line.from, line.nick)
          const record = this.records.get(event.message)
          this.opts.store?.appendDelivered(this.names.topic, event.message, record)
            .catch((err: Error) => { this.opts.log(`storing a message failed: ${err.message}`) })
        }
        this.stateDirty = true
        this.safeDispatch('message', line)
        return
      }
      case 'out:acknowledged':
        this.setState(event.id, 'confirmed')
        this.stateDirty = true
        return
      case 'out:not-confirmed':
        this.setState(event.id, 'not-confirmed')
        return
      case 'in:lost':
        this.opts.log(`declared lost: ${event.ids.join(', ')}`)
        return
      default:
    }
  }

  private toChatLine (msg: ReliableMessage, now: number): ChatLine | undefined {
    const content = decodeChatContent(msg.content)
    if (!content.ok) return undefined
    const own = msg.senderId === this.self.toString()
    const line: ChatLine = {
      id: msg.messageId,
      from: msg.senderId,
      nick: content.value.nick,
      text: content.value.text,
      action: content.value.action,
      lamport: msg.lamport,
      receivedAt: now,
      own
    }
    if (own) line.state = this.ownStates.get(msg.messageId) ?? 'sent'
    if (this.opts.trustedPeers.includes(msg.senderId)) line.trusted = true
    return line
  }

  /** Listener errors (a UI bug) must not break the network path. */
  private safeDispatch<K extends keyof RoomEventMap> (type: K, detail: RoomEventMap[K]): void {
    try {
      this.safeDispatchEvent(type, { detail })
    } catch (err) {
      this.opts.log(`event listener for ${String(type)} failed: ${(err as Error).message}`)
    }
  }

  // --- repair ----------------------------------------------------------------

  private async runPull (pull: PullRequest): Promise<void> {
    const key = pull.messageIds.join(',')
    if (this.pullsInFlight.has(key)) return
    if (this.pullsInFlight.size >= this.opts.maxPullsInFlight) {
      // Queued, not dropped: a dropped pull would wait for the core's backoff (0.5 s, 1 s, 2 s, …)
      // to come round again, which after a partition heals turns a burst of pulls into seconds.
      if (!this.pullQueue.some(p => p.messageIds.join(',') === key)) this.pullQueue.push(pull)
      if (this.pullQueue.length > PULL_QUEUE_CAPACITY) this.pullQueue.shift() // the core retries it later
      return
    }
    this.pullsInFlight.add(key)
    try {
      const ordered = [...new Set([...(pull.peer !== undefined ? [pull.peer] : []), ...pull.candidates, ...this.topicPeers.list()])]
        .filter(p => p !== this.self.toString())
      // Connected candidates first, each group in the planner's order: a dial costs a handshake
      // and, right after a partition heals, waits behind everyone else's reconnection.
      const connected = new Set(this.node.getConnections().map(c => c.remotePeer.toString()))
      const targets = [...ordered.filter(p => connected.has(p)), ...ordered.filter(p => !connected.has(p))]
      for (const target of targets.slice(0, 4)) {
        let peer: PeerId
        try { peer = peerIdFromString(target) } catch { continue }
        try {
          this.pullsMade++
          const ask: PullAsk = {
            channelId: this.names.topic,
            ids: pull.messageIds,
            maxAncestors: pull.maxAncestors ?? 0,
            ...(pull.have !== undefined ? { have: pull.have } : {}),
            ...(pull.minLamport !== undefined ? { minLamport: pull.minLamport } : {})
          }
          const records = await pullFrom(this.node, peer, ask, this.opts.pullTimeoutMs)
          if (records.length === 0) continue
          await this.receivePulled(records, target)
          // What the pulled messages name is old, not in flight: pull it now rather than at the next tick.
          if (this.started) {
            this.channel.tick(this.opts.now())
            this.pump()
          }
          return
        } catch (err) {
          // A garbled answer is the answering peer's fault, counted; a timeout or a dial failure is the network's.
          const failure = classifyRepairFailure(err)
          if (failure.startsWith('malformed') || failure === 'oversized-frame') this.drops.add(`repair-${failure}`)
          this.opts.log(`pull from ${target} failed: ${(err as Error).message}`)
        }
      }
    } finally {
      this.pullsInFlight.delete(key)
      this.startQueuedPull()
    }
  }

  /** Starts the oldest queued pull, less the ids that arrived while it waited. */
  private startQueuedPull (): void {
    while (this.started && this.pullQueue.length > 0) {
      const next = this.pullQueue.shift() as PullRequest
      const messageIds = next.messageIds.filter(id => !this.channel.hasReceived(id, 'content'))
      if (messageIds.length === 0) continue
      void this.runPull({ ...next, messageIds })
      return
    }
  }

  /**
   * Checks the records of one pull answer and hands them to the core in the order they came.
   * Copies the core already received are dropped as duplicates before their signature is
   * verified; the others are verified concurrently.
   */
  private async receivePulled (records: SignedRecord[], via: string): Promise<void> {
    const checked = await Promise.all(records.map(async record => await this.checkPulled(record)))
    if (!this.started) return
    for (const item of checked) {
      if (item !== undefined) this.receive(toCoreMessage(item.wire, item.from), item.record, via)
    }
  }

  private async checkPulled (record: SignedRecord): Promise<{ wire: WireMessage, from: PeerId, record: SignedRecord } | undefined> {
    if (record.topic !== this.names.topic) { this.drops.add('wrong-channel'); return undefined }
    const result = checkPayload(this.names.topic, record.data, record.from)
    if (!result.ok) { this.drops.add(result.reason); return undefined }
    if (this.channel.hasReceived(result.wire.messageId, result.wire.kind)) { this.drops.add('duplicate'); return undefined }
    const verified = await verifyRecord(record)
    if (!verified.ok) { this.drops.add('bad-signature'); this.opts.log(`pulled ${verified.detail}`); return undefined }
    return { wire: result.wire, from: verified.from, record }
  }

  private async answerPull (ask: PullAsk, maxBytes: number): Promise<SignedRecord[]> {
    const { channelId, ids } = ask
    if (channelId !== this.names.topic) return []
    const out: SignedRecord[] = []
    let bytes = 0
    const inMemory = this.channel.answerPull(ids, { maxAncestors: ask.maxAncestors, have: ask.have, minLamport: ask.minLamport })
    const found = new Set(inMemory.map(m => m.messageId))
    const missing = ids.filter(id => !found.has(id))
    const fromDisk = missing.length > 0 && this.opts.store !== undefined
      ? (await this.opts.store.getMessages(this.names.topic, missing).catch(() => [])).map(entry => {
          if (entry.signed !== undefined && !this.records.has(entry.message)) this.records.set(entry.message, { ...entry.signed, topic: this.names.topic })
          return entry.message
        })
      : []
    for (const msg of [...inMemory, ...fromDisk]) {
      const record = this.records.get(msg) ?? await this.signOwn(msg)
      if (record === undefined) continue
      bytes += record.data.byteLength + record.signature.byteLength + record.from.byteLength + 32
      if (bytes > maxBytes) break
      out.push(record)
    }
    return out
  }

  private async signOwn (msg: ReliableMessage): Promise<SignedRecord | undefined> {
    if (msg.senderId !== this.self.toString()) return undefined
    const seqno = new Uint8Array(8)
    new DataView(seqno.buffer).setBigUint64(0, BigInt(msg.lamport), false)
    const record = await signRecord(this.privateKey, this.self, this.names.topic, encodeChatMessage(toWireMessage(msg, this.self)), seqno)
    this.records.set(msg, record)
    return record
  }
}
