/**
 * The pure room driver: one chat room's logic with no timers, sockets, promises or
 * clock inside (etcd-io/raft's shape, one level above the cores). It owns the
 * reliability channel, the presence roster, own-message states, the pull scheduler
 * and the write-before-publish rule. Inputs are method calls with `now`; output
 * collects until `ready()` hands it over as one `RoomReady` batch. The live `Room`
 * shell and the model simulator both run it.
 */
import { ReliableChannel, type ChannelEvent, type RestoreInput, type ReliableMessage } from '../reliability/index.js'
import { Presence, rosterChange, type CensusResult, type RosterEntry, type StartCensusResult } from '../presence/index.js'
import { encodeChatContent, MAX_TEXT_LENGTH } from '../wire/index.js'
import { P2pchatError } from '../errors.js'
import { CLIENT_VERSION, resolveDriverOptions, type DriverOptions } from './driver-options.js'
import { emptyReady, type PullAsk, type RoomOutput, type RoomReady } from './driver-types.js'
import { toChatLine } from './chat-lines.js'
import { OutboundQueue } from './outbound-queue.js'
import { OwnStates } from './own-states.js'
import { PullScheduler } from './pull-scheduler.js'
import { validateNick } from './nick.js'
import type { ChatLine, RoomEventMap } from './types.js'

/**
 * A verdict on an inbound copy before a path forwards it. `reason` names a drop the host
 * counts; presence counts its own drops, so its verdicts carry none.
 */
export type InboundVerdict = { action: 'accept' } | { action: 'ignore' | 'reject', reason?: string }

/** Drop reasons a path ignores rather than rejects: the forwarder may not be at fault. */
const BLAMELESS = new Set(['unsupported-kind', 'clock-skew'])

/** One chat room's pure logic. */
export class RoomDriver {
  readonly channel: ReliableChannel
  readonly presence: Presence
  readonly options: Readonly<DriverOptions>
  private nickValue: string
  private out: RoomReady = emptyReady()
  private readonly own: OwnStates
  private readonly pulls: PullScheduler
  private readonly queue: OutboundQueue<ReliableMessage>
  private readonly peerNicks = new Map<string, string>()
  private readonly topicPeers = new Set<string>()
  private readonly connectedPeers = new Set<string>()
  /** Own messages whose durable write has not finished: not published until it has. */
  private readonly unwritten = new Set<string>()
  private heldBack: ReliableMessage[] = []
  private readonly censusDue = new Map<string, number>()
  private stateDirty = false
  private lastStateSave = Number.NEGATIVE_INFINITY

  constructor (readonly selfId: string, readonly topic: string, options: Partial<DriverOptions> = {}) {
    this.options = resolveDriverOptions(options)
    this.nickValue = validateNick(this.options.nick)
    this.channel = new ReliableChannel(selfId, topic, this.options.channel)
    this.presence = new Presence(selfId, { client: CLIENT_VERSION, ...this.options.presence, nick: this.nickValue })
    this.own = new OwnStates(this.options.ownStatesKept)
    this.queue = new OutboundQueue(this.options.outboundQueueCapacity)
    this.pulls = new PullScheduler({
      selfId,
      channelId: topic,
      topicPeers: () => this.topicPeers,
      connected: peer => this.connectedPeers.has(peer),
      received: id => this.channel.hasReceived(id, 'content')
    }, this.options.maxPullsInFlight, this.options.pullQueueCapacity, this.options.pullTargets)
  }

  get nick (): string { return this.nickValue }

  /** Restores stored state and history before `start`; returns the history as lines. */
  restore (input: RestoreInput, entries: ReadonlyArray<{ message: ReliableMessage, storedAt: number }>, now: number): ChatLine[] {
    this.channel.restore(input, now)
    for (const unacked of input.unacked ?? []) this.own.add(unacked.messageId)
    const lines: ChatLine[] = []
    for (const entry of entries) {
      const line = this.line(entry.message, now)
      if (line === undefined) continue
      if (!line.own) this.peerNicks.set(line.from, line.nick)
      lines.push({ ...line, history: true, receivedAt: entry.storedAt })
    }
    return lines
  }

  /** Joins: the channel's join time (older messages are pre-join history) and our first presence record. */
  start (now: number): void {
    this.channel.tick(now)
    if (this.options.announcePresence) this.presence.join(now)
    this.pump(now)
  }

