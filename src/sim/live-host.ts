/**
 * A host of live nodes: K real LiveSessions (libp2p with TCP, Noise, Yamux,
 * gossipsub and the DHT, plus the chat's room and reliability core) in this
 * process, on loopback with OS-assigned ports. It sends what the driver asks,
 * reports every send and every delivery its nodes' UI layer received (the room's
 * 'message' events; for raw sends the gossipsub messages of a second topic), with
 * timestamps, and injects message loss, duplication and reordering (between
 * gossipsub and the core), partitions and crashes on request.
 */

import { isNonForwarding } from './model-raintree.js'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { LiveSession } from '../session/session.js'
import { createRandom } from '../shared/index.js'
import { DEFAULT_CHANNEL_OPTIONS } from '../reliability/index.js'
import { decodeChatContent, encodeChatContent, encodeChatMessage } from '../wire/index.js'
import { toWireMessage } from '../room/core-adapter.js'
import { nowEpoch } from './clock.js'
import { gossipOptions } from './gossip-options.js'
import type { InboundFault } from '../room/faulty-path.js'
import { NO_FAULTS, REORDER_MAX_DELAY_MS, type HostApi, type HostSettings, type HostSink, type HostStats, type InjectedFaults, type NodeInfo, type NodeReadiness, type RosterView } from './live-types.js'
import { messageKey } from './plan.js'
import { bytesWritten } from './proc-io.js'
import { startProfile, type CpuProfile } from './profile.js'

/** One hosted node. */
interface Hosted {
  node: number
  session: LiveSession
  /** Indices this node showed last in raw mode (its would-be causal history). */
  recent: number[]
  gossipDuplicates: number
}

/** Hosts live nodes in this process. */
export class LiveHost implements HostApi {
  private readonly hosted = new Map<number, Hosted>()
  private readonly keys = new Map<number, PrivateKey>()
  private peers: string[] = []
  private faults: InjectedFaults = NO_FAULTS
  private baseline = { cpu: process.cpuUsage(), wchar: 0, gossip: 0, core: 0, raintree: 0, pulls: 0, resends: 0 }
  private retired = { gossip: 0, core: 0, raintree: 0, pulls: 0, resends: 0 }
  private stopProfile?: (file: string) => Promise<CpuProfile>
  private loopDelay?: IntervalHistogram
  /** Bytes this process wrote that are not network traffic (IPC, console); the owner adds to it. */
  consoleBytes = 0

  constructor (private readonly settings: HostSettings, private readonly sink: HostSink) {}

  private get rawTopic (): string {
    return `p2pchat/${this.settings.topic}/raw`
  }

  async startNodes (nodes: number[], bootstrap: string[]): Promise<NodeInfo[]> {
    return await Promise.all(nodes.map(async node => await this.startNode(node, bootstrap)))
  }

  private async startNode (node: number, bootstrap: string[]): Promise<NodeInfo> {
    const key = this.keys.get(node) ?? await generateKeyPair('Ed25519')
    this.keys.set(node, key)
    const draw = this.faultDrawer(createRandom((this.settings.seed * 7919 + node) >>> 0))
    const session = await LiveSession.start({
      topic: this.settings.topic,
      nick: `n${node}`,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      localPort: 0,
      bootstrap,
      privateKey: key,
      room: { paths: this.settings.paths ?? 'gossipsub', raintree: { forward: !isNonForwarding(this.settings.seed, `n${node}`, this.settings.nonForwarding ?? 0) }, inboundFaults: draw, repairFaults: this.repairLoss(createRandom((this.settings.seed * 7919 + node + 0x5eed) >>> 0)), channel: this.settings.channel, ...(this.settings.rendezvous ? {} : { rendezvous: false as const }) },
      gossipsub: gossipOptions(this.settings.gossip)
    })
    const hosted: Hosted = { node, session, recent: [], gossipDuplicates: 0 }
    this.hosted.set(node, hosted)
    countGossipDuplicates(session, () => { hosted.gossipDuplicates++ })
    this.listenRoom(hosted)
    if (this.settings.raw) this.listenRaw(hosted, draw)
    return { node, peerId: session.peerId, addr: session.identity().addresses[0] }
  }

  private listenRoom (h: Hosted): void {
    h.session.addEventListener('message', evt => {
      const line = evt.detail
      const key = messageKey(line.text)
      if (key === undefined) return
      const at = nowEpoch()
      const gaps = line.gapBefore
      this.sink.delivered(gaps !== undefined && gaps.length > 0 ? { ...key, node: h.node, at, gaps } : { ...key, node: h.node, at })
    })
  }

  /** Whether a pull attempt is lost under the current faults: its request or its answer, each with the loss probability. */
  private repairLoss (random: () => number): () => boolean {
    return () => {
      const { loss } = this.faults
      return loss > 0 && random() < 1 - (1 - loss) ** 2
    }
  }

