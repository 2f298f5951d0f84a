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

  /** `gone(peer)` is true while the peer has no open connection (a stale entry in gossipsub's map). */
  constructor (private readonly pubsub: GossipSub, private readonly topic: string, private readonly gone: (peerId: string) => boolean = () => false) {}

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

  /**
   * A peer disconnected: it has left, whatever gossipsub's topic map still says at this
   * moment (it may update after the event). Returns true when it was a topic peer.
   */
  drop (peerId: string): boolean {
    return this.current.delete(peerId)
  }

  /** Re-reads the subscribers and returns who joined and who left since the last call. */
  refresh (): TopicPeerDiff {
    const next = new Set(this.pubsub.getSubscribers(this.topic).map(p => p.toString()).filter(p => !this.gone(p)))
    const joined = [...next].filter(p => !this.current.has(p))
    const left = [...this.current].filter(p => !next.has(p))
    this.current = next
    return { joined, left }
  }
}
