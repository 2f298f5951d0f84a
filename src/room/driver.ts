/**
 * The pure room driver: one chat room's logic with no timers, sockets, promises or
 * clock inside (etcd-io/raft's shape, one level above the cores). It owns the
 * reliability channel, the presence roster, own-message states, the pull scheduler
 * and the write-before-publish rule. Inputs are method calls with `now`; output
 * collects until `ready()` hands it over as one `RoomReady` batch. The live `Room`
 * shell and the model simulator both run it.
 */
import { ReliableChannel, type RestoreInput, type ReliableMessage } from '../reliability/index.js'
import type { Presence, Prober, ProbeOutcome, RosterEntry, StartCensusResult } from '../presence/index.js'
import { encodeChatContent, MAX_TEXT_LENGTH } from '../wire/index.js'
import { P2pchatError } from '../errors.js'
import { CLIENT_VERSION, resolveDriverOptions, type DriverOptions } from './driver-options.js'
import { emptyReady, type DriverCounters, type PullAsk, type RoomOutput, type RoomReady } from './driver-types.js'
import { Inbox } from './inbox.js'
import { Outbox } from './outbox.js'
import { PullScheduler } from './pull-scheduler.js'
import { Membership } from './membership.js'
import { RoomPresence } from './room-presence.js'
import { validateNick } from './nick.js'
import type { ChatLine, RoomEventMap } from './types.js'
import type { CertifiedBatch } from '../consensus/index.js'
import { decisionOf, encodeDecision } from './decision-codec.js'
import { Decisions } from './decisions.js'
import { RoomGovernance } from './room-governance.js'
import { RoomSealer } from './room-sealer.js'
import { isSealedTopic, roomSecrets } from '../private/index.js'
import type { ContentSource } from '../reliability/index.js'

