/**
 * The room driver's inputs and its batch of output (`RoomReady`, after etcd-io/raft's
 * `Ready`): plain data only, so the live shell and the simulator run the same driver.
 */
import type { ChannelEvent, ReliableMessage } from '../reliability/index.js'
import type { CensusResult, ProbeRequest } from '../presence/index.js'
import type { RoomEventMap } from './types.js'

/** What one pull asks one peer for (the repair protocol's request, before encoding). */
export interface PullAsk {
  channelId: string
  ids: string[]
  maxAncestors: number
  have?: Uint8Array
  /** No ancestor below this Lamport value (0 = no floor). */
  minLamport?: number
}

/** One attempt of a pull: ask `target`; answer with `pullAnswered` or `pullFailed` and this `pullId`. */
export interface PullAttempt {
  pullId: number
  target: string
  ask: PullAsk
}

/** One event for the layers above, typed by RoomEventMap. */
export type RoomOutput = { [K in keyof RoomEventMap]: { type: K, detail: RoomEventMap[K] } }[keyof RoomEventMap]

/** Everything the driver asks its host to do, in the order it arose. */
export interface RoomReady {
  /** Messages to publish on every broadcast path, in order. */
  publish: ReliableMessage[]
  /** Pull attempts to make now. */
  pulls: PullAttempt[]
  /** Catch-ups to make now: ask `target` for the committee's certified entries after `after`; answer with `caughtUp` or `catchUpFailed`. */
  catchUps: Array<{ target: string, after: number }>
  /** Liveness probes to make now (a direct ping, or a request to a helper); answer with `probed`. */
  probes: ProbeRequest[]
  /** Own messages to write durably; each is published only after `written(id, true)`. */
  persistOwn: ReliableMessage[]
  /** Delivered messages of others to store. */
  persistDelivered: ReliableMessage[]
  /** The reliability state changed and is due to be saved. */
  saveState: boolean
  /** Events for the session and the UI. */
  events: RoomOutput[]
  /** Censuses that finished, by poll id. */
  censuses: Array<{ pollId: string, result: CensusResult }>
  /** Peers that joined the topic (the host's redialer counts them back). */
  joined: string[]
  /** Peers that left the topic (the host redials those it lost the connection to). */
  left: string[]
  /** Peers that left by a clean quit (the host's redialer stops chasing them). */
  departed: string[]
  /** The reliability core's own events, for observers (the simulator's checkers); the shell ignores them. */
  channelEvents: ChannelEvent[]
  /** Drop reasons, one entry per dropped input. */
  drops: string[]
  /** Diagnostic lines for the log file. */
  log: string[]
}

/** The driver's counters for `/status`. */
export interface DriverCounters {
  /** Pull attempts made (one per peer asked). */
  pullsMade: number
  /** Of those, attempts made because an earlier one was slow to answer. */
  pullsHedged: number
  pullsActive: number
  pullsQueued: number
  /** Pulls dropped from a full queue (the core retries them later). */
  pullQueueOverflowed: number
  /** Own lines waiting for a peer. */
  outboundQueued: number
  /** Own lines a full outbound queue dropped. */
  outboundOverflowed: number
}

/** An empty RoomReady. */
export function emptyReady (): RoomReady {
  return { publish: [], pulls: [], catchUps: [], probes: [], persistOwn: [], persistDelivered: [], saveState: false, events: [], censuses: [], joined: [], left: [], departed: [], channelEvents: [], drops: [], log: [] }
}