  /** A clean quit: the presence leave record to publish at once (undefined when nobody would hear it). */
  leave (now: number): ReliableMessage | undefined {
    this.pulls.clear()
    const bytes = this.presence.leave(now)
    if (bytes === undefined || this.topicPeers.size === 0) return undefined
    const msg = this.channel.sendEphemeral(bytes, now)
    this.channel.drainOutgoing()
    return msg
  }

  /** Sends a chat line (or a `/me` action); it is delivered to our own UI at once. Returns the message. */
  send (text: string, action: boolean, now: number): ReliableMessage {
    if (text.length > MAX_TEXT_LENGTH) {
      throw new P2pchatError('INVALID_COMMAND', `line too long (${text.length} characters, at most ${MAX_TEXT_LENGTH})`)
    }
    const msg = this.channel.send(encodeChatContent({ nick: this.nickValue, text, action }), now)
    this.own.add(msg.messageId)
    if (this.options.persistent) {
      // Written durably before it can be published (and so before it shows as sent).
      this.unwritten.add(msg.messageId)
      this.out.persistOwn.push(msg)
    }
    this.stateDirty = true
    this.pump(now)
    return msg
  }

  /** The durable write of an own message finished (`ok`) or failed (it is then never sent). */
  written (id: string, ok: boolean, now: number): void {
    if (!ok) {
      this.out.drops.push('store-write-failed')
      this.emit('notice', { level: 'error', text: 'could not save your message, so it was not sent' })
      return
    }
    this.unwritten.delete(id)
    const ready = this.heldBack.filter(m => !this.unwritten.has(m.messageId))
    this.heldBack = this.heldBack.filter(m => this.unwritten.has(m.messageId))
    for (const m of ready) this.broadcast(m)
    this.pump(now)
  }

  /** Checks an inbound copy before its path forwards it (the core's checks and presence's). */
  check (msg: ReliableMessage, now: number): InboundVerdict {
    const invalid = this.channel.check(msg, now)
    if (invalid !== undefined) return { action: BLAMELESS.has(invalid) ? 'ignore' : 'reject', reason: invalid }
    if (msg.kind !== 'ephemeral') return { action: 'accept' }
    const verdict = this.presence.validate(msg.content, msg.senderId, now)
    return verdict.action === 'accept' ? { action: 'accept' } : { action: verdict.action }
  }

  /** True when the core already has this message (a later copy is a duplicate). */
  hasReceived (id: string, kind: ReliableMessage['kind']): boolean {
    return this.channel.hasReceived(id, kind)
  }

  /** A checked message from any path; `via` is the peer it was pulled from. */
  receive (msg: ReliableMessage, now: number, via?: string): void {
    try {
      this.channel.receive(msg, now, via)
    } catch (err) {
      this.out.drops.push('core-error')
      this.out.log.push(`reliability core refused a message: ${(err as Error).message}`)
    }
    this.pump(now)
  }

  /** A pull attempt was answered with these checked messages (none: the next peer is asked). */
  pullAnswered (pullId: number, messages: ReliableMessage[], from: string, now: number): void {
    for (const msg of messages) this.receive(msg, now, from)
    this.pulls.answered(pullId, messages.length > 0, this.out.pulls)
    // What the pulled messages name is old, not in flight: pull it now rather than at the next tick.
    if (messages.length > 0) this.channel.tick(now)
    this.pump(now)
  }

  /** A pull attempt failed (timeout, dial failure, garbled answer): the next peer is asked. */
  pullFailed (pullId: number, now: number): void {
    this.pulls.failed(pullId, this.out.pulls)
    this.pump(now)
  }

  /** What we hold of a pull's ids in memory; the host adds the `missing` ones from disk. */
  answerPull (ask: PullAsk): { messages: ReliableMessage[], missing: string[] } {
    if (ask.channelId !== this.topic) return { messages: [], missing: [] }
    const messages = this.channel.answerPull(ask.ids, { maxAncestors: ask.maxAncestors, have: ask.have, minLamport: ask.minLamport })
    const found = new Set(messages.map(m => m.messageId))
    return { messages, missing: ask.ids.filter(id => !found.has(id)) }
  }

