/**
 * A small pure presence simulator (model mode), used by the presence tests and the
 * presence-bandwidth benchmark: N `Presence` instances exchanging
 * their messages through a seeded in-memory broadcast (every message reaches every
 * other live peer, each copy lost with probability `loss`) in virtual time.
 * Peer ids are real libp2p Ed25519 peer ids made from seeded bytes, so the default
 * origin check (multihash bytes vs the sender string) runs as in production.
 */
import { base58btc } from 'multiformats/bases/base58'
import { createRandom } from '../shared/index.js'
import { DEFAULT_PRESENCE_OPTIONS, decodeEphemeral, encodeEphemeral, Presence, type EphemeralMessage, type PresenceEvent, type PresenceOptions } from '../presence/index.js'
import { encodeChatMessage } from '../wire/index.js'

/** A deterministic Ed25519-style peer id (identity multihash of a protobuf public key). */
export function makePeerId (random: () => number): string {
  const bytes = new Uint8Array(38)
  bytes.set([0x00, 36, 0x08, 0x01, 0x12, 0x20])
  for (let i = 6; i < 38; i++) bytes[i] = Math.floor(random() * 256)
  return base58btc.encode(bytes).slice(1)
}

/** Multihash bytes of one of `makePeerId`'s ids. */
export function peerBytes (peerId: string): Uint8Array {
  return base58btc.decode(`z${peerId}`)
}

/** Per-node traffic received. */
export interface Traffic {
  messages: number
  bytes: number
  byType: Record<EphemeralMessage['type'], number>
}

export interface NetNode {
  id: string
  presence: Presence
  alive: boolean
  received: Traffic
  events: PresenceEvent[]
}

export interface NetOptions {
  seed: number
  /** Probability that one copy (one message to one receiver) is lost. @default 0 */
  loss: number
  /** Virtual time step: every live node is ticked once per step. @default 1000 */
  stepMs: number
  /** Options for every Presence. */
  presence: Partial<PresenceOptions>
  /** Keep drained events per node (off for big runs). @default true */
  keepEvents: boolean
  /** Virtual clock at the start (a realistic epoch-ms value makes realistic varint sizes). @default 0 */
  startAt: number
}

function emptyTraffic (): Traffic {
  return { messages: 0, bytes: 0, byType: { presence: 0, leave: 0, lost: 0, suspect: 0, poll: 0, reply: 0 } }
}

/** In-memory broadcast network of Presence instances in virtual time. */
export class PresenceNet {
  readonly opts: NetOptions
  readonly random: () => number
  readonly nodes: NetNode[] = []
  private readonly byId = new Map<string, NetNode>()
  now = 0
  /** Copies delivered and lost, all nodes together. */
  copies = 0
  lost = 0

  constructor (options: Partial<NetOptions> = {}) {
    this.opts = { seed: 1, loss: 0, stepMs: 1000, presence: {}, keepEvents: true, startAt: 0, ...options }
    this.random = createRandom(this.opts.seed)
    this.now = this.opts.startAt
  }

  /** Adds a node (not joined yet). */
  add (options: Partial<PresenceOptions> = {}): NetNode {
    const id = makePeerId(this.random)
    const seed = Math.floor(this.random() * 2 ** 32)
    const presence = new Presence(id, { random: createRandom(seed), ...this.opts.presence, ...options })
    const node: NetNode = { id, presence, alive: true, received: emptyTraffic(), events: [] }
    this.nodes.push(node)
    this.byId.set(id, node)
    return node
  }

  /** Adds `n` nodes and joins each of them now (their first announcements are broadcast). */
  addJoined (n: number, options: Partial<PresenceOptions> = {}): NetNode[] {
    const added: NetNode[] = []
    for (let i = 0; i < n; i++) {
      const node = this.add(options)
      node.presence.join(this.now)
      added.push(node)
    }
    for (const node of added) this.flush(node)
    return added
  }

  node (id: string): NetNode {
    const node = this.byId.get(id)
    if (node === undefined) throw new Error(`no node ${id}`)
    return node
  }

  live (): NetNode[] {
    return this.nodes.filter((n) => n.alive)
  }

  /** Stops a node without a leave: it neither ticks, sends nor receives any more. */
  kill (node: NetNode): void {
    node.alive = false
  }

  /** A clean quit: the node's leave is broadcast and it stops. */
  quit (node: NetNode): void {
    const bytes = node.presence.leave(this.now)
    if (bytes !== undefined) this.broadcast(node, bytes)
    node.alive = false
  }

  /** Delivers one message from `from` to every other live node (each copy may be lost). */
  broadcast (from: NetNode, bytes: Uint8Array, sender = from.id): void {
    const decoded = decodeEphemeral(bytes)
    const type = decoded.ok ? decoded.value.type : 'presence'
    for (const to of this.nodes) {
      if (to === from || !to.alive) continue
      this.copies++
      if (this.opts.loss > 0 && this.random() < this.opts.loss) {
        this.lost++
        continue
      }
      this.deliver(to, bytes, sender, type)
    }
  }

  /** Delivers to one node (counted as received traffic). */
  deliver (to: NetNode, bytes: Uint8Array, sender: string, type: EphemeralMessage['type'] = 'presence'): void {
    to.received.messages++
    to.received.bytes += bytes.byteLength
    to.received.byType[type]++
    to.presence.receive(bytes, sender, this.now)
  }

  /** Broadcasts everything a node has queued and collects its events. */
  flush (node: NetNode): void {
    for (const bytes of node.presence.drainOutgoing()) this.broadcast(node, bytes)
    const events = node.presence.drainEvents()
    if (this.opts.keepEvents) node.events.push(...events)
  }

