/**
 * A deterministic, seeded, in-memory network of `ReliableChannel`s with virtual
 * time, in the style of etcd-io/raft's test network. It can drop (per link),
 * duplicate, reorder and delay (base + jitter) messages, partition and heal, crash
 * and restart participants (a restart is a fresh channel with the same id: all
 * state lost), and it serves pull requests by calling `answerPull` on the asked
 * peer, subject to the same faults. A broadcast becomes one timed event per
 * recipient in a binary heap; ticks run for all live nodes every `tickIntervalMs`.
 * Everything random comes from one seeded PRNG, so a seed replays exactly.
 */
import { MinHeap } from '../shared/index.js'
import { ReliableChannel } from '../reliability/index.js'
import { createRandom } from '../shared/index.js'
import type { ChannelEvent } from '../reliability/index.js'
import type { MessageId, PullRequest, PullScope, ReliableMessage } from '../reliability/index.js'
import { LinkFaults } from './faults.js'
import { emptyMetrics, type NetworkMetrics } from './metrics.js'
import { DEFAULT_NETWORK_OPTIONS, type ModelNetworkOptions, type SentRecord, type SimNode } from './network-types.js'

export { DEFAULT_NETWORK_OPTIONS, type ModelNetworkOptions, type SentRecord, type SimNode, type WireSizer } from './network-types.js'

type SimEvent =
  | { type: 'copy', at: number, seq: number, to: string, toInc: number, msg: ReliableMessage }
  | { type: 'pull', at: number, seq: number, from: string, fromInc: number, to: string, ids: MessageId[], scope: PullScope }
  | { type: 'answer', at: number, seq: number, to: string, toInc: number, from: string, msgs: ReliableMessage[] }
  | { type: 'action', at: number, seq: number, run: () => void }

const byTime = (a: SimEvent, b: SimEvent): number => a.at - b.at || a.seq - b.seq

/** The simulated network. */
export class ModelNetwork {
  readonly options: ModelNetworkOptions
  readonly ids: string[]
  readonly metrics: NetworkMetrics = emptyMetrics()
  /** Every content message sent, by id. */
  readonly sent = new Map<MessageId, SentRecord>()
  private readonly nodes = new Map<string, SimNode>()
  private readonly queue = new MinHeap<SimEvent>(byTime)
  private readonly random: () => number
  private readonly faults: LinkFaults
  private seq = 0
  private nextTickAt = 0
  private time = 0