  /** What happens to each inbound message under the current faults, drawn from `random`. */
  private faultDrawer (random: () => number): () => InboundFault {
    return () => {
      const { loss, dup, reorder } = this.faults
      if (loss > 0 && random() < loss) return { drop: true }
      return {
        duplicate: dup > 0 && random() < dup,
        delayMs: reorder > 0 && random() < reorder ? random() * REORDER_MAX_DELAY_MS : 0
      }
    }
  }

  private listenRaw (h: Hosted, draw: () => InboundFault): void {
    const pubsub = h.session.node.services.pubsub
    pubsub.subscribe(this.rawTopic)
    pubsub.addEventListener('message', evt => {
      if (evt.detail.topic !== this.rawTopic) return
      const content = decodeChatContent(evt.detail.data)
      const key = content.ok ? messageKey(content.value.text) : undefined
      if (key === undefined) return
      const fault = draw()
      if (fault.drop === true) return
      // Raw gossipsub has no duplicate filter above it: an injected duplicate reaches the UI twice.
      for (let copy = fault.duplicate === true ? 2 : 1; copy > 0; copy--) {
        if ((fault.delayMs ?? 0) > 0) setTimeout(() => { if (this.hosted.get(h.node) === h) this.showRaw(h, key.run, key.index, nowEpoch()) }, fault.delayMs)
        else this.showRaw(h, key.run, key.index, nowEpoch())
      }
    })
  }

  private showRaw (h: Hosted, run: number, index: number, at: number): void {
    this.sink.delivered({ run, node: h.node, index, at })
    h.recent.push(index)
    if (h.recent.length > DEFAULT_CHANNEL_OPTIONS.historyLength) h.recent.shift()
  }

  async readiness (): Promise<NodeReadiness[]> {
    return [...this.hosted.values()].map(h => ({
      node: h.node,
      topicPeers: h.session.topicPeerCount(),
      rawPeers: this.settings.raw ? h.session.node.services.pubsub.getSubscribers(this.rawTopic).length : h.session.topicPeerCount()
    }))
  }

  async setPeers (peers: string[]): Promise<void> {
    this.peers = peers
  }

  async beginMeasure (profile: boolean): Promise<void> {
    const totals = this.totals()
    for (const h of this.hosted.values()) h.recent = []
    this.baseline = { cpu: process.cpuUsage(), wchar: (bytesWritten() ?? 0) - this.consoleBytes, ...totals }
    this.loopDelay?.disable()
    this.loopDelay = monitorEventLoopDelay({ resolution: 5 })
    this.loopDelay.enable()
    if (profile) this.stopProfile = await startProfile()
  }

  send (run: number, node: number, index: number, text: string, raw: boolean): void {
    const h = this.hosted.get(node)
    if (h === undefined) return
    const at = nowEpoch()
    if (raw) {
      const deps = h.recent.map(i => `m${i}`)
      this.showRaw(h, run, index, at)
      this.sink.sent({ run, node, index, at, id: `m${index}`, deps })
      h.session.node.services.pubsub.publish(this.rawTopic, encodeChatContent({ nick: `n${node}`, text, action: false })).catch(() => {})
      return
    }
    void h.session.send(text)
    // The message just sent has the highest Lamport value this node knows, so it is last in canonical order.
    const msg = h.session.room.driver.channel.history(1)[0]
    const content = msg === undefined ? undefined : decodeChatContent(msg.content)
    if (msg === undefined || content === undefined || !content.ok || content.value.text !== text) {
      this.sink.sent({ run, node, index, at, id: '', deps: [] })
      return
    }
    const bytes = encodeChatMessage(toWireMessage(msg, h.session.node.peerId)).byteLength
    this.sink.sent({ run, node, index, at, id: msg.messageId, deps: msg.causalHistory.map(e => e.messageId), bytes, payload: msg.content.byteLength })
  }

  async partition (groupA: number[]): Promise<void> {
    const a = new Set(groupA)
    await Promise.all([...this.hosted.values()].map(async h => {
      const inA = a.has(h.node)
      const others = this.peers.filter((p, i) => p !== '' && i !== h.node && a.has(i) !== inA)
      await h.session.isolateFrom(others)
    }))
  }

  async heal (rediscover: boolean): Promise<void> {
    for (const h of this.hosted.values()) {
      h.session.heal()
      if (rediscover) h.session.room.rendezvous?.hurry()
    }
  }

  async crossConnections (groupA: number[]): Promise<Array<{ node: number, count: number }>> {
    const a = new Set(groupA)
    const side = new Map(this.peers.map((p, i) => [p, a.has(i)]))
    return [...this.hosted.values()].map(h => {
      const mine = a.has(h.node)
      const others = new Set(h.session.node.getConnections().map(c => c.remotePeer.toString()).filter(p => side.has(p) && side.get(p) !== mine))
      return { node: h.node, count: others.size }
    })
  }

  async crash (node: number, abrupt = false): Promise<number> {
    const h = this.hosted.get(node)
    if (h === undefined) return nowEpoch()
    const t = this.counters(h)
    this.retired.gossip += t.gossip
    this.retired.core += t.core
    this.retired.pulls += t.pulls
    this.retired.resends += t.resends
    this.hosted.delete(node)
    const at = abrupt ? resetEverySocket(h.session, this.peers) : nowEpoch()
    // After the reset the room's leave record and unsubscribe have no connection left to go out on.
    await h.session.stop().catch(() => {})
    return at
  }

