/**
 * The `/status` snapshot of a room: the core's counters, the driver's pull and queue
 * counters, the shell's drop counts, and the gossipsub stream health.
 */
import type { ChatNode } from '../node/create-node.js'
import { streamFollowerCounts } from '../node/gossipsub-restart.js'
import type { DropCounter } from './drop-counter.js'
import type { RoomDriver } from './driver.js'
import type { RoomStatus } from './types.js'

/** What a status snapshot is read from. */
export interface StatusSources {
  name: string
  driver: RoomDriver
  drops: DropCounter
  pullsServed: number
  node: ChatNode
  canSendTo: (peerId: string) => boolean
  now: number
}

/** Reliability and health counters of one room. */
export function roomStatus ({ name, driver, drops, pullsServed, node, canSendTo, now }: StatusSources): RoomStatus {
  const s = driver.channel.status()
  const counters = driver.counters()
  const dropped: Record<string, number> = { ...drops.toJSON() }
  for (const [reason, n] of Object.entries(s.dropped)) if (n > 0 && reason !== 'own') dropped[reason] = (dropped[reason] ?? 0) + n
  if (counters.outboundOverflowed > 0) dropped['outbound-queue-full'] = counters.outboundOverflowed
  if (counters.pullQueueOverflowed > 0) dropped['pull-queue-full'] = counters.pullQueueOverflowed
  const peers = driver.peers()
  const probe = driver.probeStatus()
  const presence = driver.presence.status(now)
  return {
    topic: name,
    peerId: driver.selfId,
    topicPeers: peers.length,
    connections: node.getConnections().length,
    lamport: s.lamport,
    unacknowledged: s.unacknowledged,
    buffered: s.buffered,
    missing: s.missing,
    lost: s.lost,
    pullsServed,
    pullsMade: counters.pullsMade,
    resends: { total: s.resends, tail: s.tailPushes },
    syncs: { sent: s.syncsSent, acks: s.ackSyncs, behindAnswers: s.behindAnswers },
    probes: {
      direct: probe?.probes ?? 0,
      indirect: probe?.indirect ?? 0,
      suspects: probe?.suspects ?? 0,
      deaths: probe?.deaths ?? 0,
      localHealth: probe?.localHealth ?? 0,
      suspected: presence.suspected,
      refutations: presence.refutations
    },
    noStream: peers.filter(p => !canSendTo(p)).length,
    gossipStreams: streamFollowerCounts(node.services.pubsub),
    dropped
  }
}