  constructor (options: Partial<ModelNetworkOptions> = {}) {
    this.options = { ...DEFAULT_NETWORK_OPTIONS, ...options }
    this.random = createRandom(this.options.seed)
    this.faults = new LinkFaults(this.options, this.random)
    const spec = this.options.nodes
    this.ids = typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => `p${i}`) : [...spec]
    for (const id of this.ids) this.nodes.set(id, this.createNode(id, 0))
  }

  /** Current virtual time (ms). */
  get now (): number {
    return this.time
  }

  /** The participant with this id. */
  node (id: string): SimNode {
    const node = this.nodes.get(id)
    if (node === undefined) throw new Error(`unknown node ${id}`)
    return node
  }

  /** All participants. */
  all (): SimNode[] {
    return [...this.nodes.values()]
  }

  /** Sends content from `id` now (string content is UTF-8 encoded). */
  send (id: string, content: Uint8Array | string): ReliableMessage {
    const node = this.node(id)
    if (!node.alive) throw new Error(`node ${id} is down`)
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
    const msg = node.channel.send(bytes, this.time)
    this.sent.set(msg.messageId, { message: msg, sender: id, incarnation: node.incarnation, at: this.time, broadcasts: 0 })
    this.metrics.sent++
    this.flush(node)
    return msg
  }

  /** Sends an ephemeral message from `id` now. */
  sendEphemeral (id: string, content: Uint8Array): ReliableMessage {
    const node = this.node(id)
    const msg = node.channel.sendEphemeral(content, this.time)
    this.flush(node)
    return msg
  }

  /** Runs `action` at virtual time `at` (scripted sends, partitions, crashes). */
  at (at: number, action: () => void): void {
    this.queue.push({ type: 'action', at: Math.max(at, this.time), seq: this.seq++, run: action })
  }

  /** Sets the drop probability of the directed link from → to. */
  setLinkDrop (from: string, to: string, probability: number): void {
    this.faults.setLinkDrop(from, to, probability)
  }

  /** Changes the network-wide drop, duplication or reorder probability from now on (e.g. to stop injected loss). */
  setFaultRates (rates: Partial<Pick<ModelNetworkOptions, 'dropRate' | 'duplicateRate' | 'reorderRate'>>): void {
    Object.assign(this.options, rates)
  }

  /** Splits the network: nodes in different groups cannot reach each other (unlisted nodes form one more group). */
  partition (groups: string[][]): void {
    this.faults.partition(groups)
  }

  /** Cuts one node off from everyone. */
  isolate (id: string): void {
    this.faults.partition([[id]])
  }

  /** Removes every partition. */
  heal (): void {
    this.faults.heal()
  }

  /** Stops a node: its state and in-flight traffic to it are lost. */
  crash (id: string): void {
    this.node(id).alive = false
  }

  /** Starts a fresh channel with the same id (a late joiner that must catch up). */
  restart (id: string): void {
    const old = this.node(id)
    const fresh = this.createNode(id, old.incarnation + 1)
    fresh.previous = [...old.previous, old.delivered]
    this.nodes.set(id, fresh)
    fresh.channel.tick(this.time)
    this.flush(fresh)
  }

  /** Adds a participant that joins now (a late joiner). */
  join (id: string): SimNode {
    if (this.nodes.has(id)) throw new Error(`node ${id} exists`)
    const node = this.createNode(id, 0)
    this.ids.push(id)
    this.nodes.set(id, node)
    node.channel.tick(this.time)
    this.flush(node)
    return node
  }

  /** True when `a` can currently reach `b`. */
  reachable (a: string, b: string): boolean {
    const na = this.nodes.get(a)
    const nb = this.nodes.get(b)
    if (na === undefined || nb === undefined || !na.alive || !nb.alive) return false
    return this.faults.connected(a, b)
  }

  /** Advances virtual time by `ms`. */
  runFor (ms: number): void {
    this.runUntil(this.time + ms)
  }

  /** Advances virtual time to `t`, processing every event and tick due until then. */
  runUntil (t: number): void {
    for (;;) {
      const next = this.queue.peek()
      const nextEventAt = next === undefined ? Infinity : next.at
      if (Math.min(nextEventAt, this.nextTickAt) > t) break
      if (nextEventAt <= this.nextTickAt) {
        this.queue.pop()
        this.time = nextEventAt
        this.handle(next as SimEvent)
      } else {
        this.time = this.nextTickAt
        this.tickAll()
        this.nextTickAt += this.options.tickIntervalMs
      }
    }
    this.time = Math.max(this.time, t)
  }

  /** Runs until `done()` holds (checked every `checkEveryMs`) or `maxMs` passed; returns whether it held. */
  runUntilTrue (done: () => boolean, maxMs: number, checkEveryMs = 500): boolean {
    const deadline = this.time + maxMs
    while (this.time < deadline) {
      if (done()) return true
      this.runUntil(Math.min(deadline, this.time + checkEveryMs))
    }
    return done()
  }

  /** True when every live node delivered every sent content message (by count). */
  allDelivered (): boolean {
    const total = this.sent.size
    for (const node of this.nodes.values()) if (node.alive && node.deliveredCount < total) return false
    return true
  }

  private createNode (id: string, incarnation: number): SimNode {
    const spec = this.options.channelOptions
    const opts = typeof spec === 'function' ? spec(id, incarnation) : spec
    return {
      id,
      channel: new ReliableChannel(id, this.options.channelId, opts),
      alive: true,
      incarnation,
      startedAt: this.time,
      delivered: [],
      deliveredAt: [],
      deliveredCount: 0,
      ephemeralCount: 0,
      lost: [],
      notConfirmed: [],
      events: [],
      previous: []
    }
  }

  private tickAll (): void {
    for (const node of this.nodes.values()) {
      if (!node.alive) continue
      node.channel.tick(this.time)
      this.flush(node)
    }
  }

  private handle (event: SimEvent): void {
    switch (event.type) {
      case 'action':
        event.run()
        return
      case 'copy': {
        const node = this.nodes.get(event.to)
        if (node === undefined || !node.alive || node.incarnation !== event.toInc) return
        node.channel.receive(event.msg, this.time)
        this.flush(node)
        return
      }
      case 'pull':
        this.servePull(event.from, event.fromInc, event.to, event.ids, event.scope)
        return
      case 'answer': {
        const node = this.nodes.get(event.to)
        if (node === undefined || !node.alive || node.incarnation !== event.toInc) return
        this.metrics.pullAnswers++
        for (const msg of event.msgs) node.channel.receive(msg, this.time, event.from)
        // As the room does: ids named by pulled messages are pulled at once, not at the next tick.
        node.channel.tick(this.time)
        this.flush(node)
      }
    }
  }

  /** Hands a node's outputs to the network and records its events. */
  private flush (node: SimNode): void {
    const channel = node.channel
    for (const msg of channel.drainOutgoing()) this.broadcast(node, msg)
    for (const request of channel.drainPulls()) this.requestPull(node, request)
    for (const event of channel.drainEvents()) this.record(node, event)
  }

  private record (node: SimNode, event: ChannelEvent): void {
    this.metrics.events++
    if (this.options.recordEvents) node.events.push(event)
    this.options.onEvent?.(node.id, event, this.time)
    if (event.type === 'in:delivered') {
      if (event.message.kind !== 'content') { node.ephemeralCount++; return }
      node.deliveredCount++
      this.metrics.deliveries++
      if (this.options.recordDeliveries) {
        node.delivered.push(event)
        node.deliveredAt.push(this.time)
      }
    } else if (event.type === 'in:lost') {
      node.lost.push(...event.ids)
      this.metrics.lostDeclared += event.ids.length
    } else if (event.type === 'out:not-confirmed') {
      node.notConfirmed.push(event.id)
    }
  }

  private broadcast (sender: SimNode, msg: ReliableMessage): void {
    this.metrics.broadcasts++
    this.metrics.byKind[msg.kind]++
    const record = msg.kind === 'content' ? this.sent.get(msg.messageId) : undefined
    if (record !== undefined && record.broadcasts++ > 0) this.metrics.resends++
    const sizer = this.options.sizer
    const size = sizer === undefined ? 0 : sizer.message(msg)
    const payload = msg.kind === 'content' ? msg.content.byteLength : 0
    for (const node of this.nodes.values()) {
      if (node === sender) continue
      this.metrics.copies++
      if (!this.reachable(sender.id, node.id)) { this.metrics.copiesDropped++; continue }
      if (sizer !== undefined) {
        this.metrics.bytes[msg.kind] += size
        this.metrics.bytes.payload += payload
      }
      if (!this.deliverable(sender.id, node.id, msg)) { this.metrics.copiesDropped++; continue }
      this.schedule({ type: 'copy', at: this.time + this.delay(), seq: 0, to: node.id, toInc: node.incarnation, msg })
      if (this.options.duplicateRate > 0 && this.random() < this.options.duplicateRate) {
        this.metrics.duplicated++
        this.schedule({ type: 'copy', at: this.time + this.delay(), seq: 0, to: node.id, toInc: node.incarnation, msg })
      }
    }
  }

  private requestPull (requester: SimNode, request: PullRequest): void {
    this.metrics.pullRequests++
    const targets = request.peer === undefined ? this.anyPeers(requester.id) : [request.peer, ...request.candidates]
    let tries = 0
    for (const target of targets) {
      if (tries++ > this.options.pullFallbacks) break
      if (!this.reachable(requester.id, target)) continue
      if (this.options.sizer !== undefined) this.metrics.bytes.pullRequests += this.options.sizer.pullRequest(request)
      if (this.lossy(requester.id, target)) { this.metrics.pullsDropped++; return }
      this.schedule({ type: 'pull', at: this.time + this.delay(), seq: 0, from: requester.id, fromInc: requester.incarnation, to: target, ids: request.messageIds, scope: { maxAncestors: request.maxAncestors, have: request.have, minLamport: request.minLamport } })
      return
    }
    this.metrics.pullsUnreachable++
  }

  private servePull (from: string, fromInc: number, to: string, ids: MessageId[], scope: PullScope): void {
    const server = this.nodes.get(to)
    if (server === undefined || !server.alive) return
    const msgs = server.channel.answerPull(ids, scope)
    this.metrics.pulledMessages += msgs.length
    if (msgs.length === 0 || !this.reachable(to, from)) return
    if (this.options.sizer !== undefined) this.metrics.bytes.pullAnswers += this.options.sizer.pullAnswer(msgs)
    if (this.lossy(to, from)) { this.metrics.pullsDropped++; return }
    this.schedule({ type: 'answer', at: this.time + this.delay(), seq: 0, to: from, toInc: fromInc, from: to, msgs })
  }

  private anyPeers (self: string): string[] {
    const others = this.ids.filter((id) => id !== self)
    const start = Math.floor(this.random() * others.length)
    return [...others.slice(start), ...others.slice(0, start)]
  }

  private deliverable (from: string, to: string, msg: ReliableMessage): boolean {
    if (!this.reachable(from, to) || this.lossy(from, to)) return false
    return this.options.filter === undefined || this.options.filter(from, to, msg)
  }

  private lossy (from: string, to: string): boolean {
    return this.faults.lossy(from, to)
  }

  private delay (): number {
    return this.faults.delay()
  }

  private schedule (event: SimEvent): void {
    event.seq = this.seq++
    this.queue.push(event)
  }
}