  async rosterHas (peerId: string): Promise<RosterView[]> {
    return [...this.hosted.values()].map(h => {
      const others = h.session.who().filter(e => !e.self)
      return { node: h.node, at: nowEpoch(), listed: others.some(e => e.peerId === peerId), others: others.length, leaveTombstone: h.session.room.driver.presence.departure(peerId) === 'leave' }
    })
  }

  async restart (node: number, bootstrap: string[]): Promise<NodeInfo> {
    return await this.startNode(node, bootstrap)
  }

  setFaults (faults: InjectedFaults): void {
    this.faults = faults
  }

  private counters (h: Hosted): { gossip: number, core: number, raintree: number, pulls: number, resends: number } {
    const s = h.session.room.driver.channel.status()
    // The room's status adds the pulled copies it dropped as duplicates before verifying them.
    const duplicates = h.session.room.status().dropped.duplicate ?? 0
    return { gossip: h.gossipDuplicates, core: duplicates, raintree: h.session.room.raintree?.coreCounters().duplicates ?? 0, pulls: h.session.room.driver.counters().pullsMade, resends: s.resends }
  }

  private totals (): { gossip: number, core: number, raintree: number, pulls: number, resends: number } {
    const t = { ...this.retired }
    for (const h of this.hosted.values()) {
      const c = this.counters(h)
      t.gossip += c.gossip
      t.core += c.core
      t.raintree += c.raintree
      t.pulls += c.pulls
      t.resends += c.resends
    }
    return t
  }

  async endMeasure (profileFile?: string): Promise<HostStats> {
    const cpu = process.cpuUsage(this.baseline.cpu)
    const wchar = bytesWritten()
    const t = this.totals()
    const memory = process.memoryUsage()
    const loop = this.loopDelay
    loop?.disable()
    const eventLoop = loop === undefined || loop.count === 0
      ? { p50: Number.NaN, p99: Number.NaN, max: Number.NaN }
      : { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
    let written: string | undefined
    if (this.stopProfile !== undefined && profileFile !== undefined) {
      await this.stopProfile(profileFile)
      written = profileFile
    }
    this.stopProfile = undefined
    return {
      cpuMs: { user: cpu.user / 1000, system: cpu.system / 1000 },
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      ...(wchar !== undefined ? { wireBytes: wchar - this.consoleBytes - this.baseline.wchar } : {}),
      gossipDuplicates: t.gossip - this.baseline.gossip,
      coreDuplicates: t.core - this.baseline.core,
      raintreeDuplicates: t.raintree - this.baseline.raintree,
      pulls: t.pulls - this.baseline.pulls,
      resends: t.resends - this.baseline.resends,
      eventLoop,
      ...(written !== undefined ? { profileFile: written } : {})
    }
  }

  async stop (): Promise<void> {
    const all = [...this.hosted.values()]
    this.hosted.clear()
    await Promise.all(all.map(async h => { await h.session.stop().catch(() => {}) }))
  }
}

/** The part of the gossipsub implementation that sees every duplicate copy (not in its public interface). */
interface DuplicateHook { score?: { duplicateMessage?: (from: string, msgIdStr: string, topic: string) => void } }

/** Counts the copies gossipsub drops as duplicates (it reports each to its peer score); a no-op if the hook moved. */
function countGossipDuplicates (session: LiveSession, count: () => void): void {
  const score = (session.node.services.pubsub as unknown as DuplicateHook).score
  const original = score?.duplicateMessage
  if (score === undefined || original === undefined) return
  score.duplicateMessage = (from, msgIdStr, topic) => { count(); original.call(score, from, msgIdStr, topic) }
}

/** The part of a libp2p connection under the muxer: the transport's socket (not in its public interface). */
interface RawConnection { maConn?: { abort?: (err: Error) => void } }

/**
 * A kill -9 of one node of this process, as its peers see it: every cluster peer is refused
 * both ways first (the gater: no new connection can carry anything, a redial fails), then the
 * TCP socket under every connection is reset at once (RST; no yamux GoAway or stream resets, no
 * gossipsub unsubscribe, no leave record). Falls back to `Connection.abort` (which also sends a
 * GoAway) if the socket cannot be reached. Returns the epoch ms of the reset.
 */
function resetEverySocket (session: LiveSession, peers: string[]): number {
  for (const p of peers) if (p !== '' && p !== session.peerId) session.blocklist.block(p)
  const connections = session.node.getConnections()
  for (const c of connections) session.blocklist.block(c.remotePeer)
  const at = nowEpoch()
  const crashed = new Error('crashed (simulated kill -9)')
  for (const c of connections) {
    const raw = (c as unknown as RawConnection).maConn
    try {
      if (typeof raw?.abort === 'function') raw.abort(crashed)
      else c.abort(crashed)
    } catch {}
  }
  return at
}

