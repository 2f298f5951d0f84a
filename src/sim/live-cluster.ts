/**
 * A running live network for one or more runs: real nodes spread over hosts
 * (this process, or worker processes), all bootstrapped from node 0 and then
 * finding each other through the DHT rendezvous as the chat does. `run` plays a
 * plan on it in real time (sends, loss, late joins, partitions, crashes) and
 * returns what was measured; several runs (reliable and raw, or rising rates)
 * can share one cluster, so they see the same topology.
 */

import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { encodeChatContent } from '../wire/index.js'
import { nowEpoch, sleep } from './clock.js'
import { createRandom } from '../shared/index.js'
import type { ChannelOptions } from '../reliability/index.js'
import type { GossipTuning, SimConfig, Topology } from './config.js'
import { DeliveryLedger } from './ledger.js'
import { LiveHost } from './live-host.js'
import { NO_FAULTS, type DeliveredEvent, type HostApi, type HostSettings, type HostStats, type InjectedFaults, type SentEvent } from './live-types.js'
import type { RunMeasurement } from './measurement.js'
import type { RunPlan } from './plan.js'
import { summarizeProfiles, type CpuProfile } from './profile.js'
import type { ProgressSink } from './progress.js'
import { WorkerHost } from './worker-host.js'

/** Node starts are spread over this long, so periodic work does not run in lock-step (ms). */
const START_SPREAD_MS = 10_000
/** Largest gap between two node starts (ms). */
const MAX_START_SPACING_MS = 400
/** Time for gossipsub to graft meshes once peers are known (two default heartbeats). */
const MESH_SETTLE_MS = 2000

/** How to build a cluster. */
export interface ClusterOptions {
  /** Total nodes (indices 0..nodes-1). */
  nodes: number
  /** Nodes to start now (the rest join during a run); default all. */
  initial?: number[]
  /** Worker processes (0 = this process). */
  workers: number
  topic: string
  seed: number
  gossip: GossipTuning
  /** Reliability-core tuning. @default {} */
  channel?: Partial<ChannelOptions>
  /** Subscribe to the raw topic too (for runs without the reliability core). */
  raw: boolean
  /** How nodes find each other. @default rendezvous */
  topology?: Topology
  /** Quiet time after the network formed (ms). */
  warmupMs: number
  /** Longest wait for every node to see its first room peers (ms). @default 60 s + 500 ms per node */
  formationTimeoutMs?: number
  /** The rooms' broadcast paths. @default 'gossipsub' */
  paths?: 'gossipsub' | 'raintree+gossipsub' | 'raintree'
  /** Share of nodes that never forward RainTree copies (0–1). @default 0 */
  nonForwarding?: number
}

/** How long after a heal the cluster watches for connections across the cut (ms). */
const RECONNECT_WATCH_MS = 120_000

interface RunState {
  run: number
  t0: number
  ledger: DeliveryLedger
  idIndex: Map<string, number>
  depIds: string[][]
  sizes: Array<{ bytes: number, payload: number } | undefined>
  reconnect: Array<{ end: number, firstMs: number, allMs: number }>
  /** Set when the run is over: stops the reconnect watchers. */
  done: boolean
}

/** A live network of nodes. */
export class LiveCluster {
  /** Peer id of each node (empty until started). */
  readonly peers: string[]
  /** Wall time it took to form the network (ms). */
  setupMs = 0
  /** What the reader should know about how the network formed. */
  readonly formation: string[] = []
  private state?: RunState
  private bootstrap: string[] = []
  /** Dialable address of each started node. */
  private readonly addrs: string[]
  private readonly random: () => number
  /** The host that runs a node. */
  readonly hostOf: (node: number) => HostApi

  private constructor (readonly options: ClusterOptions, readonly hosts: HostApi[]) {
    this.peers = new Array(options.nodes).fill('')
    this.addrs = new Array(options.nodes).fill('')
    this.random = createRandom(options.seed ^ 0x70b0)
    this.hostOf = node => hosts[node % hosts.length]
  }