  /**
   * The peers of the room (the union over broadcast paths) and the peers we hold a connection to.
   * Joins and leaves become events; a newcomer gets our presence and history soon, and queued
   * own messages go out.
   */
  membership (topicPeers: Iterable<string>, connected: Iterable<string>, now: number): void {
    const next = new Set(topicPeers)
    next.delete(this.selfId)
    this.connectedPeers.clear()
    for (const peer of connected) this.connectedPeers.add(peer)
    const joined = [...next].filter(p => !this.topicPeers.has(p))
    const left = [...this.topicPeers].filter(p => !next.has(p))
    for (const peerId of joined) { this.topicPeers.add(peerId); this.emit('peer:join', { peerId, nick: this.peerNicks.get(peerId) }) }
    for (const peerId of left) { this.topicPeers.delete(peerId); this.emit('peer:leave', { peerId, nick: this.peerNicks.get(peerId) }) }
    this.out.joined.push(...joined)
    this.out.left.push(...left)
    if (joined.length > 0) {
      // The newcomer's first presence record went out before anyone knew it was subscribed,
      // and ours reached nobody in its room: announce within welcomeSpreadMs, both ends.
      if (this.options.announcePresence) this.presence.welcome(now)
      for (const msg of this.queue.takeAll()) this.out.publish.push(msg)
      // A newcomer (or a peer back from a restart or partition) learns our history at once.
      this.channel.syncSoon(now, this.options.syncOnJoinMs)
    }
    this.pump(now)
  }

  /** A peer said it left (an unsubscribe over a live connection): the roster drops it at once. */
  departed (peerId: string, now: number): void {
    this.presence.departed(peerId, now)
    this.pump(now)
  }

  /** True when the peer is in the topic. */
  isTopicPeer (peerId: string): boolean { return this.topicPeers.has(peerId) }

  /** Number of peers in the topic. */
  get topicPeerCount (): number { return this.topicPeers.size }

  /** Topic peers. */
  peers (): string[] { return [...this.topicPeers] }

  /** A publish reached `recipients` peers over all paths (0: nobody, so it stays pending). */
  published (msg: ReliableMessage, recipients: number): void {
    if (recipients > 0 && this.own.get(msg.messageId) === 'pending') this.setState(msg.messageId, 'sent')
  }

  /** A publish failed on every path: an own pending line waits for the next peer. */
  publishFailed (msg: ReliableMessage): void {
    if (msg.kind === 'content' && this.own.get(msg.messageId) === 'pending') this.queue.push(msg)
  }

  /** Changes the nick carried by our next messages and our presence record. */
  setNick (nick: string, now: number): void {
    this.nickValue = validateNick(nick)
    this.presence.setNick(this.nickValue, now)
    this.pump(now)
  }

  /** Sets the presence status text and clears away. */
  setStatusText (text: string, now: number): void {
    if (text.length > 100) throw new P2pchatError('INVALID_COMMAND', 'status text is limited to 100 characters')
    this.presence.update({ status: text, away: false }, now)
    this.pump(now)
  }

  /** Toggles (or sets) away; returns the new value. */
  setAway (away: boolean | undefined, now: number): boolean {
    const next = away ?? !(this.presence.roster(now).find(e => e.self)?.away ?? false)
    this.presence.setAway(next, now)
    this.pump(now)
    return next
  }

  /** Starts a census; its result comes out in `censuses` once its window and grace have passed. */
  startCensus (now: number): StartCensusResult {
    const started = this.presence.startCensus(now)
    if (started.ok) this.censusDue.set(started.pollId, started.finishAt + this.options.censusGraceMs)
    this.pump(now)
    return started
  }

  /** Drives time: resends, pull retries, loss deadlines, syncs, presence, censuses, state saves. */
  tick (now: number): void {
    this.channel.tick(now)
    this.presence.tick(now)
    for (const [pollId, at] of this.censusDue) {
      if (at > now) continue
      const result = this.presence.finishCensus(pollId, now)
      if (result !== undefined) this.settleCensus(pollId, result)
      this.censusDue.delete(pollId)
    }
    if (this.stateDirty && now - this.lastStateSave >= this.options.saveStateIntervalMs) {
      this.stateDirty = false
      this.lastStateSave = now
      this.out.saveState = true
    }
    this.pump(now)
  }

  /** Earliest `now` at which `tick` has work (Infinity when idle). */
  nextDeadline (): number {
    return Math.min(this.channel.nextDeadline(), this.presence.nextDeadline(), ...this.censusDue.values())
  }

  /** Everything produced since the last call. */
  ready (): RoomReady {
    const out = this.out
    this.out = emptyReady()
    return out
  }