  /** One step: time advances by `stepMs`, every live node ticks, its output is delivered. */
  step (): void {
    this.now += this.opts.stepMs
    for (const node of this.nodes) {
      if (!node.alive) continue
      node.presence.tick(this.now)
      this.flush(node)
    }
    for (const node of this.nodes) if (node.alive && this.opts.keepEvents) node.events.push(...node.presence.drainEvents())
  }

  runFor (ms: number): void {
    const end = this.now + ms
    while (this.now < end) this.step()
  }

  /** Runs until `predicate` holds or `maxMs` passed; returns the time it took (Infinity when it never held). */
  runUntil (predicate: () => boolean, maxMs: number): number {
    const start = this.now
    while (!predicate()) {
      if (this.now - start >= maxMs) return Number.POSITIVE_INFINITY
      this.step()
    }
    return this.now - start
  }

  /** Resets every node's received-traffic counters. */
  resetTraffic (): void {
    for (const node of this.nodes) node.received = emptyTraffic()
  }
}

/** Bytes on the wire of one ephemeral payload: the ChatMessage it travels in, plus gossipsub framing. */
export function wireBytes (payload: Uint8Array, topic = 'p2pchat/general'): number {
  const chat = encodeChatMessage({
    kind: 'ephemeral',
    messageId: '00'.repeat(16),
    senderId: new Uint8Array(38).fill(7),
    channelId: topic,
    lamport: 1_750_000_000_000,
    causalHistory: [],
    bloomFilter: new Uint8Array(0),
    content: payload
  }).byteLength
  // Gossipsub Message: from (38 + 2), seqno (8 + 2), topic (len + 2), signature (64 + 2),
  // data length prefix (2–3); RPC framing and the publish wrapper (~5).
  return chat + 40 + 10 + topic.length + 2 + 66 + 3 + 5
}

/** An encoded record signed (claimed) by `origin` with overrides, for adversarial tests. */
export function record (origin: string, fields: Partial<Extract<EphemeralMessage, { type: 'presence' }>> = {}): Uint8Array {
  return encodeEphemeral({
    type: 'presence',
    envelopeId: fields.envelopeId ?? randomHex(),
    origin: fields.origin ?? peerBytes(origin),
    version: 1,
    issuedAt: 0,
    ttlSeconds: 90,
    nick: 'x',
    status: '',
    away: false,
    client: 'test',
    joinedAt: 0,
    periodMs: 30_000,
    ...fields
  })
}

let hexCounter = 0
/** A fresh 16-byte id as hex (deterministic). */
export function randomHex (): string {
  hexCounter++
  return hexCounter.toString(16).padStart(32, '0')
}

const { basePeriodMs, largeRoomThreshold, jitter } = DEFAULT_PRESENCE_OPTIONS
/** Mean interval between announcements is (1 − jitter/2)·period. */
const MEAN_FACTOR = 1 - jitter / 2
/** What any peer receives per minute at most, in steady state, whatever the room size. */
export const PRESENCE_BOUND_PER_MIN = largeRoomThreshold * 60_000 / (MEAN_FACTOR * basePeriodMs)

/** Presence traffic one peer receives in steady state. */
export interface PresenceBandwidthRow { peers: number, periodS: number, msgsPerMin: number, maxMsgsPerMin: number, bytesPerMin: number, wireBytesPerMin: number, expectedPerMin: number, minRoster: number }

/** Measures the presence records and bytes each peer receives per minute in a room of `peers`. */
export function measurePresenceBandwidth (peers: number, seed: number): PresenceBandwidthRow {
  const net = new PresenceNet({ seed, keepEvents: false, startAt: 1_750_000_000_000, presence: { client: 'p2pchat/0.1.0' } })
  const period = Math.max(basePeriodMs, basePeriodMs * peers / largeRoomThreshold)
  // Peers arrive spread over one period (a burst of simultaneous joins would phase-lock everyone).
  const joinEvery = Math.max(1, Math.floor(period / peers / net.opts.stepMs)) * net.opts.stepMs
  for (let i = 0; i < peers; i++) {
    const [node] = net.addJoined(1, { nick: `user${i}` })
    node.presence.setStatus(i % 3 === 0 ? 'working on the release' : '', net.now)
    net.flush(node)
    if ((i + 1) % Math.max(1, Math.round(peers * joinEvery / period)) === 0) net.runFor(joinEvery)
  }
  net.runFor(period)
  net.resetTraffic()
  const window = Math.max(10 * 60_000, 2 * period)
  net.runFor(window)
  const minutes = window / 60_000
  const msgs = net.nodes.map((n) => n.received.messages / minutes)
  const bytes = net.nodes.reduce((s, n) => s + n.received.bytes, 0) / peers / minutes
  const msgsPerMin = msgs.reduce((a, b) => a + b, 0) / peers
  const avgPayload = bytes / msgsPerMin
  return {
    peers,
    periodS: net.nodes[0].presence.status(net.now).periodMs / 1000,
    msgsPerMin: Math.round(msgsPerMin * 10) / 10,
    maxMsgsPerMin: Math.round(Math.max(...msgs) * 10) / 10,
    bytesPerMin: Math.round(bytes),
    wireBytesPerMin: Math.round(msgsPerMin * wireBytes(new Uint8Array(Math.round(avgPayload)))),
    expectedPerMin: Math.round((peers - 1) * 60_000 / (MEAN_FACTOR * period) * 10) / 10,
    minRoster: Math.min(...net.nodes.map((n) => n.presence.rosterCount(net.now)))
  }
}

