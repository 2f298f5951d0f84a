/**
 * The contract between the live driver and the hosts that run its nodes (in
 * this process or in worker processes): commands, the events hosts report
 * (sends and UI deliveries with timestamps), and the statistics they return.
 * Everything is plain JSON, so it crosses the IPC channel unchanged.
 */

import type { ChannelOptions } from '../reliability/index.js'
import type { GossipTuning } from './config.js'

/** Settings every host needs. */
export interface HostSettings {
  topic: string
  seed: number
  gossip: GossipTuning
  /** Reliability-core tuning (JSON-safe values only). */
  channel: Partial<ChannelOptions>
  /** Also subscribe every node to the raw topic (runs without the reliability core). */
  raw: boolean
  /** Run the room's DHT rendezvous loop (off for the random topology). */
  rendezvous: boolean
  /** The rooms' broadcast paths. @default 'gossipsub' */
  paths?: 'gossipsub' | 'raintree+gossipsub' | 'raintree'
  /** Share of nodes that take RainTree copies but never forward or ACK them (0–1). @default 0 */
  nonForwarding?: number
}

/** A started node. */
export interface NodeInfo { node: number, peerId: string, addr: string }

/** A node's view of the room, for readiness. */
export interface NodeReadiness { node: number, topicPeers: number, rawPeers: number }

/** Whether a hosted node's presence roster lists a given peer. */
export interface RosterView {
  node: number
  /** Epoch ms the roster was read. */
  at: number
  /** The peer is in this node's roster (its `who` list). */
  listed: boolean
  /** Other peers in this node's roster (itself not counted). */
  others: number
  /** This node buried the peer as a leave (a leave record or an unsubscribe reached it). */
  leaveTombstone: boolean
}

/** A message a node sent: `id` (hex for the core, `m<index>` raw) and the ids it named as causal history. */
export interface SentEvent {
  run: number
  node: number
  index: number
  at: number
  id: string
  deps: string[]
  /** Encoded ChatMessage bytes as published, and the content part of it (reliable mode). */
  bytes?: number
  payload?: number
}

/** A message a node's UI layer received; `gaps` are dependency ids it declared lost. */
export interface DeliveredEvent { run: number, node: number, index: number, at: number, gaps?: string[] }

/** What a host reports as it goes. */
export interface HostSink {
  sent: (event: SentEvent) => void
  delivered: (event: DeliveredEvent) => void
}

/** What a host measured over the measured phase. */
export interface HostStats {
  cpuMs: { user: number, system: number }
  rss: number
  heapUsed: number
  /** Bytes written by the process (wchar growth) minus its own IPC/console output; undefined without /proc. */
  wireBytes?: number
  /** Copies gossipsub dropped as duplicates. */
  gossipDuplicates: number
  /** Copies the reliability core dropped as duplicates. */
  coreDuplicates: number
  /** RainTree copies of a message RainTree had already brought. */
  raintreeDuplicates: number
  pulls: number
  resends: number
  /** Event-loop delay of the hosting process over the phase (ms): how long ready work had to wait. */
  eventLoop: { p50: number, p99: number, max: number }
  /** Profile file written, if profiling. */
  profileFile?: string
}

/** The operations of a host. */
export interface HostApi {
  /** Starts these nodes (in parallel), bootstrapped from `bootstrap`. */
  startNodes: (nodes: number[], bootstrap: string[]) => Promise<NodeInfo[]>
  /** Topic peers of every hosted node. */
  readiness: () => Promise<NodeReadiness[]>
  /** The peer id of every node, by index (for partitions). */
  setPeers: (peers: string[]) => Promise<void>
  /** Starts the measured phase (CPU, bytes, optional profile). */
  beginMeasure: (profile: boolean) => Promise<void>
  /** Sends `text` (message `index` of run `run`) from `node` now, through the room or raw (fire and forget). */
  send: (run: number, node: number, index: number, text: string, raw: boolean) => void
  /** Cuts `groupA` off from everyone else (both ways). */
  partition: (groupA: number[]) => Promise<void>
  /** Removes every cut; with `rediscover`, each node also starts a rendezvous search at once. */
  heal: (rediscover: boolean) => Promise<void>
  /** For each hosted node, how many peers on the other side of `groupA`'s cut it is connected to. */
  crossConnections: (groupA: number[]) => Promise<Array<{ node: number, count: number }>>
  /**
   * Stops a node (a crash); resolves to the epoch ms it went down. Clean by default (the room says
   * goodbye); `abrupt` is a kill -9: every socket is reset at once, nothing more is sent.
   */
  crash: (node: number, abrupt?: boolean) => Promise<number>
  /** For each hosted node, whether its presence roster lists `peerId`. */
  rosterHas: (peerId: string) => Promise<RosterView[]>
  /** Starts a crashed node again with the same identity. */
  restart: (node: number, bootstrap: string[]) => Promise<NodeInfo>
  /** Sets the faults injected at the gossipsub-to-core boundary (`NO_FAULTS` = off). */
  setFaults: (faults: InjectedFaults) => void
  /** Ends the measured phase; every event is reported before this resolves. */
  endMeasure: (profileFile?: string) => Promise<HostStats>
  /** Stops every node. */
  stop: () => Promise<void>
}

/** Message-level faults injected between gossipsub and the core of every hosted node. */
export interface InjectedFaults {
  /** Probability that a message is dropped. */
  loss: number
  /** Probability that a message is handed over twice. */
  dup: number
  /** Probability that a message is held back up to `REORDER_MAX_DELAY_MS` (others overtake it). */
  reorder: number
}

/** No injected faults. */
export const NO_FAULTS: Readonly<InjectedFaults> = Object.freeze({ loss: 0, dup: 0, reorder: 0 })

/** Longest a reordered message is held back (ms); the model's `reorderDelayMs` default. */
export const REORDER_MAX_DELAY_MS = 200