  /** Starts the nodes and waits until every one sees its room peers, the meshes settled and the warm-up passed. */
  static async start (options: ClusterOptions): Promise<LiveCluster> {
    const began = performance.now()
    const settings: HostSettings = { topic: options.topic, seed: options.seed, gossip: options.gossip, channel: options.channel ?? {}, raw: options.raw, rendezvous: options.topology?.kind !== 'random', paths: options.paths ?? 'gossipsub', nonForwarding: options.nonForwarding ?? 0 }
    let cluster: LiveCluster | undefined
    const sink = {
      sent: (e: SentEvent) => { cluster?.onSent(e) },
      delivered: (e: DeliveredEvent) => { cluster?.onDelivered(e) }
    }
    const hosts: HostApi[] = options.workers === 0
      ? [new LiveHost(settings, sink)]
      : Array.from({ length: options.workers }, () => new WorkerHost(settings, sink))
    cluster = new LiveCluster(options, hosts)
    try {
      await cluster.form(options.initial ?? Array.from({ length: options.nodes }, (_, i) => i))
    } catch (err) {
      await cluster.stop()
      throw err
    }
    cluster.setupMs = performance.now() - began
    return cluster
  }

  private async form (initial: number[]): Promise<void> {
    const [first] = await this.hostOf(0).startNodes([0], [])
    this.bootstrap = [first.addr]
    this.peers[0] = first.peerId
    this.addrs[0] = first.addr
    const rest = initial.filter(i => i !== 0)
    // Starts are spread over about 10 s: each node's periodic work (libp2p pings every connection
    // every 10 s, gossipsub heartbeats every 1 s, room ticks) then runs at its own phase, as on
    // separate machines, instead of all nodes of the cluster bursting in the same millisecond.
    const spacing = Math.min(MAX_START_SPACING_MS, START_SPREAD_MS / Math.max(1, rest.length))
    const starting: Array<Promise<void>> = []
    for (const node of rest) {
      await sleep(spacing)
      const bootstrap = this.bootstrapFor()
      starting.push(this.hostOf(node).startNodes([node], bootstrap).then(([info]) => {
        this.peers[info.node] = info.peerId
        this.addrs[info.node] = info.addr
      }))
    }
    await Promise.all(starting)
    await this.waitReady(rest.length + 1, this.options.formationTimeoutMs ?? 60_000 + this.options.nodes * 500)
    await sleep(MESH_SETTLE_MS + this.options.warmupMs)
    await Promise.all(this.hosts.map(async h => { await h.setPeers(this.peers) }))
  }

  /** Addresses a starting node dials: node 0 (rendezvous), or K random started nodes. */
  private bootstrapFor (): string[] {
    const topology = this.options.topology
    if (topology === undefined || topology.kind === 'rendezvous') return this.bootstrap
    const started = this.addrs.filter(a => a !== '')
    const out = new Set<string>()
    while (out.size < Math.min(topology.degree, started.length)) out.add(started[Math.floor(this.random() * started.length)])
    return [...out]
  }

