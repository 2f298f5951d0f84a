/**
 * Tracks who is in the room: the peers gossipsub says are subscribed to our
 * topic, diffed on every subscription change and disconnect, so the room can
 * announce joins and leaves exactly once each.
 */

import type { GossipSub } from '@libp2p/gossipsub'

/** The join/leave difference between two snapshots. */
export interface TopicPeerDiff {
  joined: string[]
  left: string[]
}

/** The current set of topic subscribers. */
export class TopicPeers {
  private current = new Set<string>()

  constructor (private readonly pubsub: GossipSub, private readonly topic: string) {}

  /** Number of peers subscribed to the topic. */
  get size (): number {
    return this.current.size
  }

  has (peerId: string): boolean {
    return this.current.has(peerId)
  }

  /** All subscribed peer ids. */
  list (): string[] {
    return [...this.current]
  }

  /** Re-reads the subscribers and returns who joined and who left since the last call. */
  refresh (): TopicPeerDiff {
    const next = new Set(this.pubsub.getSubscribers(this.topic).map(p => p.toString()))
    const joined = [...next].filter(p => !this.current.has(p))
    const left = [...this.current].filter(p => !next.has(p))
    this.current = next
    return { joined, left }
  }
}