/** Lost links remembered at once (the oldest are forgotten). */
const LOST_LINKS_KEPT = 1_000

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
  private readonly roomPresence: RoomPresence
  readonly options: Readonly<DriverOptions>
  private nickValue: string
  private out: RoomReady = emptyReady()
  private readonly outbox: Outbox
  private readonly pulls: PullScheduler
  private readonly inbox: Inbox
  private readonly members: Membership
  /** The committee's certified decisions: bans, title, pins, finality. */
  readonly decisions: Decisions
  /** Peers that joined the topic and are not yet announced: when the wait for their nick ends. */
  private readonly pendingJoins = new Map<string, number>()
  /** Topic peers whose connection dropped without a clean leave: since when (until back, or found unreachable). */
  private readonly lostLinks = new Map<string, number>()
  private stateDirty = false
  private lastStateSave = Number.NEGATIVE_INFINITY
  /** A private room's sealing (undefined for a room anyone may read). */
  private readonly sealer: RoomSealer | undefined
  /** A private room's topic: its content is sealed, whether or not we hold the key. */
  readonly sealedTopic: boolean
  private toldUnreadable = false

  constructor (readonly selfId: string, readonly topic: string, options: Partial<DriverOptions> = {}) {
    this.options = resolveDriverOptions(options)
    this.nickValue = validateNick(this.options.nick)
    if (this.options.roomKey !== undefined) {
      const secrets = roomSecrets(this.options.roomKey)
      if (secrets.topic !== topic) throw new P2pchatError('INVALID_OPTION', 'roomKey is not the key of this topic')
      this.sealer = new RoomSealer(secrets, this.options.random)
    }
    this.sealedTopic = isSealedTopic(topic)
    this.channel = new ReliableChannel(selfId, topic, this.options.channel)
    this.roomPresence = new RoomPresence(selfId, {
      client: CLIENT_VERSION,
      // A claim that a peer we hold a connection to is gone is ignored: we know better.
      connectedTo: peer => this.members.connected(peer),
      ...this.options.presence,
      nick: this.nickValue
    }, this.options.announcePresence, this.options.censusGraceMs, this.options.probing)
    this.outbox = new Outbox(this.options.ownStatesKept, this.options.outboundQueueCapacity)
    this.members = new Membership(selfId)
    this.decisions = new Decisions(new RoomGovernance({ topic, trustedPeers: this.options.trustedPeers, check: this.options.signatureCheck }), {
      selfId,
      channel: this.channel,
      timing: this.options.decisions,
      peers: () => { const all = [...this.members.peers()]; return [...all.filter(p => this.members.connected(p)), ...all.filter(p => !this.members.connected(p))] },
      nickFor: peer => peer === selfId ? this.nickValue : this.nickFor(peer, Number.NEGATIVE_INFINITY),
      lineOf: id => { const msg = this.channel.history().find(m => m.messageId === id); return msg === undefined ? undefined : this.inbox.line(msg, msg.lamport) },
      out: () => this.out
    })
    this.inbox = new Inbox(selfId, this.options.trustedPeers, this.outbox, this.roomPresence.core, () => this.decisions.finalLamport, msg => this.decisions.lateArrival(msg), msg => this.readable(msg))
    this.inbox.seeNick(selfId, this.nickValue)
    this.pulls = new PullScheduler({
      selfId,
      channelId: topic,
      topicPeers: () => this.members.peers(),
      connected: peer => this.members.connected(peer),
      received: id => this.channel.hasReceived(id, 'content')
    }, { maxInFlight: this.options.maxPullsInFlight, queueCapacity: this.options.pullQueueCapacity, targets: this.options.pullTargets, maxAttempts: this.options.pullAttempts, hedgeMs: this.options.pullHedgeMs, minHedgeMs: this.options.pullMinHedgeMs })
  }

  get nick (): string { return this.nickValue }

  /** The presence core (read-only use: roster and status). */
  get presence (): Presence { return this.roomPresence.core }

  /** Restores stored state and history before `start`; returns the history as lines. */
  restore (input: RestoreInput, entries: ReadonlyArray<{ message: ReliableMessage, storedAt: number }>, now: number): ChatLine[] {
    this.channel.restore(input, now)
    // Own lines keep their marks: unacknowledged ones are sent again; of the others, those given
    // up on stay `✗` (until a late acknowledgement), and the rest were acknowledged before.
    const unacked = new Set((input.unacked ?? []).map(u => u.messageId))
    const notConfirmed = new Set(input.notConfirmed ?? [])
    for (const { message } of entries) {
      if (message.senderId !== this.selfId || unacked.has(message.messageId)) continue
      this.outbox.restoredSettled(message.messageId, notConfirmed.has(message.messageId) ? 'not-confirmed' : 'confirmed')
    }
    for (const id of unacked) this.outbox.restored(id)
    return this.inbox.restore(entries, now)
  }

  /** Joins: the channel's join time (older messages are pre-join history) and our first presence record. */
  start (now: number): void {
    this.channel.tick(now)
    this.roomPresence.join(now)
    this.pump(now)
  }

  /** A clean quit: the presence leave record to publish at once (undefined when nobody would hear it). */
  leave (now: number): ReliableMessage | undefined {
    this.pulls.clear()
    const bytes = this.roomPresence.leave(now)
    if (bytes === undefined || this.members.size === 0) return undefined
    const msg = this.channel.sendEphemeral(this.sealed('ephemeral', bytes), now)
    this.channel.drainOutgoing()
    return msg
  }

  /** Sends a chat line (or a `/me` action); it is delivered to our own UI at once. Returns the message. */
  send (text: string, action: boolean, now: number): ReliableMessage {
    if (text.length > MAX_TEXT_LENGTH) {
      throw new P2pchatError('INVALID_COMMAND', `line too long (${text.length} characters, at most ${MAX_TEXT_LENGTH})`)
    }
    if (this.decisions.governance.isBanned(this.selfId)) {
      throw new P2pchatError('INVALID_COMMAND', 'you are banned from this room: every peer refuses your messages, so this line was not sent')
    }
    const msg = this.channel.send(this.sealed('content', encodeChatContent({ nick: this.nickValue, text, action })), now)
    // Written durably (when persistent) before it can be published, and so before it shows as sent.
    this.outbox.sent(msg, this.options.persistent)
    if (this.options.persistent) this.out.persistOwn.push(msg)
    this.stateDirty = true
    this.pump(now)
    return msg
  }

  /** The durable write of an own message finished (`ok`) or failed (it is then never sent). */
  written (id: string, ok: boolean, now: number): void {
    if (!ok) {
      this.out.drops.push('store-write-failed')
      this.emit('notice', { level: 'error', text: 'could not save your message, so it was not sent' })
    }
    this.outbox.written(id, ok, this.members.size > 0, this.out)
    this.pump(now)
  }

  /** Checks an inbound copy before its path forwards it (the core's checks and presence's). */
  check (msg: ReliableMessage, now: number): InboundVerdict {
    const invalid = this.channel.check(msg, now)
    if (invalid !== undefined) return { action: BLAMELESS.has(invalid) ? 'ignore' : 'reject', reason: invalid }
    // A banned peer's messages are refused by every peer's validator, so gossipsub does not forward them.
    if (this.decisions.governance.isBanned(msg.senderId)) return { action: 'reject', reason: 'banned' }
    // A private room's message that does not open is a non-member's: not forwarded (the forwarder
    // cannot tell, so no penalty). Without the key (a relay of the topic) it is passed on unread.
    const plain = this.readable(msg)
    if (plain === undefined) return this.sealedTopic && this.sealer === undefined ? { action: 'accept' } : { action: 'ignore', reason: this.unreadable(msg) }
    if (msg.kind !== 'ephemeral') return { action: 'accept' }
    const decision = decisionOf(plain.content)
    if (decision !== undefined) {
      this.decisions.traffic.topicBatches++
      this.decisions.traffic.topicBytes += msg.content.byteLength
      return this.checkDecision(decision, msg.senderId, now)
    }
    const verdict = this.presence.validate(plain.content, msg.senderId, now)
    return verdict.action === 'accept' ? { action: 'accept' } : { action: verdict.action }
  }

  /** True for a private room (we hold its key). */
  get isPrivate (): boolean { return this.sealer !== undefined }

  /** Our own content or ephemeral body, sealed when the room is private (bound to its Lamport value). */
  private sealed (kind: 'content' | 'ephemeral', plain: Uint8Array): ContentSource {
    const sealer = this.sealer
    return sealer === undefined ? plain : lamport => sealer.seal(plain, kind, this.topic, this.selfId, lamport)
  }

  /**
   * A message as we can read it: opened in a private room (undefined when it does not open). On a
   * private room's topic without its key (a relay), nothing but sync messages is readable.
   */
  private readable (msg: ReliableMessage): ReliableMessage | undefined {
    if (this.sealer !== undefined) return this.sealer.opened(msg)
    return this.sealedTopic && msg.kind !== 'sync' ? undefined : msg
  }

  /** Why a message is unreadable; the first time, says so once. */
  private unreadable (msg: ReliableMessage): string {
    const reason = this.sealer?.open(msg)
    const why = reason !== undefined && !reason.ok ? reason.reason : 'not-member'
    if (!this.toldUnreadable && why === 'not-member') {
      this.toldUnreadable = true
      this.emit('notice', { level: 'warn', text: 'a message in this private room does not open with our key: someone on its topic lacks the key (or holds another). Such messages are dropped and counted as not-member' })
    }
    return why
  }

  /** True when the core already has this message (a later copy is a duplicate). */
  hasReceived (id: string, kind: ReliableMessage['kind']): boolean { return this.channel.hasReceived(id, kind) }

  /**
   * A decision from the topic is applied as its copy is checked (only a batch whose certificate
   * checks out is forwarded): one check per batch, however many copies arrive.
   */
  private checkDecision (decision: NonNullable<ReturnType<typeof decisionOf>>, publisher: string, now: number): InboundVerdict {
    if (!decision.ok) { this.out.log.push(`dropped a decision: ${decision.detail}`); return { action: 'reject', reason: 'decision-malformed' } }
    const { refused, vouched } = this.decisions.offer(decision.batch, publisher, now)
    this.pump(now)
    if (refused !== undefined) return { action: 'reject', reason: `decision-${refused}` }
    // Forwarded only when a majority of the committee we know signed it: applied now, or a
    // republication we had, or one past our gap. Anything else is kept from the mesh.
    return vouched ? { action: 'accept' } : { action: 'ignore' }
  }

  /** A certified batch from this peer's own committee member (no topic copy needed); returns a refusal reason. */
  offerDecision (batch: CertifiedBatch, now: number): string | undefined {
    const { refused } = this.decisions.offer(batch, undefined, now)
    this.pump(now)
    return refused
  }

  /** Publishes a certified batch on the topic (the leader does, for every peer outside the committee). */
  publishDecision (batch: CertifiedBatch, now: number): void {
    this.channel.sendEphemeral(this.sealed('ephemeral', encodeDecision(batch)), now)
    this.pump(now)
  }

  /** A catch-up of `RoomReady.catchUps` was answered (`batch` undefined: the peer holds nothing newer). */
  caughtUp (target: string, batch: CertifiedBatch | undefined, now: number): void {
    this.decisions.caughtUp(target, batch, now)
    this.pump(now)
  }

  /** A catch-up failed: another peer is asked. */
  catchUpFailed (target: string, now: number): void {
    this.decisions.catchUpFailed(target, now)
    this.pump(now)
  }

  /** A checked message from any path; `via` is the peer it was pulled from. */
  receive (msg: ReliableMessage, now: number, via?: string): void {
    if (this.decisions.governance.isBanned(msg.senderId)) { this.out.drops.push('banned'); return }
    if (this.sealer !== undefined && this.readable(msg) === undefined) { this.out.drops.push(this.unreadable(msg)); return }
    try {
      this.channel.receive(msg, now, via)
    } catch (err) {
      this.out.drops.push('core-error')
      this.out.log.push(`reliability core refused a message: ${(err as Error).message}`)
    }
    this.pump(now)
  }

  /**
   * A pull attempt was answered: `messages` are the checked ones the core lacks, `answered` says
   * whether the peer sent anything at all. An answer ends the pull (even when every record was a
   * duplicate by now); an empty one has the next peer asked.
   */
  pullAnswered (pullId: number, messages: ReliableMessage[], from: string, now: number, answered = messages.length > 0): void {
    for (const msg of messages) this.receive(msg, now, from)
    this.pulls.answered(pullId, answered, now, this.out.pulls)
    // What the pulled messages name is old, not in flight: pull it now rather than at the next tick.
    if (messages.length > 0) this.channel.tick(now)
    this.pump(now)
  }

  /** A pull attempt failed (timeout, dial failure, garbled answer): the next peer is asked. */
  pullFailed (pullId: number, now: number): void {
    this.pulls.failed(pullId, now, this.out.pulls)
    this.pump(now)
  }

  /** What we hold of a pull's ids in memory; the host adds the `missing` ones from disk. */
  answerPull (ask: PullAsk): { messages: ReliableMessage[], missing: string[] } {
    if (ask.channelId !== this.topic) return { messages: [], missing: [] }
    // A banned peer's messages are not handed on in repair either.
    const held = this.channel.answerPull(ask.ids, { maxAncestors: ask.maxAncestors, have: ask.have, minLamport: ask.minLamport })
    const found = new Set(held.map(m => m.messageId))
    return { messages: held.filter(m => !this.decisions.governance.isBanned(m.senderId)), missing: ask.ids.filter(id => !found.has(id)) }
  }

  /**
   * The peers of the room (the union over broadcast paths) and the peers we hold a connection to.
   * Joins and leaves become events; a newcomer gets our presence and history soon, and queued
   * own messages go out.
   */
  membership (topicPeers: Iterable<string>, connected: Iterable<string>, now: number): void {
    const { joined, left } = this.members.update(topicPeers, connected)
    for (const peerId of joined) {
      // Announced once its nick is known (its presence record), or after the grace without it.
      if (this.nickFor(peerId, now) === undefined && this.options.announcePresence && this.options.joinNickGraceMs > 0) {
        this.pendingJoins.set(peerId, now + this.options.joinNickGraceMs)
      } else this.emit('peer:join', { peerId, nick: this.nickFor(peerId, now) })
    }
    for (const peerId of left) {
      // A join never announced needs no leave.
      if (!this.pendingJoins.delete(peerId)) this.emit('peer:leave', { peerId, nick: this.nickFor(peerId, now) })
      if (!this.members.connected(peerId)) {
        this.lostLinks.set(peerId, now)
        if (this.lostLinks.size > LOST_LINKS_KEPT) this.lostLinks.delete(this.lostLinks.keys().next().value as string)
        // A neighbour's dropped link is immediate evidence: suspect it now (SWIM/Lifeguard).
        this.roomPresence.linkLost(peerId, now)
      }
    }
    for (const peerId of joined) this.lostLinks.delete(peerId)
    this.roomPresence.setNeighbours([...this.members.peers()].filter(peer => this.members.connected(peer)))
    if (joined.length + left.length > 0) this.emit('peers:count', { count: this.members.size })
    this.out.joined.push(...joined)
    this.out.left.push(...left)
    this.decisions.joined(joined, now)
    if (joined.length > 0) {
      // The newcomer's first presence record went out before anyone knew it was subscribed,
      // and ours reached nobody in its room: announce within welcomeSpreadMs, both ends.
      this.roomPresence.welcome(now)
      this.outbox.release(this.out)
      // A newcomer (or a peer back from a restart or partition) learns our history at once.
      this.channel.syncSoon(now, this.options.syncOnJoinMs)
    }
    this.pump(now)
  }

  /** The nick of a peer: from its presence record, else from its last line. */
  private nickFor (peerId: string, now: number): string | undefined {
    const nick = this.presence.entry(peerId, now)?.nick
    return nick !== undefined && nick !== '' ? nick : this.inbox.nickOf(peerId)
  }

  /** Nicks from the roster changes output since index `from` (so same-nick peers are told apart). */
  private learnNicks (from: number): void {
    for (let i = from; i < this.out.events.length; i++) {
      const e = this.out.events[i]
      if (e.type !== 'roster:change') continue
      for (const entry of [...e.detail.joined, ...e.detail.changed]) if (!entry.self) this.inbox.seeNick(entry.peerId, entry.nick)
    }
  }

  /** Announces the joins whose nick is now known, or whose grace ran out. */
  private flushJoins (now: number): void {
    for (const [peerId, deadline] of this.pendingJoins) {
      const nick = this.nickFor(peerId, now)
      if (nick === undefined && now < deadline) continue
      this.pendingJoins.delete(peerId)
      this.emit('peer:join', { peerId, nick })
    }
  }

  /**
   * The host could not reach `peerId` again (a redial failed) after its connection dropped without
   * a clean leave. Other neighbours are asked to reach it (SWIM's indirect probe); when none can,
   * it leaves the roster ("left", told to the room) unless we heard from it since: seconds, not
   * the 3 announce periods (90 s and more) its silence would take. Its next record brings it back.
   */
  unreachable (peerId: string, now: number): void {
    const since = this.lostLinks.get(peerId)
    if (since === undefined || this.members.has(peerId)) return
    this.lostLinks.delete(peerId)
    this.roomPresence.unreachable(peerId, since, now)
    this.pump(now)
  }

  /** The host's answer to a probe request of `RoomReady.probes`. */
  probed (probeId: number, outcome: ProbeOutcome, now: number): void {
    this.roomPresence.probed(probeId, outcome, now)
    this.pump(now)
  }

  /** The failure detector's counters (undefined when this room does not probe). */
  probeStatus (): ReturnType<Prober['status']> | undefined { return this.roomPresence.prober?.status() }

  /** A peer said it left (an unsubscribe over a live connection): the roster drops it at once. */
  departed (peerId: string, now: number): void {
    this.lostLinks.delete(peerId)
    this.presence.departed(peerId, now)
    this.pump(now)
  }

  /** True when the peer is in the topic. */
  isTopicPeer (peerId: string): boolean { return this.members.has(peerId) }
  /** Number of peers in the topic. */
  get topicPeerCount (): number { return this.members.size }
  /** Topic peers. */
  peers (): string[] { return [...this.members.peers()] }

  /** A publish reached `recipients` peers over all paths (0: nobody, so it stays pending). */
  published (msg: ReliableMessage, recipients: number): void { this.outbox.published(msg, recipients, this.out) }
  /** A publish failed on every path: an own pending line waits for the next peer. */
  publishFailed (msg: ReliableMessage): void { this.outbox.publishFailed(msg) }

  /** Changes the nick carried by our next messages and our presence record. */
  setNick (nick: string, now: number): void {
    this.nickValue = validateNick(nick)
    this.inbox.seeNick(this.selfId, this.nickValue)
    this.roomPresence.setNick(this.nickValue, now)
    this.pump(now)
  }

  /** Sets the presence status text and clears away. */
  setStatusText (text: string, now: number): void {
    this.roomPresence.setStatusText(text, now)
    this.pump(now)
  }

  /** Toggles (or sets) away; returns the new value. */
  setAway (away: boolean | undefined, now: number): boolean {
    const next = this.roomPresence.setAway(away, now)
    this.pump(now)
    return next
  }

  /** Starts a census; its result comes out in `censuses` once its window and grace have passed. */
  startCensus (now: number): StartCensusResult {
    const started = this.roomPresence.startCensus(now)
    this.pump(now)
    return started
  }

  /** Drives time: resends, pull retries and hedges, loss deadlines, syncs, presence, censuses, state saves. */
  tick (now: number): void {
    // How many peers acknowledge a line in a quiet room scales with the room's size.
    const roomSize = this.roomSize(now)
    this.channel.setRoomSize(roomSize)
    this.presence.setRoomSize(roomSize)
    this.channel.tick(now)
    this.pulls.tick(now, this.out.pulls)
    this.decisions.tick(now)
    this.roomPresence.tick(now, this.out)
    if (this.stateDirty && now - this.lastStateSave >= this.options.saveStateIntervalMs) {
      this.stateDirty = false
      this.lastStateSave = now
      this.out.saveState = true
    }
    this.pump(now)
  }

  /** The room's size as far as we know: topic peers, roster, or what the host was told. */
  roomSize (now: number): number { return Math.max(this.members.size + 1, this.presence.rosterCount(now), this.options.knownRoomSize) }

  /** Earliest `now` at which `tick` has work (Infinity when idle). */
  nextDeadline (): number {
    let next = Math.min(this.channel.nextDeadline(), this.roomPresence.nextDeadline(), this.pulls.nextHedgeAt(), this.decisions.nextDeadline())
    for (const deadline of this.pendingJoins.values()) next = Math.min(next, deadline)
    return next
  }

  /** Everything produced since the last call. */
  ready (): RoomReady {
    const out = this.out
    this.out = emptyReady()
    return out
  }

  /** The presence roster (ourselves first); `direct` comes from our connections. */
  who (now: number): RosterEntry[] {
    return this.roomPresence.who(now, peer => this.members.connected(peer))
  }

  /** The last `limit` chat lines in canonical order. */
  history (limit: number, now: number): ChatLine[] {
    return this.channel.history(limit).flatMap(msg => { const line = this.inbox.line(msg, now); return line === undefined ? [] : [{ ...line, history: true }] })
  }

  /** Own messages not yet on any peer. */
  pendingCount (): number { return this.outbox.pendingCount() }
  /** The last nick seen from a peer. */
  nickOf (peerId: string): string | undefined { return this.inbox.nickOf(peerId) }
  /** Every nick seen in this room, ours included. */
  knownNicks (): string[] { return [...new Set([...this.inbox.knownNicks(), this.nickValue])] }

  /** Pull attempts made, pulls in flight and queued, and own lines waiting for a peer. */
  counters (): DriverCounters {
    const queued = this.outbox.queued
    return { pullsMade: this.pulls.attempts, pullsHedged: this.pulls.hedged, pullsActive: this.pulls.active, pullsQueued: this.pulls.queued, pullQueueOverflowed: this.pulls.overflowed, outboundQueued: queued.size, outboundOverflowed: queued.overflowed }
  }

  /** Moves everything the cores produced into the output. */
  private pump (now: number): void {
    this.pumpCores(now)
    if (this.pendingJoins.size > 0) this.flushJoins(now)
  }

  private pumpCores (now: number): void {
    for (let round = 0; round < 8; round++) {
      const seen = this.out.events.length
      for (const bytes of this.roomPresence.drain(this.out, now)) this.channel.sendEphemeral(this.sealed('ephemeral', bytes), now)
      this.learnNicks(seen)
      for (const msg of this.channel.drainOutgoing()) this.outbox.route(msg, this.members.size > 0, this.out)
      for (const pull of this.channel.drainPulls()) this.pulls.request(pull, now, this.out.pulls)
      const events = this.channel.drainEvents()
      for (const event of events) if (this.inbox.apply(event, now, this.out)) this.stateDirty = true
      this.out.channelEvents.push(...events)
      if (events.length === 0) return
    }
  }

  private emit<K extends keyof RoomEventMap> (type: K, detail: RoomEventMap[K]): void {
    this.out.events.push({ type, detail } as RoomOutput)
  }
}