  /** Waits until every started node sees min(n - 1, 4) peers on the room topic (and the raw one). */
  private async waitReady (nodes: number, timeoutMs: number): Promise<void> {
    const need = Math.min(nodes - 1, 4)
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const all = (await Promise.all(this.hosts.map(async h => await h.readiness()))).flat()
      if (all.length >= nodes && all.every(r => r.topicPeers >= need && r.rawPeers >= need)) return
      if (Date.now() > deadline) {
        const behind = all.filter(r => r.topicPeers < need || r.rawPeers < need).length
        const what = `${behind} of ${nodes} nodes saw fewer than ${need} room peers after ${Math.round(timeoutMs / 1000)} s`
        // Connected to at least one room peer (node 0): the run can go on, and say so.
        if (all.length >= nodes && all.every(r => r.topicPeers >= 1 && r.rawPeers >= 1)) { this.formation.push(`${what}; ran anyway`); return }
        throw new Error(`the live network did not form: ${what}`)
      }
      await sleep(100)
    }
  }

  private onSent (e: SentEvent): void {
    const s = this.state
    if (s === undefined || e.run !== s.run) return
    if (e.id !== '') s.idIndex.set(e.id, e.index)
    s.depIds[e.index] = e.deps
    if (e.bytes !== undefined && e.payload !== undefined) s.sizes[e.index] = { bytes: e.bytes, payload: e.payload }
    s.ledger.sent(e.index, e.node, e.at - s.t0, [])
  }

  private onDelivered (e: DeliveredEvent): void {
    const s = this.state
    if (s === undefined || e.run !== s.run) return
    const gaps = e.gaps?.map(id => s.idIndex.get(id)).filter((i): i is number => i !== undefined)
    s.ledger.delivered(e.node, e.index, e.at - s.t0, gaps)
  }

  /** Plays `plan` (reliable unless `config.reliability` is false) and measures it. */
  async run (config: SimConfig, plan: RunPlan, progress?: ProgressSink): Promise<RunMeasurement> {
    const began = performance.now()
    const raw = !config.reliability
    if (raw && !this.options.raw) throw new Error('this cluster was started without the raw topic')
    const ledger = new DeliveryLedger(plan.nodes, plan.sends.length, plan.joinAt)
    const state: RunState = { run: plan.run, t0: Number.POSITIVE_INFINITY, ledger, idIndex: new Map(), depIds: [], sizes: [], reconnect: [], done: false }
    this.state = state
    const notes: string[] = []
    await Promise.all(this.hosts.map(async h => { await h.beginMeasure(config.cpuProf !== undefined) }))
    const measureStart = performance.now()
    const actions = this.actions(config, plan, state, raw)
    const lastEvent = Math.max(0, ...actions.map(a => a.at))

    state.t0 = nowEpoch() + 20
    const running: Array<Promise<unknown>> = []
    let lastProgress = 0
    for (const action of actions) {
      const wait = state.t0 + action.at - nowEpoch()
      if (wait > 0) await sleep(wait)
      const result = action.run()
      if (result !== undefined) running.push(result.catch((err: Error) => { notes.push(`fault action failed: ${err.message}`) }))
      if (progress !== undefined && nowEpoch() - lastProgress > 250) {
        lastProgress = nowEpoch()
        const p = ledger.progress()
        progress.update(p.delivered, p.expected, performance.now() - began, Math.max(0, state.t0 + lastEvent - nowEpoch()))
      }
    }
    await Promise.all(running)
    const deadline = state.t0 + lastEvent + config.timeoutMs
    let converged = false
    while (nowEpoch() < deadline) {
      const p = ledger.progress()
      progress?.update(p.delivered, p.expected, performance.now() - began)
      if (p.delivered === p.expected && ledger.sentCount === plan.sends.length) { converged = true; break }
      await sleep(25)
    }
    const endAt = nowEpoch() - state.t0
    state.done = true
    const measuredWallMs = performance.now() - measureStart
    const files = this.hosts.map((_, k) => config.cpuProf === undefined ? undefined : this.hosts.length === 1 ? config.cpuProf : `${config.cpuProf.replace(/\.cpuprofile$/, '')}.w${k}.cpuprofile`)
    const stats: HostStats[] = await Promise.all(this.hosts.map(async (h, k) => await h.endMeasure(files[k])))
    this.state = undefined
    for (const h of this.hosts) h.setFaults(NO_FAULTS)
    for (let i = 0; i < plan.sends.length; i++) {
      ledger.setDeps(i, (state.depIds[i] ?? []).map(id => state.idIndex.get(id)).filter((d): d is number => d !== undefined))
    }
    return await this.measurement(config, plan, state, stats, files, { endAt, converged, measuredWallMs, wallMs: performance.now() - began, notes })
  }

  private actions (config: SimConfig, plan: RunPlan, state: RunState, raw: boolean): Array<{ at: number, run: () => Promise<unknown> | undefined }> {
    const { ledger } = state
    const actions: Array<{ at: number, run: () => Promise<unknown> | undefined }> = []
    const all = async (f: (h: HostApi) => Promise<unknown>): Promise<unknown> => await Promise.all(this.hosts.map(f))
    for (const s of plan.sends) actions.push({ at: s.at, run: () => { this.hostOf(s.sender).send(plan.run, s.sender, s.index, s.text, raw); return undefined } })
    plan.joinAt.forEach((at, node) => {
      if (at > 0) {
        actions.push({
          at,
          run: async () => {
            ledger.started(node, at)
            const [info] = await this.hostOf(node).startNodes([node], this.bootstrapFor())
            this.peers[info.node] = info.peerId
            this.addrs[info.node] = info.addr
            await all(async h => { await h.setPeers(this.peers) })
          }
        })
      }
    })
    for (const c of plan.crashes) {
      actions.push({ at: c.at, run: async () => { ledger.stopped(c.node); await this.hostOf(c.node).crash(c.node) } })
      actions.push({ at: c.restartAt, run: async () => { ledger.started(c.node, c.restartAt); await this.hostOf(c.node).restart(c.node, this.bootstrapFor()) } })
    }
    for (const p of plan.partitions) {
      actions.push({ at: p.start, run: async () => await all(async h => { await h.partition(p.groupA) }) })
      actions.push({
        at: p.end,
        run: async () => {
          await all(async h => { await h.heal(config.healRediscover) })
          void this.watchReconnect(state, p.groupA, p.end)
        }
      })
    }
    if (config.loss > 0 || config.dup > 0 || config.reorder > 0) {
      const faults: InjectedFaults = { loss: config.loss, dup: config.dup, reorder: config.reorder }
      actions.push({ at: 0, run: () => { for (const h of this.hosts) h.setFaults(faults); return undefined } })
      actions.push({ at: plan.lossEnd + 1, run: () => { for (const h of this.hosts) h.setFaults(NO_FAULTS); return undefined } })
    }
    // Faults switch on before the first send at the same instant.
    return actions.sort((a, b) => a.at - b.at)
  }

  private async measurement (config: SimConfig, plan: RunPlan, state: RunState, stats: HostStats[], files: Array<string | undefined>,
    t: { endAt: number, converged: boolean, measuredWallMs: number, wallMs: number, notes: string[] }): Promise<RunMeasurement> {
    const { ledger } = state
    const sum = (f: (s: HostStats) => number): number => stats.reduce((a, s) => a + f(s), 0)
    const wire = stats.every(s => s.wireBytes !== undefined) ? sum(s => s.wireBytes ?? 0) : undefined
    const contentSize = plan.sends.map(s => encodeChatContent({ nick: `n${s.sender}`, text: s.text, action: false }).byteLength)
    let payloadBytes = 0
    for (let n = 0; n < plan.nodes; n++) {
      for (let i = 0; i < plan.sends.length; i++) if (!Number.isNaN(ledger.firstAt[n][i]) && ledger.sender[i] !== n) payloadBytes += contentSize[i]
    }
    const notes = [...this.formation, ...t.notes]
    if (this.hosts.length > 1) notes.push(`${this.hosts.length} worker processes; CPU and memory are theirs (the driver process is not counted)`)
    else notes.push('nodes and driver share this process; CPU and memory include the driver')
    if (wire === undefined) notes.push('wire bytes need /proc (Linux); not measured here')
    const profiles: CpuProfile[] = []
    for (const file of files) if (file !== undefined) profiles.push(JSON.parse(await readFile(file, 'utf8')) as CpuProfile)
    return {
      config,
      plan,
      ledger,
      endAt: t.endAt,
      converged: t.converged,
      wallMs: t.wallMs,
      setupMs: this.setupMs,
      measuredWallMs: t.measuredWallMs,
      processes: this.hosts.length,
      ...(wire !== undefined
        ? { traffic: { wireBytes: wire, payloadBytes, breakdown: {}, scope: 'every byte the hosting processes wrote to their sockets during the run (Noise frames of gossipsub incl. mesh duplicates and control, DHT, identify, ping, repair); no TCP/IP headers' } }
        : {}),
      messageOverhead: state.sizes.filter((s): s is { bytes: number, payload: number } => s !== undefined).map(s => s.bytes - s.payload),
      duplicatesReceived: config.reliability ? { gossipsub: sum(s => s.gossipDuplicates), core: sum(s => s.coreDuplicates), raintree: sum(s => s.raintreeDuplicates) } : { gossipsub: sum(s => s.gossipDuplicates) },
      pulls: sum(s => s.pulls),
      resends: sum(s => s.resends),
      cpuMs: { user: sum(s => s.cpuMs.user), system: sum(s => s.cpuMs.system) },
      memory: { rss: sum(s => s.rss), heapUsed: sum(s => s.heapUsed) },
      eventLoop: stats.map(s => s.eventLoop),
      ...(state.reconnect.length > 0 ? { reconnect: state.reconnect } : {}),
      ...(profiles.length > 0 ? { profile: summarizeProfiles(profiles, files.filter((f): f is string => f !== undefined)) } : {}),
      notes
    }
  }

  /** Records when connections across a healed cut come back: the first node, and every node. */
  private async watchReconnect (state: RunState, groupA: number[], end: number): Promise<void> {
    const record = { end, firstMs: Number.NaN, allMs: Number.NaN }
    state.reconnect.push(record)
    const healedAt = state.t0 + end
    while (!state.done && nowEpoch() - healedAt < RECONNECT_WATCH_MS) {
      const counts = (await Promise.all(this.hosts.map(async h => await h.crossConnections(groupA)))).flat()
      const since = nowEpoch() - healedAt
      if (Number.isNaN(record.firstMs) && counts.some(c => c.count > 0)) record.firstMs = since
      if (counts.length > 0 && counts.every(c => c.count > 0)) { record.allMs = since; return }
      await sleep(100)
    }
  }

  /** Stops every node and worker. */
  async stop (): Promise<void> {
    await Promise.all(this.hosts.map(async h => { await h.stop().catch(() => {}) }))
  }
}

/** A fresh topic name for a run. */
export function freshTopic (): string {
  return `sim-${process.pid}-${randomBytes(4).toString('hex')}`
}
