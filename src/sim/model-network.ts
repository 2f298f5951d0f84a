/**
 * A deterministic, seeded, in-memory network of participants (room drivers, or bare
 * reliability cores) with virtual time, in the style of etcd-io/raft's test network.
 * It can drop (per link), duplicate, reorder and delay (base + jitter) messages,
 * partition and heal, crash and restart participants (a restart is a fresh one with
 * the same id: all state lost), and it carries pull requests and their answers subject
 * to the same faults; a driver's pull that gets no answer fails after the pull timeout,
 * as a live one does. Liveness probes (direct, and through helpers) cross the same lossy,
 * delayed links. A node can be paused (SIGSTOP: it handles nothing until it resumes, its links
 * stay up) or silently cut (every packet to and from it lost, its links still look up, as when
 * a cable is pulled). A broadcast becomes one timed event per recipient in a binary
 * heap; ticks run for all live nodes every `tickIntervalMs`. Everything random comes
 * from one seeded PRNG, so a seed replays exactly.
 */
import { createRandom, MinHeap } from '../shared/index.js'
import type { ProbeOutcome, ProbeRequest } from '../presence/index.js'
import type { ChannelEvent, MessageId, ReliableMessage } from '../reliability/index.js'
import { CoreParticipant, DriverParticipant, type SimPull } from './participant.js'
import { LinkFaults } from './faults.js'
import { ModelRainTree } from './model-raintree.js'
import { emptyMetrics, type NetworkMetrics } from './metrics.js'
import { DEFAULT_NETWORK_OPTIONS, type ModelNetworkOptions, type SentRecord, type SimNode } from './network-types.js'

export { DEFAULT_NETWORK_OPTIONS, type ModelNetworkOptions, type SentRecord, type SimNode, type WireSizer } from './network-types.js'

type SimEvent =
  | { type: 'copy', at: number, seq: number, to: string, toInc: number, msg: ReliableMessage }
  | { type: 'pull', at: number, seq: number, from: string, fromInc: number, to: string, pull: SimPull }
  | { type: 'answer', at: number, seq: number, to: string, toInc: number, from: string, pull: SimPull, msgs: ReliableMessage[] }
  | { type: 'pull-failed', at: number, seq: number, to: string, toInc: number, pull: SimPull }
  | { type: 'probe', at: number, seq: number, to: string, toInc: number, probeId: number, outcome: ProbeOutcome }
  | { type: 'action', at: number, seq: number, run: () => void }
  | { type: 'tree', at: number, seq: number, to: string, toInc: number, from: string, msg: ReliableMessage, layer: number, adjustment: boolean, redundancy: boolean }
  | { type: 'tree-ack', at: number, seq: number, to: string, toInc: number, from: string, id: string }

const byTime = (a: SimEvent, b: SimEvent): number => a.at - b.at || a.seq - b.seq

/** The simulated network. */
export class ModelNetwork {
  readonly options: ModelNetworkOptions
  readonly ids: string[]
  /** Each node's mesh as last told (to see which neighbours it lost). */
  private readonly meshes = new Map<string, string[]>()
  readonly metrics: NetworkMetrics = emptyMetrics()
  /** Every content message sent, by id. */
  readonly sent = new Map<MessageId, SentRecord>()
  private readonly nodes = new Map<string, SimNode>()
  private readonly queue = new MinHeap<SimEvent>(byTime)
  private readonly random: () => number
  private readonly faults: LinkFaults
  private readonly silenced = new Set<string>()
  private seq = 0
  /** RainTree's cores, when the network broadcasts with it. */
  private readonly tree?: ModelRainTree
  /** Messages RainTree carries, by id (copies name them). */
  private readonly treeMessages = new Map<string, ReliableMessage>()
  private nextTickAt = 0
  private time = 0

