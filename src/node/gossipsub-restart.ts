/**
 * go-libp2p-pubsub #133 for js `@libp2p/gossipsub` 17.1.1: keeps a peer's outbound
 * gossipsub stream on its newest open connection. Upstream keeps one outbound stream per
 * peer and never replaces it:
 * - a peer that restarts with the same key while its old connection is still open (a frozen
 *   process, a connection not yet noticed dead) gets no stream on the new connection, so it
 *   never learns our subscriptions and we keep sending to the old process;
 * - when that old connection dies, the stream goes and nothing opens another, since
 *   `onPeerDisconnected` fires only when the last connection goes;
 * - an error on a replaced inbound stream removes the peer from the router although it is
 *   still connected.
 * The defect and a minimal reproduction are written up in docs/upstream/gossipsub-restart.md.
 * This wraps the instance's methods (pinned by the lockfile; test/integration/gossipsub-restart.test.ts
 * fails if an upgrade changes them) rather than patching node_modules, so it also holds for
 * `npx p2pchat`, where a postinstall patch of a hoisted dependency cannot be relied on.
 */
import type { Connection, PeerId } from '@libp2p/interface'
import type { GossipSub } from '@libp2p/gossipsub'
import { newestOpenConnection } from './newest-connection.js'

/** The parts of gossipsub's router this touches (private in its typings). */
interface RouterInternals {
  peers: Map<string, PeerId>
  streamsOutbound: Map<string, { close: () => Promise<void>, rawStream: EventTarget }>
  outboundInflightQueue: { push: (item: { peerId: PeerId, connection: Connection }) => void }
  createOutboundStream: (peerId: PeerId, connection: Connection) => Promise<void>
  handlePeerReadStreamError: (err: unknown, peerId: PeerId) => void
}

/** How often a peer's outbound stream may be re-opened on a connection that is still open (ms). */
const REOPEN_MIN_INTERVAL_MS = 1_000

/** Counters of what the wrapper did, for `/status`. */
export interface StreamFollowerCounts {
  /** Outbound streams moved to a newer connection of the same peer. */
  moved: number
  /** Outbound streams re-opened after theirs closed while the peer stayed connected. */
  reopened: number
  /** Read-stream errors that did not remove a still-connected peer. */
  keptPeers: number
}

const countsOf = new WeakMap<GossipSub, StreamFollowerCounts>()
const streamListeners = new WeakMap<GossipSub, Set<(peerId: string) => void>>()

/**
 * Calls `listener(peerId)` each time gossipsub opens an outbound stream to a peer (the moment
 * it can first send that peer anything). Returns a function that stops. Needs
 * `followNewestConnections` on `pubsub`; `isFollowing` tells whether it is there.
 */
export function onOutboundStream (pubsub: GossipSub, listener: (peerId: string) => void): () => void {
  let listeners = streamListeners.get(pubsub)
  if (listeners === undefined) {
    listeners = new Set()
    streamListeners.set(pubsub, listeners)
  }
  listeners.add(listener)
  return () => { listeners?.delete(listener) }
}

/** True when `followNewestConnections` wraps `pubsub` (so `onOutboundStream` hears every new stream). */
export function isFollowing (pubsub: GossipSub): boolean {
  return countsOf.has(pubsub)
}

/** What the wrapper on `pubsub` did so far (zeros when it was not installed). */
export function streamFollowerCounts (pubsub: GossipSub): StreamFollowerCounts {
  return { ...(countsOf.get(pubsub) ?? { moved: 0, reopened: 0, keptPeers: 0 }) }
}

/** True when gossipsub has an outbound stream to `peerId`, i.e. can send it anything. */
export function hasOutboundStream (pubsub: GossipSub, peerId: string): boolean {
  return (pubsub as unknown as RouterInternals).streamsOutbound.has(peerId)
}

/**
 * Makes `pubsub` follow each peer's newest open connection. `connectionsOf(peer)` lists the
 * node's connections to a peer; `now` is the clock used to rate-limit re-opening.
 */
export function followNewestConnections (pubsub: GossipSub, connectionsOf: (peer: PeerId) => Connection[],
  now: () => number = Date.now): StreamFollowerCounts {
  const router = pubsub as unknown as RouterInternals
  const counts: StreamFollowerCounts = { moved: 0, reopened: 0, keptPeers: 0 }
  countsOf.set(pubsub, counts)
  const connectionOf = new Map<string, Connection>()
  const lastReopen = new Map<string, number>()
  const create = router.createOutboundStream.bind(pubsub)
  const readError = router.handlePeerReadStreamError.bind(pubsub)

  const newestOpen = (peer: PeerId): Connection | undefined => newestOpenConnection(connectionsOf(peer))

  /** After our stream on `connection` closed: open another on the newest connection, if any. */
  const onClosed = (peerId: PeerId, connection: Connection): void => {
    const id = peerId.toString()
    if (connectionOf.get(id) !== connection) return
    connectionOf.delete(id)
    if (!router.peers.has(id) || router.streamsOutbound.has(id)) return
    const next = newestOpen(peerId)
    if (next === undefined) return
    if (next === connection) {
      // The same connection is still open (the remote reset our stream): at most once a second.
      const at = now()
      if (at - (lastReopen.get(id) ?? Number.NEGATIVE_INFINITY) < REOPEN_MIN_INTERVAL_MS) return
      lastReopen.set(id, at)
    }
    counts.reopened++
    router.outboundInflightQueue.push({ peerId, connection: next })
  }

  const track = (peerId: PeerId, connection: Connection): void => {
    const id = peerId.toString()
    const stream = router.streamsOutbound.get(id)
    if (stream === undefined) return
    connectionOf.set(id, connection)
    stream.rawStream.addEventListener('close', () => { onClosed(peerId, connection) }, { once: true })
    for (const listener of streamListeners.get(pubsub) ?? []) listener(id)
  }

  router.createOutboundStream = async (peerId, connection) => {
    const id = peerId.toString()
    const existing = router.streamsOutbound.get(id)
    if (existing === undefined) {
      await create(peerId, connection)
      track(peerId, connection)
      return
    }
    const current = connectionOf.get(id)
    if (connection.status !== 'open' || current === connection) return
    if (current !== undefined && current.status === 'open' && current.timeline.open >= connection.timeline.open) return
    // A newer connection to the same peer (it restarted, or redialed): move our stream there.
    router.streamsOutbound.delete(id)
    connectionOf.delete(id)
    await create(peerId, connection)
    if (!router.streamsOutbound.has(id)) {
      // Could not open one on the new connection: keep the old stream rather than none.
      router.streamsOutbound.set(id, existing)
      if (current !== undefined) connectionOf.set(id, current)
      return
    }
    counts.moved++
    track(peerId, connection)
    existing.close().catch(() => {})
  }

  router.handlePeerReadStreamError = (err, peerId) => {
    // A replaced inbound stream of a dead connection erred: the peer is still here on another one.
    if (newestOpen(peerId) !== undefined) {
      counts.keptPeers++
      return
    }
    readError(err, peerId)
  }

  return counts
}