  /** The presence roster (ourselves first); `direct` comes from our connections. */
  who (now: number): RosterEntry[] {
    return this.presence.roster(now).map(entry => entry.self ? entry : { ...entry, direct: this.connectedPeers.has(entry.peerId) })
  }

  /** The last `limit` chat lines in canonical order. */
  history (limit: number, now: number): ChatLine[] {
    return this.channel.history(limit).flatMap(msg => { const line = this.line(msg, now); return line === undefined ? [] : [{ ...line, history: true }] })
  }

  /** Own messages not yet on any peer. */
  pendingCount (): number { return this.own.pendingCount() }

  /** The last nick seen from a peer. */
  nickOf (peerId: string): string | undefined { return this.peerNicks.get(peerId) }

  /** Every nick seen in this room, ours included. */
  knownNicks (): string[] { return [...new Set([...this.peerNicks.values(), this.nickValue])] }

  /** Pull attempts made, pulls in flight and queued, and own lines waiting for a peer. */
  counters (): { pullsMade: number, pullsActive: number, pullsQueued: number, pullQueueOverflowed: number, outboundQueued: number, outboundOverflowed: number } {
    return { pullsMade: this.pulls.attempts, pullsActive: this.pulls.active, pullsQueued: this.pulls.queued, pullQueueOverflowed: this.pulls.overflowed, outboundQueued: this.queue.size, outboundOverflowed: this.queue.overflowed }
  }

  private broadcast (msg: ReliableMessage): void {
    if (this.unwritten.has(msg.messageId)) { this.heldBack.push(msg); return }
    if (this.topicPeers.size === 0) {
      if (msg.kind === 'content' && this.own.get(msg.messageId) === 'pending') this.queue.push(msg)
      return
    }
    this.out.publish.push(msg)
  }

  /** Moves everything the cores produced into the output. */
  private pump (now: number): void {
    for (let round = 0; round < 8; round++) {
      for (const bytes of this.presence.drainOutgoing()) this.channel.sendEphemeral(bytes, now)
      const presenceEvents = this.presence.drainEvents()
      for (const e of presenceEvents) {
        if (e.type === 'census') this.settleCensus(e.pollId, e.result)
        else if (e.type === 'dropped') this.out.drops.push(`presence-${e.reason}`)
        else if (e.type === 'roster:left' && e.reason === 'leave') this.out.departed.push(e.entry.peerId)
      }
      const change = rosterChange(presenceEvents)
      if (change.joined.length + change.left.length + change.changed.length > 0) this.emit('roster:change', change)
      for (const msg of this.channel.drainOutgoing()) this.broadcast(msg)
      for (const pull of this.channel.drainPulls()) this.pulls.request(pull, this.out.pulls)
      const events = this.channel.drainEvents()
      for (const event of events) this.onChannelEvent(event, now)
      this.out.channelEvents.push(...events)
      if (events.length === 0) return
    }
  }

  private onChannelEvent (event: ChannelEvent, now: number): void {
    switch (event.type) {
      case 'in:delivered': {
        const msg = event.message
        if (msg.kind === 'ephemeral') { this.presence.receive(msg.content, msg.senderId, now); return }
        if (msg.kind !== 'content') return
        const line = this.line(msg, now)
        if (line === undefined) return
        if (event.outOfOrder) line.outOfOrder = true
        if (event.gapBefore !== undefined && event.gapBefore.length > 0) line.gapBefore = event.gapBefore
        if (!line.own) {
          this.peerNicks.set(line.from, line.nick)
          this.out.persistDelivered.push(msg)
        }
        this.stateDirty = true
        this.emit('message', line)
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
        this.out.log.push(`declared lost: ${event.ids.join(', ')}`)
        return
      default:
    }
  }

  private setState (id: string, state: 'sent' | 'confirmed' | 'not-confirmed'): void {
    if (this.own.set(id, state)) this.emit('message:state', { id, state })
  }

  private settleCensus (pollId: string, result: CensusResult): void {
    this.censusDue.delete(pollId)
    this.out.censuses.push({ pollId, result })
  }

  private line (msg: ReliableMessage, now: number): ChatLine | undefined {
    return toChatLine(msg, now, { selfId: this.selfId, trustedPeers: this.options.trustedPeers, ownState: id => this.own.get(id) })
  }

  private emit<K extends keyof RoomEventMap> (type: K, detail: RoomEventMap[K]): void {
    this.out.events.push({ type, detail } as RoomOutput)
  }
}