  constructor (options: Partial<ModelNetworkOptions> = {}) {
    this.options = { ...DEFAULT_NETWORK_OPTIONS, ...options }
    this.time = this.nextTickAt = this.options.startAt
    this.random = createRandom(this.options.seed)
    this.faults = new LinkFaults(this.options, this.random)
    const spec = this.options.nodes
    this.ids = typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => `p${i}`) : [...spec]
    for (const id of this.ids) this.nodes.set(id, this.createNode(id, 0))
    if (this.options.raintree !== undefined) this.tree = new ModelRainTree(this.options.raintree, this.options.seed)
    this.updateMembership()
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
    const msg = node.participant.send(bytes, this.time)
    this.sent.set(msg.messageId, { message: msg, sender: id, incarnation: node.incarnation, at: this.time, broadcasts: 0 })
    this.metrics.sent++
    this.flush(node)
    return msg
  }

  /** Sends an ephemeral message from `id` now. */
  sendEphemeral (id: string, content: Uint8Array): ReliableMessage {
    const node = this.node(id)
    const msg = node.participant.sendEphemeral(content, this.time)
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
    this.updateMembership()
  }

  /** Cuts one node off from everyone. */
  isolate (id: string): void {
    this.partition([[id]])
  }

  /**
   * Pauses a node for `ms` (SIGSTOP then SIGCONT): it runs no tick and handles nothing; what
   * reaches it waits until it resumes. Its links stay up.
   */
  pause (id: string, ms: number): void {
    const node = this.node(id)
    node.pausedUntil = Math.max(node.pausedUntil ?? 0, this.time + ms)
  }

  /** True while `id` is paused. */
  paused (id: string): boolean {
    return (this.nodes.get(id)?.pausedUntil ?? 0) > this.time
  }

  /**
   * Cuts a node off silently (`on`), or restores it: every packet to and from it is lost, but
   * nobody's links drop, so only probes and silence reveal it (a pulled cable, not a crash).
   */
  silence (id: string, on = true): void {
    if (on) this.silenced.add(id)
    else this.silenced.delete(id)
  }

  /** Removes every partition. */
  heal (): void {
    this.faults.heal()
    this.updateMembership()
  }

  /** Stops a node: its state and in-flight traffic to it are lost. */
  crash (id: string): void {
    this.node(id).alive = false
    this.tree?.forget(id)
    this.updateMembership()
  }

  /** Starts a fresh channel with the same id (a late joiner that must catch up). */
  restart (id: string): void {
    const old = this.node(id)
    const fresh = this.createNode(id, old.incarnation + 1)
    fresh.previous = [...old.previous, old.delivered]
    this.nodes.set(id, fresh)
    fresh.participant.tick(this.time)
    this.flush(fresh)
    this.updateMembership()
  }

  /** Adds a participant that joins now (a late joiner). */
  join (id: string): SimNode {
    if (this.nodes.has(id)) throw new Error(`node ${id} exists`)
    const node = this.createNode(id, 0)
    this.ids.push(id)
    this.nodes.set(id, node)
    node.participant.tick(this.time)
    this.flush(node)
    this.updateMembership()
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
    const participant = this.options.participant === 'driver'
      ? new DriverParticipant(id, this.options.channelId, opts, this.options.presenceOptions, this.options.presence && (this.options.announcers?.(id) ?? true),
        this.time, this.ids.length, this.options.probing, this.options.announcers !== undefined)
      : new CoreParticipant(id, this.options.channelId, opts)
    return {
      id,
      participant,
      get channel () { return participant.channel },
      set channel (channel) { participant.channel = channel },
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
    if (this.tree !== undefined) for (const id of this.tree.tick(this.time)) this.flushTree(id)
    for (const node of this.nodes.values()) {
      if (!node.alive || (node.pausedUntil ?? 0) > this.time) continue
      node.participant.tick(this.time)
      this.flush(node)
    }
  }

  private handle (event: SimEvent): void {
    if (event.type !== 'action') {
      // A paused node handles nothing until it resumes (the kernel keeps what arrives).
      const at = this.nodes.get(event.to)?.pausedUntil ?? 0
      if (at > this.time) { this.schedule({ ...event, at }); return }
    }
    switch (event.type) {
      case 'action':
        event.run()
        return
      case 'probe': {
        const node = this.live(event.to, event.toInc)
        if (node === undefined) return
        node.participant.probed(event.probeId, event.outcome, this.time)
        this.flush(node)
        return
      }
      case 'copy': {
        const node = this.live(event.to, event.toInc)
        if (node === undefined) return
        node.participant.receive(event.msg, this.time)
        this.flush(node)
        return
      }
      case 'pull':
        this.servePull(event.from, event.fromInc, event.to, event.pull)
        return
      case 'tree': {
        const node = this.live(event.to, event.toInc)
        if (node === undefined) return
        if (this.tree !== undefined && !this.tree.isSilent(node.id)) {
          this.tree.core(node.id)?.receive(event.msg.messageId, event.from, event.layer, this.time, { adjustment: event.adjustment, redundancy: event.redundancy })
          this.flushTree(node.id)
        }
        node.participant.receive(event.msg, this.time)
        this.flush(node)
        return
      }
      case 'tree-ack': {
        const node = this.live(event.to, event.toInc)
        if (node === undefined) return
        this.tree?.core(node.id)?.ack(event.id, event.from, this.time)
        return
      }
      case 'answer': {
        const node = this.live(event.to, event.toInc)
        if (node === undefined) return
        this.metrics.pullAnswers++
        node.participant.answered(event.pull, event.msgs, event.from, this.time)
        this.flush(node)
        return
      }
      case 'pull-failed': {
        const node = this.live(event.to, event.toInc)
        if (node === undefined) return
        node.participant.failed(event.pull, this.time)
        this.flush(node)
      }
    }
  }

  /** The node with this id when it is up and still the same incarnation. */
  private live (id: string, incarnation: number): SimNode | undefined {
    const node = this.nodes.get(id)
    return node === undefined || !node.alive || node.incarnation !== incarnation ? undefined : node
  }

  /** Tells every live node its mesh: the nearest `meshSize` reachable nodes on the ring of all ids, both ways (symmetric, as a gossipsub mesh is). */
  private updateMembership (): void {
    // RainTree's view: every participant the room knows, up or down (a crashed one is a silent target).
    this.tree?.setMembers(this.ids)
    if (this.options.participant !== 'driver') return
    const n = this.ids.length
    this.ids.forEach((id, i) => {
      const node = this.nodes.get(id)
      if (node === undefined || !node.alive) return
      const mesh: string[] = []
      for (let step = 1; 2 * step <= n && mesh.length < this.options.meshSize; step++) {
        for (const other of new Set([this.ids[(i + step) % n], this.ids[(i - step + n) % n]])) {
          if (mesh.length < this.options.meshSize && this.reachable(id, other)) mesh.push(other)
        }
      }
      // As the live redialer does: a neighbour lost to a crash or a cut fails its redial.
      const before = this.meshes.get(id) ?? []
      for (const lost of before.filter(p => !mesh.includes(p) && !this.reachable(id, p))) {
        const incarnation = node.incarnation
        this.at(this.time + this.options.redialFailMs, () => {
          const self = this.nodes.get(id)
          if (self === undefined || !self.alive || self.incarnation !== incarnation || this.reachable(id, lost)) return
          self.participant.unreachable(lost, this.time)
          this.flush(self)
        })
      }
      this.meshes.set(id, mesh)
      node.participant.membership(mesh, this.time)
      this.flush(node)
    })
  }

  /** Hands a node's outputs to the network and records its events. */
  private flush (node: SimNode): void {
    const out = node.participant.drain()
    for (const msg of out.outgoing) this.broadcast(node, msg)
    for (const pull of out.pulls) this.requestPull(node, pull)
    for (const probe of out.probes) this.probe(node, probe)
    for (const event of out.events) this.record(node, event)
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
    if (this.tree !== undefined) {
      this.treeMessages.set(msg.messageId, msg)
      this.tree.core(sender.id)?.broadcast(msg.messageId, this.time)
      this.flushTree(sender.id)
      if (!this.tree.options.alsoFlat) return
    }
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
      if (this.duplicated()) this.schedule({ type: 'copy', at: this.time + this.delay(), seq: 0, to: node.id, toInc: node.incarnation, msg })
    }
  }

  /** Carries the copies and ACKs a RainTree core produced over the lossy, delayed links. */
  private flushTree (id: string): void {
    const out = this.tree?.drain(id)
    if (out === undefined) return
    const sizer = this.options.sizer
    for (const send of out.sends) {
      const msg = this.treeMessages.get(send.messageId)
      const to = this.nodes.get(send.to)
      if (msg === undefined || to === undefined) continue
      this.metrics.copies++
      this.metrics.treeCopies++
      if (!this.reachable(id, to.id) || !this.deliverable(id, to.id, msg)) { this.metrics.copiesDropped++; continue }
      if (sizer !== undefined) {
        this.metrics.bytes[msg.kind] += sizer.message(msg)
        if (msg.kind === 'content') this.metrics.bytes.payload += msg.content.byteLength
      }
      this.schedule({ type: 'tree', at: this.time + this.delay(), seq: 0, to: to.id, toInc: to.incarnation, from: id, msg, layer: send.layer, adjustment: send.adjustment, redundancy: send.redundancy })
    }
    for (const ack of out.acks) {
      const to = this.nodes.get(ack.to)
      if (to === undefined || !this.reachable(id, to.id) || this.lossy(id, to.id)) continue
      this.metrics.treeAcks++
      this.schedule({ type: 'tree-ack', at: this.time + this.delay(), seq: 0, to: to.id, toInc: to.incarnation, from: id, id: ack.messageId })
    }
  }

  /**
   * Carries out one probe: a ping of the target (direct), or a request to a helper that pings it
   * and says ack or nack. Every hop is a lossy, delayed packet; a paused node answers when it
   * resumes. The outcome reaches the prober by the probe's timeout, else it is `failed`.
   */
  private probe (prober: SimNode, request: ProbeRequest): void {
    const start = this.time
    const deadline = start + request.timeoutMs
    /** When a ping from `a` (at `t`) to `b` is answered back at `a`, or undefined when lost. */
    const ping = (a: string, b: string, t: number): number | undefined => {
      if (!this.reachable(a, b) || this.lossy(a, b) || this.lossy(b, a)) return undefined
      const arrive = Math.max(t + this.delay(), this.nodes.get(b)?.pausedUntil ?? 0)
      return arrive + this.delay()
    }
    let outcome: ProbeOutcome = 'failed'
    let at = deadline
    if (request.via === undefined) {
      const back = ping(prober.id, request.target, start)
      if (back !== undefined && back <= deadline) { outcome = 'ack'; at = back }
    } else {
      const helper = request.via
      if (this.reachable(prober.id, helper) && !this.lossy(prober.id, helper)) {
        const reached = Math.max(start + this.delay(), this.nodes.get(helper)?.pausedUntil ?? 0)
        const pinged = ping(helper, request.target, reached)
        const probeTimeout = this.options.probeTimeoutMs
        const verdictAt = pinged !== undefined && pinged <= reached + probeTimeout ? pinged : reached + probeTimeout
        const helperOutcome: ProbeOutcome = pinged !== undefined && pinged <= reached + probeTimeout ? 'ack' : 'nack'
        if (this.reachable(helper, prober.id) && !this.lossy(helper, prober.id)) {
          const back = verdictAt + this.delay()
          if (back <= deadline) { outcome = helperOutcome; at = back }
        }
      }
    }
    this.schedule({ type: 'probe', at, seq: 0, to: prober.id, toInc: prober.incarnation, probeId: request.probeId, outcome })
  }

  private requestPull (requester: SimNode, pull: SimPull): void {
    this.metrics.pullRequests++
    const request = { messageIds: pull.ids, candidates: [], ...pull.scope }
    const tracked = pull.pullId !== undefined
    let tries = 0
    for (const target of pull.targets === 'any' ? this.anyPeers(requester.id) : pull.targets) {
      if (!tracked && tries++ > this.options.pullFallbacks) break
      if (!this.reachable(requester.id, target)) continue
      if (this.options.sizer !== undefined) this.metrics.bytes.pullRequests += this.options.sizer.pullRequest(request)
      if (this.lossy(requester.id, target)) {
        this.metrics.pullsDropped++
        this.failLater(requester, pull)
        return
      }
      this.schedule({ type: 'pull', at: this.time + this.delay(), seq: 0, from: requester.id, fromInc: requester.incarnation, to: target, pull })
      if (this.duplicated()) this.schedule({ type: 'pull', at: this.time + this.delay(), seq: 0, from: requester.id, fromInc: requester.incarnation, to: target, pull })
      return
    }
    this.metrics.pullsUnreachable++
    this.failLater(requester, pull)
  }

  /** A driver's pull attempt that gets no answer fails after the pull timeout, as a live one does. */
  private failLater (requester: SimNode, pull: SimPull): void {
    if (pull.pullId === undefined) return
    this.schedule({ type: 'pull-failed', at: this.time + this.options.pullTimeoutMs, seq: 0, to: requester.id, toInc: requester.incarnation, pull })
  }

  private servePull (from: string, fromInc: number, to: string, pull: SimPull): void {
    const server = this.nodes.get(to)
    const requester = this.live(from, fromInc)
    if (requester === undefined) return
    if (server === undefined || !server.alive) { this.failLater(requester, pull); return }
    const msgs = server.participant.answer(pull.ids, pull.scope)
    this.metrics.pulledMessages += msgs.length
    // The bare core's peers send no empty answer; a live repair stream always answers.
    if ((msgs.length === 0 && pull.pullId === undefined) || !this.reachable(to, from)) { this.failLater(requester, pull); return }
    if (this.options.sizer !== undefined) this.metrics.bytes.pullAnswers += this.options.sizer.pullAnswer(msgs)
    if (this.lossy(to, from)) { this.metrics.pullsDropped++; this.failLater(requester, pull); return }
    this.schedule({ type: 'answer', at: this.time + this.delay(), seq: 0, to: from, toInc: fromInc, from: to, pull, msgs })
    if (this.duplicated()) this.schedule({ type: 'answer', at: this.time + this.delay(), seq: 0, to: from, toInc: fromInc, from: to, pull, msgs })
  }

  /** Draws whether one copy is duplicated (counted). */
  private duplicated (): boolean {
    if (!(this.options.duplicateRate > 0 && this.random() < this.options.duplicateRate)) return false
    this.metrics.duplicated++
    return true
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
    if (this.silenced.size > 0 && (this.silenced.has(from) || this.silenced.has(to))) return true
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
